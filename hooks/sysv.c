/* SPDX-License-Identifier: MIT
 * System V IPC waits: msgrcv, msgsnd, semop and semtimedop try with IPC_NOWAIT and, while the
 * kernel would block, park. A change made by a green thread of this process (a message sent or
 * taken, a semaphore operation done) wakes the set's waiters at once; one made by another
 * process is seen within a short, growing interval (50 us to 2 ms), since the kernel offers no
 * fd to wait on. Never restarted after a handler (signal(7)).
 */
#include "hook.h"

#include "../core/clock.h"
#include "../core/signal.h"
#include "../core/wait.h"

#include <stdlib.h>
#include <sys/msg.h>
#include <sys/sem.h>

/* Wait keys by IPC id: ids that share a slot only wake each other needlessly. */
static char sysv_keys[64];

static const void *sysv_key(int id)
{
	return &sysv_keys[(unsigned)id % sizeof sysv_keys];
}

/* Park until id's key is woken, a short interval passes (another process may have changed the
 * set), or *deadline (NULL: none). 0 to try again, -EAGAIN at the deadline, -EINTR, -ECANCELED. */
static int sysv_park(int id, unsigned *round, const struct timespec *deadline)
{
	static const long step_ns[] = { 50000, 100000, 200000, 500000, 1000000, 2000000 };
	struct timespec now = green_clock_now(CLOCK_MONOTONIC), until;
	int r;

	if (deadline && !green_clock_before(now, *deadline))
		return -EAGAIN;
	until = green_clock_add(now, (struct timespec){ 0, step_ns[*round] });
	if (*round + 1 < sizeof step_ns / sizeof *step_ns)
		(*round)++;
	if (deadline && green_clock_before(*deadline, until))
		until = *deadline;
	green_signal_interruptible(true);
	r = green_wait_park(sysv_key(id), ~0u, GREEN_WAIT_SYSV, CLOCK_MONOTONIC, &until);
	if (r == 0)
		*round = 0; /* woken by a change here: the next one may come as quickly */
	if (r == -EINTR)
		green_signal_restart();
	green_signal_interruptible(false);
	return r == -ETIMEDOUT ? 0 : r;
}

/* A try's error as -errno. The set removed while we waited: the kernel's waiters get EIDRM;
 * our next try finds the id gone (EINVAL). */
static long sysv_error(int err, bool waited)
{
	return err == EINVAL && waited ? -EIDRM : -err;
}

long green_hook_msgrcv(int id, void *msg, size_t size, long type, int flags)
{
	unsigned round = 0;
	bool waited = false;

	if (flags & IPC_NOWAIT)
		return GREEN_PASS;
	for (;;) {
		ssize_t r = GREEN_REAL_CALL(msgrcv)(id, msg, size, type, flags | IPC_NOWAIT);
		if (r >= 0) {
			green_wait_wake(sysv_key(id), ~0u, INT_MAX); /* room for a sender */
			return r;
		}
		if (errno != ENOMSG)
			return sysv_error(errno, waited);
		waited = true;
		int w = sysv_park(id, &round, NULL);
		if (w)
			return w;
	}
}

long green_hook_msgsnd(int id, const void *msg, size_t size, int flags)
{
	unsigned round = 0;
	bool waited = false;

	if (flags & IPC_NOWAIT)
		return GREEN_PASS;
	for (;;) {
		if (GREEN_REAL_CALL(msgsnd)(id, msg, size, flags | IPC_NOWAIT) == 0) {
			green_wait_wake(sysv_key(id), ~0u, INT_MAX); /* a message for a receiver */
			return 0;
		}
		if (errno != EAGAIN)
			return sysv_error(errno, waited);
		waited = true;
		int w = sysv_park(id, &round, NULL);
		if (w)
			return w;
	}
}

/* semop and semtimedop: the operations copied in (the kernel's EFAULT and E2BIG otherwise),
 * each made IPC_NOWAIT. An operation that asked for IPC_NOWAIT itself sends the whole call to
 * the kernel: its EAGAIN could not be told from a wait. */
static long sysv_semop(int id, struct sembuf *ops, size_t n, const struct timespec *timeout)
{
	struct sembuf stack[16], *mine = stack;
	struct timespec t, deadline, *dl = NULL;
	unsigned round = 0;
	bool waited = false;
	long r;

	if (n == 0 || n > 500 /* SEMOPM */)
		return GREEN_PASS;
	if (timeout) {
		if (green_hook_copy_in(&t, timeout, sizeof t) || !green_clock_valid(&t))
			return GREEN_PASS;
		deadline = green_clock_add(green_clock_now(CLOCK_MONOTONIC), t);
		dl = &deadline;
	}
	if (n > sizeof stack / sizeof *stack && !(mine = malloc(n * sizeof *mine)))
		return GREEN_PASS;
	r = green_hook_copy_in(mine, ops, n * sizeof *mine) ? GREEN_PASS : 0;
	for (size_t i = 0; r == 0 && i < n; i++) {
		if (mine[i].sem_flg & IPC_NOWAIT)
			r = GREEN_PASS;
		mine[i].sem_flg |= IPC_NOWAIT;
	}
	while (r == 0) {
		if (GREEN_REAL_CALL(semop)(id, mine, n) == 0) {
			green_wait_wake(sysv_key(id), ~0u, INT_MAX); /* values changed: waiters look again */
			break;
		}
		if (errno != EAGAIN) {
			r = sysv_error(errno, waited);
			break;
		}
		waited = true;
		r = sysv_park(id, &round, dl); /* -EAGAIN at the timeout, as semtimedop answers */
	}
	if (mine != stack)
		free(mine);
	return r;
}

long green_hook_semop(int id, struct sembuf *ops, size_t n)
{
	return sysv_semop(id, ops, n, NULL);
}

long green_hook_semtimedop(int id, struct sembuf *ops, size_t n, const struct timespec *timeout)
{
	return sysv_semop(id, ops, n, timeout);
}
