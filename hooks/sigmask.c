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

/* sighold/sigrelse: block or unblock one signal of the calling green thread. */
static long sigmask_one(int how, int sig)
{
	sigset_t set;

	sigemptyset(&set);
	if (sigaddset(&set, sig) < 0)
		return -EINVAL;
	return green_signal_mask(how, &set, NULL);
}

long green_hook_sighold(int sig)
{
	return sigmask_one(SIG_BLOCK, sig);
}

long green_hook_sigrelse(int sig)
{
	return sigmask_one(SIG_UNBLOCK, sig);
}
