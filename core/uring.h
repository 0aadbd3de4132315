/* SPDX-License-Identifier: MIT
 * Waiting for io_uring completions cooperatively: the ring's fd is readable while completions
 * are posted, and io_uring_enter with a zero timeout (IORING_ENTER_EXT_ARG, Linux 5.11) tells
 * whether enough of them are there, so a green thread parks on the fd instead of blocking the
 * one OS thread in the kernel.
 */
#ifndef GREEN_CORE_URING_H
#define GREEN_CORE_URING_H

#include <signal.h>
#include <stdbool.h>
#include <time.h>

/* Park until ring fd (or, with registered, a registered ring's index, which cannot be polled:
 * then short growing sleeps) has at least min completions, CLOCK_MONOTONIC passes *deadline
 * (NULL: none), or a signal handler runs. mask (NULL: none) is the green thread's signal mask
 * meanwhile, as the kernel applies the one io_uring_enter is given. Returns 0, -ETIME,
 * -EINTR (never restarted), -ECANCELED, -ENOSYS when the kernel cannot answer without
 * waiting (no IORING_ENTER_EXT_ARG: the caller then makes the blocking call), or the kernel's
 * error for the ring (-EBADF, -EEXIST for a single-issuer ring of another task...). Green
 * thread only; parks. */
int green_uring_wait(int fd, bool registered, unsigned min, const struct timespec *deadline,
		     const sigset_t *mask);

/* io_uring_enter(2) as the kernel runs it, for a call that waits (IORING_ENTER_GETEVENTS with
 * min_complete > 0): the submission first, then green_uring_wait with the call's timeout and
 * signal mask (copied in here; a pointer the kernel would refuse sends the whole call to the
 * kernel). Returns the submitted count when there was one, else the wait's 0 or -errno; or
 * GREEN_URING_PASS for a call to make unchanged (nothing to wait for, an argument the kernel
 * answers at once, no EXT_ARG). Green thread only; parks. */
#define GREEN_URING_PASS (-0x7fffffffL - 1)
long green_uring_enter(int fd, unsigned to_submit, unsigned min, unsigned flags, const void *arg,
		       size_t argsz);

#endif
