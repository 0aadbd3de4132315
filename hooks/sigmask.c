/* SPDX-License-Identifier: MIT
 * Signal masks per green thread: pthread_sigmask and sigprocmask change the calling green
 * thread's mask, which the scheduler puts on the OS thread whenever that green thread runs.
 */
#include "hook.h"

#include "../core/signal.h"

#include "../core/sched.h"

long green_hook_pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	return green_signal_mask(how, set, old);
}

long green_hook_sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	return green_signal_mask(how, set, old);
}
