/* SPDX-License-Identifier: MIT
 * Barrier and spinlock logic. pthread_spin_unlock, init and destroy stay glibc's (plain stores
 * on the lock word, which our spin loop shares).
 */
#include "hook.h"

#include "../core/barrier.h"

#include <string.h>

long green_hook_pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *attr, unsigned count)
{
	int pshared = PTHREAD_PROCESS_PRIVATE;

	if (attr)
		pthread_barrierattr_getpshared(attr, &pshared);
	return green_barrier_init(b, count, pshared == PTHREAD_PROCESS_SHARED);
}

/* PTHREAD_BARRIER_SERIAL_THREAD (-1) is a result, not an error: the row is ERRNUM, so hand the
 * core's value over negated. */
long green_hook_pthread_barrier_wait(pthread_barrier_t *b)
{
	return -(long)green_barrier_wait(b);
}

long green_hook_pthread_barrier_destroy(pthread_barrier_t *b)
{
	/* glibc's destroy would read our state as its own: just retire the object. */
	memset(b, 0, sizeof *b);
	return 0;
}

long green_hook_pthread_spin_lock(pthread_spinlock_t *s)
{
	return green_spin_lock(s, false);
}

long green_hook_pthread_spin_trylock(pthread_spinlock_t *s)
{
	return green_spin_lock(s, true);
}
