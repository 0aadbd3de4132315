/* SPDX-License-Identifier: MIT
 * Signal masks per green thread: pthread_sigmask and sigprocmask change the calling green
 * thread's mask, which the scheduler puts on the OS thread whenever that green thread runs.
 */
#include "hook.h"

#include "../core/signal.h"

#include "../core/sched.h"
#include "../core/sys.h"

#include <string.h>
#include <sys/syscall.h>

long green_hook_pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	return green_signal_mask(how, set, old);
}

long green_hook_sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	return green_signal_mask(how, set, old);
}

/* The process's and the OS thread's pending signals (the kernel checks set), and those sent to
 * this green thread alone. */
long green_hook_sigpending(sigset_t *set)
{
	long r = green_sys(SYS_rt_sigpending, set, _NSIG / 8);
	uint64_t own = green_sched_self()->sig_pending, word;

	if (r < 0)
		return r;
	memcpy(&word, set, sizeof word);
	word |= own;
	memcpy(set, &word, sizeof word);
	return 0;
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
