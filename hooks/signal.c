/* SPDX-License-Identifier: MIT
 * Signal disposition hooks: the program's handlers run through libgreen's trampoline, so hooks
 * called inside a handler never switch, and the blocking call the kernel would interrupt gets
 * EINTR (core/signal.c). Queries report the program's own handler.
 */
#include "hook.h"

#include "../core/signal.h"

/* True when a sigaction/signal call should go to core: the usual gate, and also from any OS
 * thread for the signals libgreen's diagnostics hold while it is live. */
static bool signal_hooking(int sig)
{
	return green_boot_hooking() ||
	       (green_signal_owned(sig) &&
		__atomic_load_n(&green_boot_state, __ATOMIC_ACQUIRE) == GREEN_BOOT_LIVE);
}

GREEN_EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (!signal_hooking(sig))
		return GREEN_REAL_CALL(sigaction)(sig, act, old);
	return green_hook_errno(green_signal_action(sig, act, old));
}

/* glibc's signal(): BSD semantics (SA_RESTART, the signal blocked in its own handler). */
GREEN_EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction act = { .sa_handler = handler, .sa_flags = SA_RESTART }, old;

	if (!signal_hooking(sig))
		return GREEN_REAL_CALL(signal)(sig, handler);
	if (handler == SIG_ERR || sig <= 0 || sig >= NSIG) {
		errno = EINVAL;
		return SIG_ERR;
	}
	sigemptyset(&act.sa_mask);
	sigaddset(&act.sa_mask, sig);
	if (green_hook_errno(green_signal_action(sig, &act, &old)) < 0)
		return SIG_ERR;
	return old.sa_handler;
}
