/* SPDX-License-Identifier: MIT
 * Waiting for signals: pause and sigsuspend park until a handler runs (EINTR); sigwait,
 * sigwaitinfo and sigtimedwait read the (blocked) signals from a signalfd, waited on like any
 * fd, so other green threads run meanwhile.
 */
#include "hook.h"

#include "../core/ownfd.h"
#include "../core/preempt.h"

#include "../core/clock.h"
#include "../core/fd.h"
#include "../core/sched.h"
#include "../core/sys.h"
#include "../core/signal.h"

#include <string.h>
#include <sys/signalfd.h>

long green_hook_pause(void)
{
	return green_signal_pause();
}

long green_hook_sigsuspend(const sigset_t *mask)
{
	sigset_t old;
	int r;

	/* Interruptible before unblocking: a pending signal's handler runs inside the mask
	 * change. */
	green_signal_interruptible(true);
	r = green_signal_mask(SIG_SETMASK, mask, &old);
	if (r) {
		green_signal_interruptible(false);
		return r;
	}
	r = green_signal_pause();
	green_signal_mask(SIG_SETMASK, &old, NULL);
	return r;
}

/* sigpause: sigsuspend with the current mask minus sig (X/Open), or with mask (the BSD
 * version: a mask of the first 32 signals), as glibc's __sigpause. */
long green_hook___sigpause(int sig_or_mask, int is_sig)
{
	sigset_t set;

	if (is_sig) {
		if (green_signal_mask(SIG_BLOCK, NULL, &set) || sigdelset(&set, sig_or_mask) < 0)
			return -EINVAL;
	} else {
		sigemptyset(&set);
		for (int sig = 1; sig <= 32; sig++)
			if (((unsigned)sig_or_mask >> (sig - 1)) & 1)
				sigaddset(&set, sig);
	}
	return green_hook_sigsuspend(&set);
}

long green_hook___xpg_sigpause(int sig)
{
	return green_hook___sigpause(sig, 1);
}

long green_hook_sigpause(int mask)
{
	return green_hook___sigpause(mask, 0);
}

/* glibc's sigtimedwait reports a tkill's SI_TKILL as SI_USER (raise uses tkill): so do we. */
static long sigwait_folded(long sig, siginfo_t *info)
{
	if (sig > 0 && info && info->si_code == SI_TKILL)
		info->si_code = SI_USER;
	return sig;
}

/* Wait for one of the signals in set, blocked or not, as the kernel does (deadline NULL:
 * forever) and fill *info. Returns the signal number or -errno (-EAGAIN on timeout, -EINTR,
 * -EINVAL, -ECANCELED). */
static long sigwait_one(const sigset_t *set, siginfo_t *info, const struct timespec *deadline)
{
	struct signalfd_siginfo si;
	struct green_fd *f;
	/* Raw system calls: sigwait (RET ERRNUM) must leave errno alone, and a signalfd read
	 * answers EAGAIN until a signal comes. */
	int fd = (int)green_sys(SYS_signalfd4, -1, set, _NSIG / 8, SFD_NONBLOCK | SFD_CLOEXEC), r = 0;
	uint64_t waited;
	sigset_t before;
	int own;

	fd = green_ownfd_adopt(fd, GREEN_OWNFD_TRANSIENT);
	if (fd < 0)
		return fd;
	memcpy(&waited, set, sizeof waited); /* the kernel has read it: a good pointer */
	green_preempt_waited(set); /* waiting for the preemption signal: it is the program's now */
	/* A signal sent to this thread alone (pthread_kill) first. */
	if ((own = green_signal_take_own(waited, info))) {
		green_ownfd_close(fd);
		return sigwait_folded(own, info);
	}
	/* The kernel lets the waited signals through to the waiter, not to their handlers: block
	 * them meanwhile, so they stay pending for the signalfd (or for this thread). */
	green_signal_mask(SIG_BLOCK, NULL, &before);
	green_signal_mask(SIG_BLOCK, set, NULL);
	green_fd_forget(fd);
	f = green_fd_get(fd);
	green_signal_interruptible(true);
	green_sched_self()->sig_waiting = waited;
	for (;;) {
		int w;
		long n = green_sys(SYS_read, fd, &si, sizeof si);
		if (n == sizeof si) {
			r = (int)si.ssi_signo;
			break;
		}
		if (n != -EAGAIN) {
			r = n < 0 ? (int)n : -EIO;
			break;
		}
		w = f ? green_fd_wait(f, fd, GREEN_FD_READ, deadline) : -EBADF;
		if (w) {
			if (w == -EINTR)
				green_signal_restart();
			if (w == -EINTR && (own = green_signal_take_own(waited, info)))
				break; /* pthread_kill sent it one */
			r = w == -ETIMEDOUT ? -EAGAIN : w;
			break;
		}
	}
	green_sched_self()->sig_waiting = 0;
	green_signal_interruptible(false);
	green_signal_mask(SIG_SETMASK, &before, NULL);
	if (green_ownfd_is(fd)) {
		green_fd_forget(fd);
		green_ownfd_close(fd);
	}
	if (own)
		return sigwait_folded(own, info);
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
	return sigwait_folded(r, info);
}

long green_hook_sigwait(const sigset_t *set, int *sig)
{
	long r = sigwait_one(set, NULL, NULL);

	if (r < 0)
		return r;
	*sig = (int)r;
	return 0;
}

long green_hook_sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
	return sigwait_one(set, info, NULL);
}

long green_hook_sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	struct timespec deadline, t;

	if (!timeout)
		return sigwait_one(set, info, NULL);
	if (green_hook_copy_in(&t, timeout, sizeof t) || !green_clock_valid(&t))
		return GREEN_PASS; /* the kernel's EFAULT or EINVAL */
	deadline = green_clock_add(green_clock_now(CLOCK_MONOTONIC), t);
	return sigwait_one(set, info, &deadline);
}
