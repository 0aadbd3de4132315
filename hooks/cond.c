/* SPDX-License-Identifier: MIT
 * Condition variable logic. The unversioned exports interpose both glibc versions
 * (pthread_cond_*@GLIBC_2.2.5 and @GLIBC_2.3.2); green waits use only the object's address
 * and the clock pthread_cond_init recorded, so either layout works. init/destroy stay glibc's.
 */
#include "hook.h"

#include "../core/cond.h"

long green_hook_pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	return green_cond_wait(c, m, -1, NULL);
}

long green_hook_pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
	return green_cond_wait(c, m, -1, abstime);
}

long green_hook_pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clk,
				       const struct timespec *abstime)
{
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
		return -EINVAL;
	return green_cond_wait(c, m, clk, abstime);
}

long green_hook_pthread_cond_signal(pthread_cond_t *c)
{
	return green_cond_wake(c, false);
}

long green_hook_pthread_cond_broadcast(pthread_cond_t *c)
{
	return green_cond_wake(c, true);
}
