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

/* Offload the call: its result or -errno, or GREEN_PASS when there is no pool (the caller
 * makes the real call itself). */
static long flock_offload(struct flock_call *c)
{
	if (green_pool_run(flock_run, c))
		return GREEN_PASS;
	return c->result < 0 ? -c->err : c->result;
}

long green_hook_flock(int fd, int op)
{
	struct flock_call c = { .fd = fd, .op = op, .kind = 0 };

	if ((op & LOCK_NB) || (op & ~LOCK_NB) == LOCK_UN)
		return GREEN_PASS;
	return flock_offload(&c);
}

long green_hook_lockf(int fd, int cmd, off_t len)
{
	struct flock_call c = { .fd = fd, .op = cmd, .arg = (long)len, .kind = 1 };

	if (cmd != F_LOCK)
		return GREEN_PASS;
	return flock_offload(&c);
}

long green_flock_fcntl_wait(int fd, int cmd, long arg)
{
	struct flock_call c = { .fd = fd, .op = cmd, .arg = arg, .kind = 2 };

	return flock_offload(&c);
}
