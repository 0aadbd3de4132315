/* SPDX-License-Identifier: MIT
 * Condition variables for green threads: waiters park in the wait table keyed by the
 * pthread_cond_t, whose glibc init (clock bit in __wrefs) is kept as is.
 */
#ifndef GREEN_CORE_COND_H
#define GREEN_CORE_COND_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

/* Atomically release m, park until signalled or clk reaches *abstime (NULL: no timeout),
 * re-acquire m. clk < 0: the clock chosen at pthread_cond_init (condattr). Returns 0, -ETIMEDOUT,
 * -EINVAL (bad abstime), -EPERM (m not owned, errorcheck kinds), or a robust relock error.
 * Green thread only; parks. */
int green_cond_wait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clk,
		    const struct timespec *abstime);

/* Wake one (all = false) or every green waiter of c. Returns 0. Hub OS thread. */
int green_cond_wake(pthread_cond_t *c, bool all);

#endif
