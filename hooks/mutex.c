/* SPDX-License-Identifier: MIT
 * pthread mutex hooks: lock, trylock, timed and clock locks, unlock, consistent, and the old
 * __pthread_mutex_* aliases. init and destroy stay glibc's (they only write the object; our
 * __nusers bookkeeping keeps destroy's EBUSY check right).
 */
#include "hook.h"

#include "../core/mutex.h"

/* The clocks glibc's clocklock accepts. */
static bool mutex_clock_ok(clockid_t clk)
{
	return clk == CLOCK_REALTIME || clk == CLOCK_MONOTONIC;
}

GREEN_EXPORT int pthread_mutex_lock(pthread_mutex_t *m)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_mutex_lock)(m);
	return -green_mutex_lock(m, GREEN_LOCK_BLOCK, CLOCK_REALTIME, NULL);
}

GREEN_EXPORT int pthread_mutex_trylock(pthread_mutex_t *m)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_mutex_trylock)(m);
	return -green_mutex_lock(m, GREEN_LOCK_TRY, CLOCK_REALTIME, NULL);
}

GREEN_EXPORT int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_mutex_timedlock)(m, abstime);
	return -green_mutex_lock(m, GREEN_LOCK_TIMED, CLOCK_REALTIME, abstime);
}

GREEN_EXPORT int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clk,
					 const struct timespec *abstime)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_mutex_clocklock)(m, clk, abstime);
	if (!mutex_clock_ok(clk))
		return EINVAL;
	return -green_mutex_lock(m, GREEN_LOCK_TIMED, clk, abstime);
}

GREEN_EXPORT int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_mutex_unlock)(m);
	return -green_mutex_unlock(m);
}

GREEN_EXPORT int pthread_mutex_consistent(pthread_mutex_t *m)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_mutex_consistent)(m);
	return -green_mutex_consistent(m);
}

/* glibc's header redirects pthread_mutex_consistent_np to pthread_mutex_consistent; old
 * binaries import the _np symbol, so define it under its own assembler name. */
int green_hook_mutex_consistent_np(pthread_mutex_t *m) __asm__("pthread_mutex_consistent_np");
GREEN_EXPORT int green_hook_mutex_consistent_np(pthread_mutex_t *m)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_mutex_consistent_np)(m);
	return -green_mutex_consistent(m);
}

GREEN_EXPORT int __pthread_mutex_lock(pthread_mutex_t *m)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(__pthread_mutex_lock)(m);
	return -green_mutex_lock(m, GREEN_LOCK_BLOCK, CLOCK_REALTIME, NULL);
}

GREEN_EXPORT int __pthread_mutex_trylock(pthread_mutex_t *m)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(__pthread_mutex_trylock)(m);
	return -green_mutex_lock(m, GREEN_LOCK_TRY, CLOCK_REALTIME, NULL);
}

GREEN_EXPORT int __pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(__pthread_mutex_unlock)(m);
	return -green_mutex_unlock(m);
}
