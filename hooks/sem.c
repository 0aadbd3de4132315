/* SPDX-License-Identifier: MIT
 * Semaphore logic: the waits and sem_post. sem_init, sem_destroy, sem_getvalue, sem_open,
 * sem_close and sem_unlink stay glibc's (our core keeps its sem_t layout).
 */
#include "hook.h"

#include "../core/sem.h"

long green_hook_sem_wait(sem_t *s)
{
	return green_sem_wait(s, GREEN_LOCK_BLOCK, CLOCK_REALTIME, NULL);
}

long green_hook_sem_trywait(sem_t *s)
{
	return green_sem_wait(s, GREEN_LOCK_TRY, CLOCK_REALTIME, NULL);
}

long green_hook_sem_timedwait(sem_t *s, const struct timespec *abstime)
{
	return green_sem_wait(s, GREEN_LOCK_TIMED, CLOCK_REALTIME, abstime);
}

long green_hook_sem_clockwait(sem_t *s, clockid_t clk, const struct timespec *abstime)
{
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
		return -EINVAL;
	return green_sem_wait(s, GREEN_LOCK_TIMED, clk, abstime);
}

long green_hook_sem_post(sem_t *s)
{
	return green_sem_post(s);
}
