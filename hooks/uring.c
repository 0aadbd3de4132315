/* SPDX-License-Identifier: MIT
 * liburing's waiting calls. liburing makes its system calls itself (no libc), so its exported
 * functions that wait for completions are hooked: each parks until the ring has the
 * completions (core/uring.c), then lets liburing's own function take them without waiting.
 * Calls that cannot wait (wait_nr 0, a zero timeout) and rings whose kernel cannot answer
 * without waiting go to liburing unchanged. Raw io_uring_enter through syscall(2) is
 * hooks/syscall.c.
 */
#include "hook.h"

#include "../core/clock.h"
#include "../core/uring.h"

#include <liburing.h>

/* Park until ring has wait_nr completions (core/uring.c); 0, -ETIME, -EINTR, -ENOSYS... */
static int uring_ring_wait(struct io_uring *ring, unsigned wait_nr, const struct timespec *deadline,
			   const sigset_t *mask)
{
	if (!(ring->features & IORING_FEAT_EXT_ARG))
		return -ENOSYS;
	return green_uring_wait(ring->ring_fd, false, wait_nr, deadline, mask);
}

/* io_uring_wait_cqe, io_uring_wait_cqe_nr (inline in liburing.h) come here. */
long green_hook___io_uring_get_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr, unsigned submit,
				   unsigned wait_nr, sigset_t *sigmask)
{
	int r;

	if (wait_nr == 0)
		return GREEN_PASS;
	if (submit) { /* submit first, without waiting: the completions waited for may need it */
		r = GREEN_REAL_OPTIONAL(__io_uring_get_cqe)(ring, cqe_ptr, submit, 0, sigmask);
		if (r != -EAGAIN && (r < 0 || wait_nr == 1))
			return r;
	}
	r = uring_ring_wait(ring, wait_nr, NULL, sigmask);
	if (r < 0 && r != -ENOSYS)
		return r;
	return GREEN_REAL_OPTIONAL(__io_uring_get_cqe)(ring, cqe_ptr, 0, wait_nr, sigmask);
}

long green_hook_io_uring_wait_cqes(struct io_uring *ring, struct io_uring_cqe **cqe_ptr, unsigned wait_nr,
				   struct __kernel_timespec *ts, sigset_t *sigmask)
{
	struct __kernel_timespec zero = { 0, 0 };
	struct timespec deadline;
	int r;

	if (wait_nr == 0 || !(ring->features & IORING_FEAT_EXT_ARG))
		return GREEN_PASS;
	if (!ts)
		return green_hook___io_uring_get_cqe(ring, cqe_ptr, 0, wait_nr, sigmask);
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L || (!ts->tv_sec && !ts->tv_nsec))
		return GREEN_PASS; /* answered at once */
	deadline = green_clock_add(green_clock_now(CLOCK_MONOTONIC), (struct timespec){ (time_t)ts->tv_sec, (long)ts->tv_nsec });
	/* liburing submits what is queued, then waits: with a zero timeout it only submits */
	r = GREEN_REAL_OPTIONAL(io_uring_wait_cqes)(ring, cqe_ptr, wait_nr, &zero, sigmask);
	if (r != -ETIME)
		return r;
	r = uring_ring_wait(ring, wait_nr, &deadline, sigmask);
	if (r < 0)
		return r; /* -ETIME at the deadline, -EINTR */
	return GREEN_REAL_OPTIONAL(io_uring_wait_cqes)(ring, cqe_ptr, wait_nr, &zero, sigmask);
}

long green_hook_io_uring_wait_cqe_timeout(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
					  struct __kernel_timespec *ts)
{
	if (!(ring->features & IORING_FEAT_EXT_ARG))
		return GREEN_PASS;
	return green_hook_io_uring_wait_cqes(ring, cqe_ptr, 1, ts, NULL);
}

long green_hook_io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr)
{
	int n, r;

	if (wait_nr == 0 || !(ring->features & IORING_FEAT_EXT_ARG))
		return GREEN_PASS;
	n = GREEN_REAL_OPTIONAL(io_uring_submit_and_wait)(ring, 0); /* submits, never waits */
	if (n < 0)
		return n;
	r = uring_ring_wait(ring, wait_nr, NULL, NULL);
	return n > 0 || r == 0 ? n : r; /* the kernel reports the submission over the wait */
}

long green_hook_io_uring_enter(unsigned fd, unsigned to_submit, unsigned min_complete, unsigned flags, sigset_t *sig)
{
	long r = green_uring_enter((int)fd, to_submit, min_complete, flags, sig, sig ? _NSIG / 8 : 0);

	return r == GREEN_URING_PASS ? GREEN_PASS : r;
}

long green_hook_io_uring_enter2(unsigned fd, unsigned to_submit, unsigned min_complete, unsigned flags, sigset_t *sig,
				size_t sz)
{
	long r = green_uring_enter((int)fd, to_submit, min_complete, flags, sig, sz);

	return r == GREEN_URING_PASS ? GREEN_PASS : r;
}
