/* SPDX-License-Identifier: MIT
 * pthread_once and C++ static-initialisation guards. An initialiser that is another OS
 * thread's (or another process's) cannot wake our queues, so such waits poll.
 */
#include "thread.h"

#include "once.h"
#include "sched.h"
#include "wait.h"

#include <limits.h>

#define ONCE_IN_PROGRESS 1 /* glibc __PTHREAD_ONCE_INPROGRESS */
#define ONCE_DONE 2        /* glibc __PTHREAD_ONCE_DONE */

/* libstdc++'s guard word (guard.cc, futex variant, little-endian). */
#define GUARD_DONE 1u
#define GUARD_PENDING 0x100u
#define GUARD_WAITING 0x10000u

/* Wait for *word to change from seen: green initialisers wake us; others are polled. */
static void once_wait(const void *word, unsigned *round)
{
	if (green_wait_single_os_thread())
		green_wait_park(word, ~0u, GREEN_WAIT_ONCE, CLOCK_MONOTONIC, NULL);
	else
		green_wait_backoff(round, GREEN_WAIT_ONCE, word, CLOCK_MONOTONIC, NULL);
}

void green_once_run(int *once, void (*init)(void))
{
	struct green_thread *self = green_sched_self();
	unsigned round = 0;
	int *outer;

	for (;;) {
		int v = __atomic_load_n(once, __ATOMIC_ACQUIRE);
		if (v & ONCE_DONE)
			return;
		if (!(v & ONCE_IN_PROGRESS)) {
			if (__atomic_compare_exchange_n(once, &v, v | ONCE_IN_PROGRESS, false,
							__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				break;
			continue;
		}
		once_wait(once, &round);
	}
	outer = self->once;
	self->once = once;
	init();
	self->once = outer;
	__atomic_store_n(once, ONCE_DONE, __ATOMIC_RELEASE);
	green_wait_wake(once, ~0u, INT_MAX);
	green_wait_kernel_wake(once, INT_MAX, false);
}

void green_once_abandon(struct green_thread *g)
{
	if (g->once) {
		__atomic_store_n(g->once, 0, __ATOMIC_RELEASE);
		green_wait_wake(g->once, ~0u, INT_MAX);
		green_wait_kernel_wake(g->once, INT_MAX, false);
		g->once = NULL;
	}
}

int green_once_guard_acquire(uint64_t *guard)
{
	unsigned *w = (unsigned *)guard;
	unsigned round = 0;

	for (;;) {
		unsigned v = __atomic_load_n(w, __ATOMIC_ACQUIRE);
		if (v & GUARD_DONE)
			return 0;
		if (!(v & GUARD_PENDING)) {
			if (__atomic_compare_exchange_n(w, &v, GUARD_PENDING, false, __ATOMIC_ACQUIRE,
							__ATOMIC_RELAXED))
				return 1;
			continue;
		}
		/* Tell a real-thread initialiser's libstdc++ to futex-wake (it checks this bit). */
		if (!(v & GUARD_WAITING) &&
		    !__atomic_compare_exchange_n(w, &v, v | GUARD_WAITING, false, __ATOMIC_RELAXED,
						 __ATOMIC_RELAXED))
			continue;
		once_wait(w, &round);
	}
}

void green_once_guard_finish(uint64_t *guard, bool done)
{
	unsigned *w = (unsigned *)guard;
	unsigned old = __atomic_exchange_n(w, done ? GUARD_DONE : 0, __ATOMIC_RELEASE);

	green_wait_wake(w, ~0u, INT_MAX);
	if (old & GUARD_WAITING)
		green_wait_kernel_wake(w, INT_MAX, false);
}
