/* SPDX-License-Identifier: MIT
 * pthread mutex logic: lock, trylock, timed and clock locks, unlock, consistent (the old
 * __pthread_mutex_* and _np names share it, see hooks.def). init and destroy stay glibc's (they
 * only write the object; our __nusers bookkeeping keeps destroy's EBUSY check right).
 */
#include "hook.h"

#include "../core/mutex.h"

long green_hook_pthread_mutex_lock(pthread_mutex_t *m)
{
	return green_mutex_lock(m, GREEN_LOCK_BLOCK, CLOCK_REALTIME, NULL);
}

long green_hook_pthread_mutex_trylock(pthread_mutex_t *m)
{
	return green_mutex_lock(m, GREEN_LOCK_TRY, CLOCK_REALTIME, NULL);
}

long green_hook_pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime)
{
	return green_mutex_lock(m, GREEN_LOCK_TIMED, CLOCK_REALTIME, abstime);
}

long green_hook_pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clk, const struct timespec *abstime)
{
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC) /* the clocks glibc accepts */
		return -EINVAL;
	return green_mutex_lock(m, GREEN_LOCK_TIMED, clk, abstime);
}

long green_hook_pthread_mutex_unlock(pthread_mutex_t *m)
{
	return green_mutex_unlock(m);
}

long green_hook_pthread_mutex_consistent(pthread_mutex_t *m)
{
	return green_mutex_consistent(m);
}
