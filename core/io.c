/* SPDX-License-Identifier: MIT
 * The retry loop behind every blocking fd hook. Sockets are tried with MSG_DONTWAIT, pipes and
 * eventfds with RWF_NOWAIT; other waitable fds (FIFOs, ttys) are polled with a zero timeout
 * first and the real call made only when ready, so the open file description is never
 * changed (HAZARDS H2).
 */
#include "io.h"

#include "log.h"
#include "signal.h"

#include <errno.h>
#include <limits.h>

/* About to wait in dir: the program's non-blocking mode and the socket's timeout, read from
 * the kernel now (they belong to the open file description). Returns 0 (wait; *deadline set,
 * NULL for none) or -EAGAIN (the kernel would answer at once). */
static int io_before_wait(struct green_fd *f, int fd, bool socket, enum green_fd_dir dir, struct timespec *store,
			  const struct timespec **deadline, bool *timed)
{
	int t;

	if (green_fd_nonblocking(f, fd)) {
		green_log_debug(1, "fd %d: the call answers EAGAIN at once (the program set O_NONBLOCK)", fd);
		return -EAGAIN;
	}
	if (!socket || *timed)
		return 0;
	*timed = true; /* a socket timeout counts from the first wait of the call */
	t = green_fd_timeout(f, fd, dir, store);
	if (t < 0)
		return t;
	*deadline = t ? store : NULL;
	return 0;
}

ssize_t green_io_run(struct green_fd *f, int fd, enum green_fd_dir dir, bool full,
		     const size_t *total, green_io_attempt attempt, void *ctx)
{
	bool socket = f->kind == GREEN_FD_SOCKET, timed = false;
	struct timespec store;
	const struct timespec *deadline = NULL;
	size_t done = 0;

	green_signal_interruptible(true);
	for (;;) {
		ssize_t r = -EAGAIN;
		int w;

		if (socket)
			r = attempt(fd, GREEN_IO_DONTWAIT, done, ctx);
		else if (!f->no_nowait && (r = attempt(fd, GREEN_IO_NOWAIT, done, ctx)) == -EOPNOTSUPP)
			f->no_nowait = true; /* a FIFO, tty or device: poll first from now on */
		if (!socket && f->no_nowait && green_fd_ready_now(fd, dir))
			r = attempt(fd, GREEN_IO_READY, done, ctx);
		else if (!socket && f->no_nowait)
			r = -EAGAIN;
		if (r >= 0) {
			done += (size_t)r;
			if (!full || done >= *total || r == 0)
				break;
			continue; /* a partial write: wait for room for the rest */
		}
		if (r != -EAGAIN) {
			if (r == -EPIPE)
				green_signal_epipe();
			if (!done)
				done = (size_t)r; /* the error, returned below */
			break;
		}
		w = io_before_wait(f, fd, socket, dir, &store, &deadline, &timed);
		if (!w)
			w = green_fd_wait(f, fd, dir, deadline);
		/* signal(7): socket calls with a timeout are never restarted; others are with
		 * SA_RESTART. */
		if (w == -EINTR && green_signal_restart() && !deadline)
			continue;
		if (w == -EPERM) { /* epoll refuses it: it never waits, so the plain call is safe */
			r = attempt(fd, GREEN_IO_READY, done, ctx);
			done = r >= 0 ? done + (size_t)r : done ? done : (size_t)r;
			break;
		}
		if (w) {
			if (!done)
				done = (size_t)(w == -ETIMEDOUT ? -EAGAIN : w);
			break;
		}
	}
	green_signal_interruptible(false);
	return (ssize_t)done;
}

int green_io_iov_skip(const struct iovec *iov, int cnt, size_t skip, struct iovec *out)
{
	int n = 0;

	for (int i = 0; i < cnt; i++) {
		if (skip >= iov[i].iov_len) {
			skip -= iov[i].iov_len;
			continue;
		}
		out[n].iov_base = (char *)iov[i].iov_base + skip;
		out[n].iov_len = iov[i].iov_len - skip;
		skip = 0;
		n++;
	}
	return n;
}
