/* SPDX-License-Identifier: MIT
 * Barrier and spinlock hooks. pthread_spin_unlock, init and destroy stay glibc's (plain stores
 * on the lock word, which our spin loop shares).
 */
#include "hook.h"

#include "../core/barrier.h"

#include <string.h>

GREEN_EXPORT int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *attr,
				      unsigned count)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_barrier_init)(b, attr, count);
	return -green_barrier_init(b, count);
}

GREEN_EXPORT int pthread_barrier_wait(pthread_barrier_t *b)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_barrier_wait)(b);
	return green_barrier_wait(b);
}

GREEN_EXPORT int pthread_barrier_destroy(pthread_barrier_t *b)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_barrier_destroy)(b);
	/* glibc's destroy would read our state as its own: just retire the object. */
	memset(b, 0, sizeof *b);
	return 0;
}

GREEN_EXPORT int pthread_spin_lock(pthread_spinlock_t *s)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_spin_lock)(s);
	return -green_spin_lock(s, false);
}

GREEN_EXPORT int pthread_spin_trylock(pthread_spinlock_t *s)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_spin_trylock)(s);
	return -green_spin_lock(s, true);
}
