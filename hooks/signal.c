/* SPDX-License-Identifier: MIT
 * Signal disposition logic: the program's handlers run through libgreen's trampoline, so hooks
 * called inside a handler never switch, and the blocking call the kernel would interrupt gets
 * EINTR (core/signal.c). Queries report the program's own handler.
 */
#include "hook.h"

#include "../core/signal.h"

long green_hook_sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	return green_signal_action(sig, act, old);
}

/* glibc's signal(): BSD semantics (SA_RESTART, the signal blocked in its own handler). */
long green_hook_signal(int sig, sighandler_t handler)
{
	struct sigaction act = { .sa_handler = handler, .sa_flags = SA_RESTART }, old;
	int r;

	if (handler == SIG_ERR || sig <= 0 || sig >= NSIG)
		return -EINVAL;
	sigemptyset(&act.sa_mask);
	sigaddset(&act.sa_mask, sig);
	r = green_signal_action(sig, &act, &old);
	return r ? r : (long)(intptr_t)old.sa_handler;
}
