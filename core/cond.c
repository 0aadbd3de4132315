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
#include <stdint.h>

/* glibc keeps the condattr's pshared flag in __wrefs bit 0 (__PTHREAD_COND_SHARED_MASK) and
 * its clock in bit 1 (__PTHREAD_COND_CLOCK_MONOTONIC_MASK). */
#define COND_SHARED 1u
#define COND_CLOCK_MONOTONIC 2u

/* A process-shared condition variable's wait queue lives in no process: its waiters wait for
 * a change of a sequence word in the object (glibc's __g_signals[0], unused by our private
 * ones), which every signal and broadcast bumps. */
static uint32_t *cond_shared_seq(pthread_cond_t *c)
{
	if (!(__atomic_load_n(&c->__data.__wrefs, __ATOMIC_RELAXED) & COND_SHARED))
		return NULL;
	return (uint32_t *)&c->__data.__g_signals[0];
}

int green_cond_wait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clk,
		    const struct timespec *abstime)
{
	uint32_t *seq = cond_shared_seq(c), seen = seq ? __atomic_load_n(seq, __ATOMIC_SEQ_CST) : 0;
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
	if (seq) {
		w = green_wait_word(seq, seen, ~0u, true, GREEN_WAIT_COND, clk, abstime);
		if (w == -EINTR)
			w = 0; /* a handler ran: a spurious wakeup, as POSIX allows */
	} else {
		w = green_wait_park(c, ~0u, GREEN_WAIT_COND, clk, abstime);
	}
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
	uint32_t *seq = cond_shared_seq(c);

	if (seq) {
		__atomic_add_fetch(seq, 1, __ATOMIC_SEQ_CST);
		green_wait_word_wake(seq, ~0u, all ? INT_MAX : 1, true);
		return 0;
	}
	green_wait_wake(c, ~0u, all ? INT_MAX : 1);
	return 0;
}
