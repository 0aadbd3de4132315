/* SPDX-License-Identifier: MIT
 * Reader-writer lock logic (the old __pthread_rwlock_* aliases share it). init and destroy stay
 * glibc's (they set the preference flags our core reads).
 */
#include "hook.h"

#include "../core/rwlock.h"

/* The clock check of the clock variants, then the core. */
static long rwlock_clock(pthread_rwlock_t *rw, bool write, clockid_t clk, const struct timespec *abstime)
{
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
		return -EINVAL;
	return green_rwlock_lock(rw, write, GREEN_LOCK_TIMED, clk, abstime);
}

long green_hook_pthread_rwlock_rdlock(pthread_rwlock_t *rw)
{
	return green_rwlock_lock(rw, false, GREEN_LOCK_BLOCK, CLOCK_REALTIME, NULL);
}

long green_hook_pthread_rwlock_tryrdlock(pthread_rwlock_t *rw)
{
	return green_rwlock_lock(rw, false, GREEN_LOCK_TRY, CLOCK_REALTIME, NULL);
}

long green_hook_pthread_rwlock_timedrdlock(pthread_rwlock_t *rw, const struct timespec *abstime)
{
	return green_rwlock_lock(rw, false, GREEN_LOCK_TIMED, CLOCK_REALTIME, abstime);
}

long green_hook_pthread_rwlock_clockrdlock(pthread_rwlock_t *rw, clockid_t clk, const struct timespec *abstime)
{
	return rwlock_clock(rw, false, clk, abstime);
}

long green_hook_pthread_rwlock_wrlock(pthread_rwlock_t *rw)
{
	return green_rwlock_lock(rw, true, GREEN_LOCK_BLOCK, CLOCK_REALTIME, NULL);
}

long green_hook_pthread_rwlock_trywrlock(pthread_rwlock_t *rw)
{
	return green_rwlock_lock(rw, true, GREEN_LOCK_TRY, CLOCK_REALTIME, NULL);
}

long green_hook_pthread_rwlock_timedwrlock(pthread_rwlock_t *rw, const struct timespec *abstime)
{
	return green_rwlock_lock(rw, true, GREEN_LOCK_TIMED, CLOCK_REALTIME, abstime);
}

long green_hook_pthread_rwlock_clockwrlock(pthread_rwlock_t *rw, clockid_t clk, const struct timespec *abstime)
{
	return rwlock_clock(rw, true, clk, abstime);
}

long green_hook_pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
	return green_rwlock_unlock(rw);
}
