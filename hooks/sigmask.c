/* SPDX-License-Identifier: MIT
 * Signal masks per green thread: pthread_sigmask and sigprocmask change the calling green
 * thread's mask, which the scheduler puts on the OS thread whenever that green thread runs.
 */
#include "hook.h"

#include "../core/sched.h"

GREEN_EXPORT int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_sigmask)(how, set, old);
	return -green_sched_sigmask(how, set, old);
}

GREEN_EXPORT int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(sigprocmask)(how, set, old);
	return green_hook_errno(green_sched_sigmask(how, set, old));
}
