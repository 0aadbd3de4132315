/* SPDX-License-Identifier: MIT
 * Socket logic: creation (the fd table forgets stale entries), accept and connect that park
 * only the caller, and the one socket option libgreen must remember (a negative timeout).
 */
#include "hook.h"


#include "../core/io.h"
#include "../core/signal.h"
#include "../core/sys.h"
#include "../core/wait.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/syscall.h>

long green_hook_socket(int domain, int type, int protocol)
{
	return green_hook_new_fd(GREEN_REAL_CALL(socket)(domain, type, protocol));
}

long green_hook_socketpair(int domain, int type, int protocol, int sv[2])
{
	return green_hook_new_fds(GREEN_REAL_CALL(socketpair)(domain, type, protocol, sv), sv);
}

/* accept on a listening socket: MSG_DONTWAIT does not apply and its description may be shared
 * with other processes (pre-fork servers), so wait for readability, then accept. */
struct sock_accept {
	struct sockaddr *addr;
	socklen_t *len;
	int flags;
	bool listening;
};

static ssize_t sock_accept_attempt(int fd, enum green_io_mode mode, size_t done, void *ctx)
{
	struct sock_accept *a = ctx;
	int r;

	(void)mode;
	(void)done;
	if (!green_fd_ready_now(fd, GREEN_FD_READ) && a->listening)
		return -EAGAIN;
	/* ready, or not a listening socket (UDP, connected, never listened): the kernel answers
	 * at once (EINVAL, EOPNOTSUPP) */
	r = GREEN_REAL_CALL(accept4)(fd, a->addr, a->len, a->flags);
	return r < 0 ? -errno : r;
}

static long sock_accept(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	struct green_fd *f = green_fd_blocking(fd);
	struct sock_accept a = { addr, len, flags, false };
	int on = 0;
	socklen_t l = sizeof on;
	ssize_t r;

	if (!f || f->kind != GREEN_FD_SOCKET || (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)))
		return GREEN_PASS; /* bad flags: the kernel's EINVAL */
	a.listening = green_sys(SYS_getsockopt, fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &l) == 0 && on;
	r = green_io_run(f, fd, GREEN_FD_READ, false, &(size_t){ 0 }, sock_accept_attempt, &a);
	if (r < 0)
		return r;
	green_fd_created((int)r);
	return r;
}

long green_hook_accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	return sock_accept(fd, addr, len, 0);
}

long green_hook_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	return sock_accept(fd, addr, len, flags);
}

/* The waits of a blocking connect (w: green_fd_timeout's answer, deadline its SO_SNDTIMEO), as
 * the kernel's: a handler without SA_RESTART (or with a timeout set) ends them with EINTR, one
 * with SA_RESTART resumes them; the connection goes on either way. 0 or -errno. */
static int connect_wait(struct green_fd *f, int fd, const struct sockaddr *addr, socklen_t len,
			int fl, int w, const struct timespec *deadline)
{
	unsigned round = 0;
	int r, err;
	socklen_t elen = sizeof err;

	for (;;) {
		GREEN_REAL_CALL(fcntl)(fd, F_SETFL, fl | O_NONBLOCK);
		r = GREEN_REAL_CALL(connect)(fd, addr, len);
		err = errno;
		GREEN_REAL_CALL(fcntl)(fd, F_SETFL, fl);
		/* AF_UNIX to a full backlog answers EAGAIN and cannot be polled: retry with backoff
		 * (50 us to 2 ms) until SO_SNDTIMEO's deadline (EAGAIN, as the kernel). */
		if (r < 0 && err == EAGAIN) {
			int b = w < 0 ? -ETIMEDOUT : green_wait_backoff(&round, GREEN_WAIT_FD_WRITE, f, CLOCK_MONOTONIC, deadline);
			if (b == -EINTR && green_signal_restart() && !deadline)
				continue;
			if (b)
				return b == -ETIMEDOUT ? -EAGAIN : b;
			continue;
		}
		break;
	}
	if (r == 0)
		return 0;
	if (err != EINPROGRESS)
		return -err;
	/* the kernel answers a connect timeout (and a negative one at once) with EINPROGRESS */
	do
		w = w < 0 ? -ETIMEDOUT : green_fd_wait(f, fd, GREEN_FD_WRITE, deadline);
	while (w == -EINTR && green_signal_restart() && !deadline);
	if (w == -ETIMEDOUT)
		return -EINPROGRESS;
	if (w && w != -EPERM)
		return w;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		return -errno;
	return -err;
}

/* connect: start it non-blocking (O_NONBLOCK set only for the duration of the call: connect
 * has no per-call flag), then wait for writability and read SO_ERROR. */
long green_hook_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct green_fd *f = green_fd_blocking(fd);
	struct timespec store;
	const struct timespec *deadline;
	int fl, r, w;

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_PASS;
	fl = GREEN_REAL_CALL(fcntl)(fd, F_GETFL);
	if (fl < 0 || (fl & O_NONBLOCK))
		return GREEN_PASS; /* the program's non-blocking connect: EINPROGRESS at once */
	w = green_fd_timeout(f, fd, GREEN_FD_WRITE, &store);
	deadline = w > 0 ? &store : NULL;
	green_signal_interruptible(true);
	r = connect_wait(f, fd, addr, len, fl, w, deadline);
	green_signal_interruptible(false);
	return r;
}

/* The socket timeouts: the kernel keeps them (green_fd_timeout reads them when a call would
 * block); only a negative one must be remembered, as the kernel reports it back as 0. */
long green_hook_setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	bool negative;

	if (level != SOL_SOCKET || (name != SO_RCVTIMEO_OLD && name != SO_SNDTIMEO_OLD &&
				    name != SO_RCVTIMEO_NEW && name != SO_SNDTIMEO_NEW))
		return GREEN_PASS;
	if (GREEN_REAL_CALL(setsockopt)(fd, level, name, val, len))
		return -errno;
	/* The kernel read the value: it is there. _OLD is a struct timeval, _NEW a pair of
	 * 64-bit fields; both start with the seconds. */
	negative = name == SO_RCVTIMEO_NEW || name == SO_SNDTIMEO_NEW ? *(const int64_t *)val < 0
								       : ((const struct timeval *)val)->tv_sec < 0;
	green_fd_timeout_set(fd, name, negative);
	return 0;
}
