/* SPDX-License-Identifier: MIT
 * Semaphores in glibc's new_sem layout (nptl/semaphoreP.h), so sem_init, sem_open, sem_getvalue
 * and real-thread or other-process sem_post keep working unhooked; waits another process or OS
 * thread may end follow glibc's waiter protocol and wait in the kernel (green_wait_word).
 */
#include "sem.h"

#include "clock.h"
#include "signal.h"
#include "wait.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>

/* glibc's struct new_sem on 64-bit targets. */
struct sem_state {
	uint64_t data; /* value (low 32 bits) | kernel waiters << 32 */
	int private;   /* glibc's LLL_PRIVATE (0) or LLL_SHARED (FUTEX_PRIVATE_FLAG, 128): the
	                * flag is XORed into the futex op, so non-zero means process-shared */
	int pad;
};

#define SEM_VALUE_MASK 0xffffffffull
#define SEM_NWAITERS_SHIFT 32

/* A green thread parked on a private semaphore, on its stack: the list a signal handler's
 * sem_post (straight to glibc, which wakes only kernel waiters) is checked against. */
struct sem_waiter {
	struct sem_state *s;
	struct sem_waiter *prev, *next;
};

static struct sem_waiter *sem_waiters; /* hub OS thread only */

static void sem_waiter_link(struct sem_waiter *w)
{
	w->prev = NULL;
	w->next = sem_waiters;
	if (sem_waiters)
		sem_waiters->prev = w;
	sem_waiters = w;
}

static void sem_waiter_unlink(struct sem_waiter *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		sem_waiters = w->next;
	if (w->next)
		w->next->prev = w->prev;
}

void green_sem_handler_ran(void)
{
	for (struct sem_waiter *w = sem_waiters; w; w = w->next)
		if (__atomic_load_n(&w->s->data, __ATOMIC_RELAXED) & SEM_VALUE_MASK)
			green_wait_wake(w->s, ~0u, 1);
}

/* A wait another process or OS thread may end (a process-shared semaphore, or other OS threads
 * exist): glibc's own protocol (nptl/sem_waitcommon.c), so its sem_post wakes us: count us in
 * nwaiters, wait on the value word while it is 0, take a token and leave nwaiters in one step.
 * Returns 0, -ETIMEDOUT, -EINTR or -ECANCELED. */
static int sem_wait_kernel(struct sem_state *s, clockid_t clk, const struct timespec *abstime)
{
	const uint32_t *value = (const uint32_t *)(const void *)&s->data; /* low half: x86-64 */
	uint64_t v;
	int r;

	__atomic_fetch_add(&s->data, 1ull << SEM_NWAITERS_SHIFT, __ATOMIC_RELAXED);
	for (;;) {
		v = __atomic_load_n(&s->data, __ATOMIC_RELAXED);
		if (v & SEM_VALUE_MASK) {
			if (__atomic_compare_exchange_n(&s->data, &v,
							v - 1 - (1ull << SEM_NWAITERS_SHIFT), false,
							__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				return 0;
			continue;
		}
		r = green_wait_word(value, 0, ~0u, s->private != 0, GREEN_WAIT_SEM, clk, abstime);
		/* sem_wait is restarted after a SA_RESTART handler (signal(7)), else EINTR. */
		if (r == -EINTR && green_signal_restart())
			continue;
		if (r)
			break;
	}
	__atomic_fetch_sub(&s->data, 1ull << SEM_NWAITERS_SHIFT, __ATOMIC_RELAXED);
	return r;
}

int green_sem_wait(sem_t *sem, enum green_lock_mode mode, clockid_t clk,
		   const struct timespec *abstime)
{
	struct sem_state *s = (struct sem_state *)(void *)sem;

	/* glibc checks tv_nsec before even trying (sem_timedwait.c). */
	if (mode == GREEN_LOCK_TIMED && green_clock_check_abstime(abstime) == -EINVAL)
		return -EINVAL;
	green_signal_interruptible(mode != GREEN_LOCK_TRY);
	for (;;) {
		uint64_t v = __atomic_load_n(&s->data, __ATOMIC_RELAXED);
		int r;

		if (v & SEM_VALUE_MASK) {
			if (__atomic_compare_exchange_n(&s->data, &v, v - 1, false, __ATOMIC_ACQUIRE,
							__ATOMIC_RELAXED))
				break;
			continue;
		}
		if (mode == GREEN_LOCK_TRY)
			return -EAGAIN;
		if (mode == GREEN_LOCK_TIMED && abstime->tv_sec < 0) {
			green_signal_interruptible(false);
			return -ETIMEDOUT;
		}
		if (!s->private && green_wait_single_os_thread()) {
			struct sem_waiter w = { .s = s };

			sem_waiter_link(&w);
			r = green_wait_park(s, ~0u, GREEN_WAIT_SEM, clk,
					    mode == GREEN_LOCK_TIMED ? abstime : NULL);
			sem_waiter_unlink(&w);
		} else {
			r = sem_wait_kernel(s, clk, mode == GREEN_LOCK_TIMED ? abstime : NULL);
			green_signal_interruptible(false);
			return r;
		}
		/* sem_wait is restarted after a SA_RESTART handler (signal(7)), else EINTR. */
		if (r == -EINTR && green_signal_restart())
			continue;
		if (r) {
			green_signal_interruptible(false);
			return r;
		}
	}
	green_signal_interruptible(false);
	return 0;
}

int green_sem_post(sem_t *sem)
{
	struct sem_state *s = (struct sem_state *)(void *)sem;
	uint64_t v = __atomic_load_n(&s->data, __ATOMIC_RELAXED);

	do {
		if ((v & SEM_VALUE_MASK) == SEM_VALUE_MAX)
			return -EOVERFLOW;
	} while (!__atomic_compare_exchange_n(&s->data, &v, v + 1, false, __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
	green_wait_wake(s, ~0u, 1);
	if (v >> SEM_NWAITERS_SHIFT) /* a real thread or process sleeps in the kernel */
		green_wait_kernel_wake(&s->data, 1, s->private != 0);
	return 0;
}
