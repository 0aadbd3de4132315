/* SPDX-License-Identifier: MIT
 * Barriers (state in the pthread_barrier_t: count, arrived, round) and spinlocks (glibc's own
 * lock word values, so pthread_spin_unlock and real OS threads interoperate).
 */
#include "barrier.h"

#include "clock.h"
#include "sched.h"
#include "wait.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>

/* The barrier's words. Hub OS thread only. */
struct barrier_state {
	unsigned count;   /* threads per round */
	unsigned arrived; /* threads waiting in this round */
	unsigned round;   /* incremented when a round completes */
	unsigned shared;  /* PTHREAD_PROCESS_SHARED: atomic words, waits on round in any process */
};

/* glibc's spinlock word: on x86-64 (pthread_spin_lock.S) 1 is free and a lock decrements it;
 * the generic C version uses 0 for free and 1 for held. */
#if defined(__x86_64__)
#define SPIN_FREE 1
#define SPIN_HELD 0
#else
#define SPIN_FREE 0
#define SPIN_HELD 1
#endif

_Static_assert(sizeof(struct barrier_state) <= sizeof(pthread_barrier_t), "fits in the object");

int green_barrier_init(pthread_barrier_t *b, unsigned count, bool shared)
{
	struct barrier_state *s = (struct barrier_state *)(void *)b;

	if (count == 0 || count > INT_MAX)
		return -EINVAL;
	s->count = count;
	s->arrived = 0;
	s->round = 0;
	s->shared = shared;
	return 0;
}

/* A process-shared barrier: the same protocol with atomic words, its waiters in whatever
 * process they run (not a cancellation point; a handled signal resumes the wait). */
static int barrier_wait_shared(struct barrier_state *s)
{
	unsigned round = __atomic_load_n(&s->round, __ATOMIC_SEQ_CST);

	if (__atomic_add_fetch(&s->arrived, 1, __ATOMIC_SEQ_CST) >= s->count) {
		__atomic_store_n(&s->arrived, 0, __ATOMIC_SEQ_CST);
		__atomic_add_fetch(&s->round, 1, __ATOMIC_SEQ_CST);
		green_wait_word_wake(&s->round, ~0u, INT_MAX, true);
		return PTHREAD_BARRIER_SERIAL_THREAD;
	}
	while (__atomic_load_n(&s->round, __ATOMIC_SEQ_CST) == round)
		green_wait_word(&s->round, round, ~0u, true, GREEN_WAIT_BARRIER, CLOCK_MONOTONIC, NULL);
	return 0;
}

int green_barrier_wait(pthread_barrier_t *b)
{
	struct barrier_state *s = (struct barrier_state *)(void *)b;
	unsigned round = s->round;

	if (s->shared)
		return barrier_wait_shared(s);
	if (++s->arrived >= s->count) {
		s->arrived = 0;
		s->round++;
		green_wait_wake(b, ~0u, INT_MAX);
		return PTHREAD_BARRIER_SERIAL_THREAD;
	}
	while (s->round == round)
		green_wait_park(b, ~0u, GREEN_WAIT_BARRIER, CLOCK_MONOTONIC, NULL);
	return 0;
}

int green_spin_lock(pthread_spinlock_t *s, bool try)
{
	unsigned round = 0;

	for (unsigned spins = 0;; spins++) {
		int free_word = SPIN_FREE;

		if (__atomic_load_n(s, __ATOMIC_RELAXED) == SPIN_FREE &&
		    __atomic_compare_exchange_n(s, &free_word, SPIN_HELD, false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return 0;
		if (try)
			return -EBUSY;
		/* The holder is another green thread (or a real one): let it run. A holder parked
		 * in a blocking call would make us spin hot, so back off to short sleeps. */
		if (spins < 64)
			green_sched_yield();
		else
			green_wait_backoff(&round, GREEN_WAIT_SPIN, (const void *)(uintptr_t)s, CLOCK_MONOTONIC,
					NULL);
	}
}
