/* SPDX-License-Identifier: MIT
 * Reader-writer lock hooks, with the old __pthread_rwlock_* aliases. init and destroy stay
 * glibc's (they set the preference flags our core reads).
 */
#include "hook.h"

#include "../core/rwlock.h"

/* Shared body: the clock check of the clock variants, then the core. */
static int rwlock_do(pthread_rwlock_t *rw, bool write, enum green_lock_mode mode, clockid_t clk,
		     const struct timespec *abstime)
{
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
		return EINVAL;
	return -green_rwlock_lock(rw, write, mode, clk, abstime);
}

#define RWLOCK_HOOK(name, write, mode)                                      \
	GREEN_EXPORT int name(pthread_rwlock_t *rw)                         \
	{                                                                   \
		if (!green_boot_hooking())                                  \
			return GREEN_REAL_CALL(name)(rw);                   \
		return rwlock_do(rw, write, mode, CLOCK_REALTIME, NULL);    \
	}

RWLOCK_HOOK(pthread_rwlock_rdlock, false, GREEN_LOCK_BLOCK)
RWLOCK_HOOK(pthread_rwlock_tryrdlock, false, GREEN_LOCK_TRY)
RWLOCK_HOOK(pthread_rwlock_wrlock, true, GREEN_LOCK_BLOCK)
RWLOCK_HOOK(pthread_rwlock_trywrlock, true, GREEN_LOCK_TRY)
RWLOCK_HOOK(__pthread_rwlock_rdlock, false, GREEN_LOCK_BLOCK)
RWLOCK_HOOK(__pthread_rwlock_tryrdlock, false, GREEN_LOCK_TRY)
RWLOCK_HOOK(__pthread_rwlock_wrlock, true, GREEN_LOCK_BLOCK)
RWLOCK_HOOK(__pthread_rwlock_trywrlock, true, GREEN_LOCK_TRY)

GREEN_EXPORT int pthread_rwlock_timedrdlock(pthread_rwlock_t *rw, const struct timespec *abstime)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_rwlock_timedrdlock)(rw, abstime);
	return rwlock_do(rw, false, GREEN_LOCK_TIMED, CLOCK_REALTIME, abstime);
}

GREEN_EXPORT int pthread_rwlock_timedwrlock(pthread_rwlock_t *rw, const struct timespec *abstime)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_rwlock_timedwrlock)(rw, abstime);
	return rwlock_do(rw, true, GREEN_LOCK_TIMED, CLOCK_REALTIME, abstime);
}

GREEN_EXPORT int pthread_rwlock_clockrdlock(pthread_rwlock_t *rw, clockid_t clk,
					    const struct timespec *abstime)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_rwlock_clockrdlock)(rw, clk, abstime);
	return rwlock_do(rw, false, GREEN_LOCK_TIMED, clk, abstime);
}

GREEN_EXPORT int pthread_rwlock_clockwrlock(pthread_rwlock_t *rw, clockid_t clk,
					    const struct timespec *abstime)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_rwlock_clockwrlock)(rw, clk, abstime);
	return rwlock_do(rw, true, GREEN_LOCK_TIMED, clk, abstime);
}

GREEN_EXPORT int pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_rwlock_unlock)(rw);
	return -green_rwlock_unlock(rw);
}

GREEN_EXPORT int __pthread_rwlock_unlock(pthread_rwlock_t *rw)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(__pthread_rwlock_unlock)(rw);
	return -green_rwlock_unlock(rw);
}
