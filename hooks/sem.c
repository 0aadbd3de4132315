/* SPDX-License-Identifier: MIT
 * Semaphore hooks: the waits and sem_post. sem_init, sem_destroy, sem_getvalue, sem_open,
 * sem_close and sem_unlink stay glibc's (our core keeps its sem_t layout).
 */
#include "hook.h"

#include "../core/sem.h"

GREEN_EXPORT int sem_wait(sem_t *s)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(sem_wait)(s);
	return green_hook_errno(GREEN_CANCEL_POINT(green_sem_wait(s, GREEN_LOCK_BLOCK, CLOCK_REALTIME, NULL)));
}

GREEN_EXPORT int sem_trywait(sem_t *s)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(sem_trywait)(s);
	return green_hook_errno(green_sem_wait(s, GREEN_LOCK_TRY, CLOCK_REALTIME, NULL));
}

GREEN_EXPORT int sem_timedwait(sem_t *s, const struct timespec *abstime)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(sem_timedwait)(s, abstime);
	return green_hook_errno(GREEN_CANCEL_POINT(green_sem_wait(s, GREEN_LOCK_TIMED, CLOCK_REALTIME, abstime)));
}

GREEN_EXPORT int sem_clockwait(sem_t *s, clockid_t clk, const struct timespec *abstime)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(sem_clockwait)(s, clk, abstime);
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
		return green_hook_errno(-EINVAL);
	return green_hook_errno(GREEN_CANCEL_POINT(green_sem_wait(s, GREEN_LOCK_TIMED, clk, abstime)));
}

GREEN_EXPORT int sem_post(sem_t *s)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(sem_post)(s);
	return green_hook_errno(green_sem_post(s));
}
