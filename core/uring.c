/* SPDX-License-Identifier: MIT
 * Waiting for io_uring completions cooperatively (see uring.h).
 */
#include "uring.h"

#include "clock.h"
#include "fd.h"
#include "mem.h"
#include "sched.h"
#include "signal.h"
#include "sys.h"
#include "wait.h"

#include <errno.h>
#include <linux/io_uring.h>
#include <string.h>

#ifndef IORING_ENTER_REGISTERED_RING
#define IORING_ENTER_REGISTERED_RING (1U << 4)
#endif
#ifndef IORING_ENTER_ABS_TIMER
#define IORING_ENTER_ABS_TIMER (1U << 5) /* Linux 6.12: the timeout is absolute */
#endif

/* An edge of the ring's fd may not come for completions the kernel posts lazily (deferred task
 * work): the wait looks again at least this often. */
#define URING_RECHECK_NS 100000000L

/* Are min completions there? io_uring_enter with a zero timeout: 0 yes, -ETIME no, -ENOSYS
 * when the kernel has no EXT_ARG, else the ring's error. */
static int uring_ready(int fd, bool registered, unsigned min)
{
	struct __kernel_timespec zero = { 0, 0 };
	struct io_uring_getevents_arg arg = { .ts = (__u64)(uintptr_t)&zero };
	unsigned flags = IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG | (registered ? IORING_ENTER_REGISTERED_RING : 0);
	long r = green_sys(SYS_io_uring_enter, fd, 0, min, flags, &arg, sizeof arg);

	if (r == -EINVAL)
		return -ENOSYS;
	return r == -EINTR ? -ETIME : (int)r; /* our own signal: look again */
}

int green_uring_wait(int fd, bool registered, unsigned min, const struct timespec *deadline,
		     const sigset_t *mask)
{
	struct green_fd *f = registered ? NULL : green_fd_get(fd);
	unsigned round = 0;
	sigset_t old;
	int r;

	green_signal_interruptible(true); /* never restarted after a handler */
	if (mask)
		green_signal_mask(SIG_SETMASK, mask, &old); /* a pending signal's handler runs here */
	for (;;) {
		r = uring_ready(fd, registered, min);
		if (r != -ETIME)
			break;
		if (green_signal_interrupted()) {
			r = -EINTR;
			break;
		}
		struct timespec now = green_clock_now(CLOCK_MONOTONIC), until;
		if (deadline && !green_clock_before(now, *deadline))
			break; /* -ETIME */
		until = green_clock_add(now, (struct timespec){ 0, URING_RECHECK_NS });
		if (deadline && green_clock_before(*deadline, until))
			until = *deadline;
		r = f ? green_fd_wait(f, fd, GREEN_FD_READ, &until)
		      : green_wait_backoff(&round, GREEN_WAIT_FD_READ, NULL, CLOCK_MONOTONIC, &until);
		if (r == -ETIMEDOUT || r == -EPERM || r == 0)
			continue;
		break; /* -EINTR, -ECANCELED, -EBADF */
	}
	if (r == -EINTR)
		green_signal_restart();
	green_signal_interruptible(false);
	if (mask)
		green_signal_mask(SIG_SETMASK, &old, NULL);
	return r;
}

/* Copy len bytes of the program's src as the kernel would read them: false on a fault. */
static bool uring_copy_in(void *dst, const void *src, size_t len)
{
	return green_sched_copy_in(dst, src, len) == 0;
}

long green_uring_enter(int fd, unsigned to_submit, unsigned min, unsigned flags, const void *arg,
		       size_t argsz)
{
	const unsigned known = IORING_ENTER_GETEVENTS | IORING_ENTER_SQ_WAKEUP | IORING_ENTER_SQ_WAIT |
			       IORING_ENTER_EXT_ARG | IORING_ENTER_REGISTERED_RING | IORING_ENTER_ABS_TIMER;
	struct timespec deadline, *dl = NULL;
	sigset_t mask, *m = NULL;
	const void *user_mask = NULL;
	size_t mask_size = 0;
	long submitted = 0;
	int r;

	if (!(flags & IORING_ENTER_GETEVENTS) || min == 0 || (flags & ~known))
		return GREEN_URING_PASS;
	if (flags & IORING_ENTER_EXT_ARG) {
		struct io_uring_getevents_arg ext;
		struct __kernel_timespec ts;
		if (argsz != sizeof ext || !uring_copy_in(&ext, arg, sizeof ext))
			return GREEN_URING_PASS; /* the kernel's EINVAL or EFAULT */
		user_mask = (const void *)(uintptr_t)ext.sigmask;
		mask_size = ext.sigmask_sz;
		if (ext.ts) {
			if (!uring_copy_in(&ts, (const void *)(uintptr_t)ext.ts, sizeof ts) || ts.tv_nsec < 0 ||
			    ts.tv_nsec >= 1000000000L || ts.tv_sec < 0)
				return GREEN_URING_PASS;
			deadline = (struct timespec){ (time_t)ts.tv_sec, (long)ts.tv_nsec };
			if (!(flags & IORING_ENTER_ABS_TIMER))
				deadline = green_clock_add(green_clock_now(CLOCK_MONOTONIC), deadline);
			dl = &deadline;
		}
	} else {
		user_mask = arg;
		mask_size = argsz;
	}
	if (user_mask) {
		if (mask_size != _NSIG / 8)
			return GREEN_URING_PASS; /* the kernel's EINVAL */
		sigemptyset(&mask);
		if (!uring_copy_in(&mask, user_mask, mask_size))
			return GREEN_URING_PASS;
		m = &mask;
	}
	if (to_submit) {
		submitted = green_sys(SYS_io_uring_enter, fd, to_submit, 0,
				      flags & (IORING_ENTER_SQ_WAKEUP | IORING_ENTER_SQ_WAIT | IORING_ENTER_REGISTERED_RING),
				      NULL, 0);
		if (submitted < 0 || submitted != (long)to_submit)
			return submitted; /* an error, or a short submission: the kernel does not wait */
	}
	r = green_uring_wait(fd, flags & IORING_ENTER_REGISTERED_RING, min, dl, m);
	if (r == -ENOSYS) /* no zero-timeout answer: wait in the kernel, as before */
		r = (int)green_sys(SYS_io_uring_enter, fd, 0, min, flags, arg, argsz);
	return submitted > 0 ? submitted : r;
}
