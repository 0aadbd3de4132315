/* SPDX-License-Identifier: MIT
 * Condition variables. Unlocking the mutex and joining the wait queue happen with no switch in
 * between (green threads are never preempted), so no wakeup can be lost.
 */
#include "cond.h"

#include "clock.h"
#include "mutex.h"
#include "sched.h"
#include "wait.h"

#include <errno.h>
#include <limits.h>

/* glibc keeps the condattr clock in __wrefs bit 1 (__PTHREAD_COND_CLOCK_MONOTONIC_MASK). */
#define COND_CLOCK_MONOTONIC 2u

int green_cond_wait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clk,
		    const struct timespec *abstime)
{
	int r, w;

	if (abstime && green_clock_check_abstime(abstime) == -EINVAL)
		return -EINVAL; /* a past deadline still unlocks, then times out */
	if (clk < 0)
		clk = (__atomic_load_n(&c->__data.__wrefs, __ATOMIC_RELAXED) & COND_CLOCK_MONOTONIC)
			      ? CLOCK_MONOTONIC
			      : CLOCK_REALTIME;
	r = green_mutex_unlock(m);
	if (r)
		return r;
	w = green_wait_park(c, ~0u, GREEN_WAIT_COND, clk, abstime);
	/* POSIX: the mutex is held again on return, and before cancellation handlers run; the
	 * relock itself is not a cancellation point. */
	green_sched_self()->in_cancel_point = false;
	r = green_mutex_lock(m, GREEN_LOCK_BLOCK, CLOCK_REALTIME, NULL);
	if (r && r != -EOWNERDEAD)
		return r;
	return w ? w : r;
}

int green_cond_wake(pthread_cond_t *c, bool all)
{
	green_wait_wake(c, ~0u, all ? INT_MAX : 1);
	return 0;
}
