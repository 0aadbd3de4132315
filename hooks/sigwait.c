/* SPDX-License-Identifier: MIT
 * Waiting for signals: pause and sigsuspend park until a handler runs (EINTR); sigwait,
 * sigwaitinfo and sigtimedwait read the (blocked) signals from a signalfd, waited on like any
 * fd, so other green threads run meanwhile.
 */
#include "hook.h"

#include "../core/clock.h"
#include "../core/fd.h"
#include "../core/signal.h"

#include <string.h>
#include <sys/signalfd.h>

GREEN_EXPORT int pause(void)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pause)();
	return green_hook_errno(GREEN_CANCEL_POINT(green_signal_pause()));
}

GREEN_EXPORT int sigsuspend(const sigset_t *mask)
{
	sigset_t old;
	int r;

	if (!green_boot_hooking())
		return GREEN_REAL_CALL(sigsuspend)(mask);
	/* Interruptible before unblocking: a pending signal's handler runs inside sigprocmask. */
	green_signal_interruptible(true);
	if (sigprocmask(SIG_SETMASK, mask, &old)) {
		green_signal_interruptible(false);
		return -1;
	}
	r = GREEN_CANCEL_POINT(green_signal_pause());
	sigprocmask(SIG_SETMASK, &old, NULL);
	return green_hook_errno(r);
}

/* Wait for one of the blocked signals in set (deadline NULL: forever) and fill *info.
 * Returns the signal number, or -1 with errno (EAGAIN on timeout, EINTR, EINVAL). */
static int sigwait_one(const sigset_t *set, siginfo_t *info, const struct timespec *deadline)
{
	struct signalfd_siginfo si;
	struct green_fd *f;
	int fd = signalfd(-1, set, SFD_NONBLOCK | SFD_CLOEXEC), r = -1, w = 0;

	if (fd < 0)
		return -1;
	green_fd_created(fd);
	green_cancel_enter();
	f = green_fd_get(fd);
	green_signal_interruptible(true);
	for (;;) {
		if (GREEN_REAL_CALL(read)(fd, &si, sizeof si) == sizeof si) {
			r = (int)si.ssi_signo;
			break;
		}
		if (errno != EAGAIN)
			break;
		w = f ? green_fd_wait(f, fd, GREEN_FD_READ, deadline) : -EBADF;
		if (w) {
			if (w == -EINTR)
				green_signal_restart();
			errno = w == -ETIMEDOUT ? EAGAIN : -w;
			break;
		}
	}
	green_signal_interruptible(false);
	green_fd_closing(fd);
	GREEN_REAL_CALL(close)(fd);
	green_cancel_leave(w == -ECANCELED ? w : 0);
	if (r > 0 && info) {
		memset(info, 0, sizeof *info);
		info->si_signo = (int)si.ssi_signo;
		info->si_errno = si.ssi_errno;
		info->si_code = si.ssi_code;
		info->si_pid = (pid_t)si.ssi_pid;
		info->si_uid = si.ssi_uid;
		info->si_status = si.ssi_status;
		info->si_value.sival_ptr = (void *)(uintptr_t)si.ssi_ptr;
	}
	return r;
}

GREEN_EXPORT int sigwait(const sigset_t *set, int *sig)
{
	int r;

	if (!green_boot_hooking())
		return GREEN_REAL_CALL(sigwait)(set, sig);
	r = sigwait_one(set, NULL, NULL);
	if (r < 0)
		return errno;
	*sig = r;
	return 0;
}

GREEN_EXPORT int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(sigwaitinfo)(set, info);
	return sigwait_one(set, info, NULL);
}

GREEN_EXPORT int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	struct timespec deadline;

	if (!green_boot_hooking() || !timeout || !green_clock_valid(timeout))
		return timeout ? GREEN_REAL_CALL(sigtimedwait)(set, info, timeout)
			       : sigwaitinfo(set, info);
	deadline = green_clock_add(green_clock_now(CLOCK_MONOTONIC), *timeout);
	return sigwait_one(set, info, &deadline);
}
