/* SPDX-License-Identifier: MIT
 * Blocking file locks (flock, lockf F_LOCK; fcntl F_SETLKW is routed here from hooks/fd.c) wait
 * on a pool thread while the caller parks: the kernel offers no readiness for a lock. Locks
 * belong to the open file description or the process, not the thread, so taking them on a
 * worker is the same as taking them here.
 */
#include "hook.h"

#include "../core/pool.h"

#include <fcntl.h>
#include <sys/file.h>

/* One offloaded lock call. */
struct flock_call {
	int fd, op;
	long arg;
	int kind; /* 0 flock, 1 lockf, 2 fcntl */
	int result, err;
};

static void flock_run(void *p)
{
	struct flock_call *c = p;

	errno = 0;
	if (c->kind == 0)
		c->result = GREEN_REAL_CALL(flock)(c->fd, c->op);
	else if (c->kind == 1)
		c->result = GREEN_REAL_CALL(lockf)(c->fd, c->op, (off_t)c->arg);
	else
		c->result = GREEN_REAL_CALL(fcntl)(c->fd, c->op, c->arg);
	c->err = errno;
}

/* Offload the call; false when the caller must make it itself (not live, no pool). */
static bool flock_offload(struct flock_call *c)
{
	if (!green_boot_hooking() || green_pool_run(flock_run, c))
		return false;
	errno = c->err;
	return true;
}

GREEN_EXPORT int flock(int fd, int op)
{
	struct flock_call c = { .fd = fd, .op = op, .kind = 0 };

	if ((op & LOCK_NB) || (op & ~LOCK_NB) == LOCK_UN || !flock_offload(&c))
		return GREEN_REAL_CALL(flock)(fd, op);
	return c.result;
}

GREEN_EXPORT int lockf(int fd, int cmd, off_t len)
{
	struct flock_call c = { .fd = fd, .op = cmd, .arg = (long)len, .kind = 1 };

	if (cmd != F_LOCK || !flock_offload(&c))
		return GREEN_REAL_CALL(lockf)(fd, cmd, len);
	return c.result;
}

/* fcntl's waiting lock commands (called by hooks/fd.c): -2 if not offloaded. */
int green_hook_fcntl_lockw(int fd, int cmd, long arg);
int green_hook_fcntl_lockw(int fd, int cmd, long arg)
{
	struct flock_call c = { .fd = fd, .op = cmd, .arg = arg, .kind = 2 };

	if (!flock_offload(&c))
		return -2;
	return c.result;
}
