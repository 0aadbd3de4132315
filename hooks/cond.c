/* SPDX-License-Identifier: MIT
 * Condition variable hooks. The unversioned exports interpose both glibc versions
 * (pthread_cond_*@GLIBC_2.2.5 and @GLIBC_2.3.2); green waits use only the object's address
 * and the clock pthread_cond_init recorded, so either layout works. init/destroy stay glibc's.
 */
#include "hook.h"

#include "../core/cond.h"

GREEN_EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_cond_wait)(c, m);
	return -GREEN_CANCEL_POINT(green_cond_wait(c, m, -1, NULL));
}

GREEN_EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
					const struct timespec *abstime)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_cond_timedwait)(c, m, abstime);
	return -GREEN_CANCEL_POINT(green_cond_wait(c, m, -1, abstime));
}

GREEN_EXPORT int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clk,
					const struct timespec *abstime)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_cond_clockwait)(c, m, clk, abstime);
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
		return EINVAL;
	return -GREEN_CANCEL_POINT(green_cond_wait(c, m, clk, abstime));
}

GREEN_EXPORT int pthread_cond_signal(pthread_cond_t *c)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_cond_signal)(c);
	return -green_cond_wake(c, false);
}

GREEN_EXPORT int pthread_cond_broadcast(pthread_cond_t *c)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_cond_broadcast)(c);
	return -green_cond_wake(c, true);
}
