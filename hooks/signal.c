/* SPDX-License-Identifier: MIT
 * Signal disposition logic: the program's handlers run through libgreen's trampoline, so hooks
 * called inside a handler never switch, and the blocking call the kernel would interrupt gets
 * EINTR (core/signal.c). Queries report the program's own handler.
 */
#include "hook.h"

#include "../core/altstack.h"

#include <setjmp.h>
#include <stdint.h>

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

/* sigignore: the disposition SIG_IGN. */
long green_hook_sigignore(int sig)
{
	struct sigaction act = { .sa_handler = SIG_IGN };

	return green_signal_action(sig, &act, NULL);
}

/* sigset: glibc's algorithm on libgreen's mask and dispositions. SIG_HOLD blocks sig and keeps
 * the disposition; anything else installs it (no flags, empty mask) and unblocks sig. Returns
 * the previous disposition, SIG_HOLD if sig was blocked. */
long green_hook_sigset(int sig, sighandler_t disp)
{
	struct sigaction act = { .sa_handler = disp }, old;
	sigset_t one, prev;
	long r;

	sigemptyset(&one);
	if (sigaddset(&one, sig) < 0)
		return -EINVAL;
	if (disp == SIG_HOLD) {
		if ((r = green_signal_mask(SIG_BLOCK, &one, &prev)) ||
		    (r = green_signal_action(sig, NULL, &old)))
			return r;
	} else {
		if ((r = green_signal_action(sig, &act, &old)) ||
		    (r = green_signal_mask(SIG_UNBLOCK, &one, &prev)))
			return r;
	}
	return sigismember(&prev, sig) ? (long)(intptr_t)SIG_HOLD : (long)(intptr_t)old.sa_handler;
}

/* Each green thread has its own alternate signal stack (none until it sets one). */
long green_hook_sigaltstack(const stack_t *ss, stack_t *old)
{
	return green_altstack_set(ss, old);
}

/* raise: a signal for the calling green thread alone, as pthread_kill(pthread_self()) (glibc's
 * would be pending for the OS thread, where another green thread could take it). glibc's own
 * signals and bad numbers go to it. */
long green_hook_raise(int sig)
{
	if (sig <= 0 || sig >= NSIG || sig == SIGCANCEL_GLIBC || sig == SIGSETXID_GLIBC)
		return GREEN_PASS;
	return green_signal_send(green_sched_self(), sig, SI_TKILL, NULL);
}

/* longjmp and its aliases: leaving a handler this way skips the trampoline's return, so the
 * state it changed for the handler comes back first (core/signal.c). */
#define SIGNAL_LONGJMP(name)                                            \
	GREEN_EXPORT_RAW(void, name, (struct __jmp_buf_tag env[1], int val)) \
	{                                                               \
		green_signal_jumped_out();                              \
		GREEN_REAL_CALL(name)(env, val);                        \
		__builtin_unreachable();                                \
	}
SIGNAL_LONGJMP(longjmp)
SIGNAL_LONGJMP(_longjmp)
SIGNAL_LONGJMP(siglongjmp)
SIGNAL_LONGJMP(__longjmp_chk)
