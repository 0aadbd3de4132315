/* SPDX-License-Identifier: MIT
 * Socket logic: creation (the fd table forgets stale entries), accept and connect that park
 * only the caller, and the socket options libgreen must know (SO_RCVTIMEO, SO_SNDTIMEO).
 */
#include "hook.h"

#include "../core/io.h"
#include "../core/wait.h"

#include <fcntl.h>
#include <sys/socket.h>

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
};

static ssize_t sock_accept_attempt(int fd, bool dontwait, size_t done, void *ctx)
{
	struct sock_accept *a = ctx;
	int r;

	(void)dontwait;
	(void)done;
	if (!green_fd_ready_now(fd, GREEN_FD_READ))
		return -EAGAIN;
	r = GREEN_REAL_CALL(accept4)(fd, a->addr, a->len, a->flags);
	return r < 0 ? -errno : r;
}

static long sock_accept(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	struct green_fd *f = green_fd_blocking(fd);
	struct sock_accept a = { addr, len, flags };
	ssize_t r;

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_PASS;
	r = green_io_run(f, fd, GREEN_FD_READ, false, 0, sock_accept_attempt, &a);
	if (r < 0)
		return r;
	green_fd_forget((int)r);
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

/* connect: start it non-blocking (O_NONBLOCK set only for the duration of the call: connect
 * has no per-call flag), then wait for writability and read SO_ERROR. */
long green_hook_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct green_fd *f = green_fd_blocking(fd);
	struct timespec store;
	const struct timespec *deadline;
	unsigned round = 0;
	int fl, r, err, w;
	socklen_t elen = sizeof err;

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_PASS;
	deadline = green_fd_deadline(&f->sndtimeo, &store);
	fl = GREEN_REAL_CALL(fcntl)(fd, F_GETFL);
	for (;;) {
		GREEN_REAL_CALL(fcntl)(fd, F_SETFL, fl | O_NONBLOCK);
		r = GREEN_REAL_CALL(connect)(fd, addr, len);
		err = errno;
		GREEN_REAL_CALL(fcntl)(fd, F_SETFL, fl);
		/* AF_UNIX to a full backlog answers EAGAIN and cannot be polled: retry with backoff,
		 * as the blocking call would wait for room. */
		if (r < 0 && err == EAGAIN) {
			w = green_wait_backoff(&round, GREEN_WAIT_FD_WRITE, f, CLOCK_MONOTONIC, deadline);
			if (w)
				return w == -ECANCELED ? w : -EAGAIN;
			continue;
		}
		break;
	}
	if (r == 0)
		return 0;
	if (err != EINPROGRESS)
		return -err;
	w = green_fd_wait(f, fd, GREEN_FD_WRITE, deadline);
	if (w == -ETIMEDOUT) /* the kernel answers a connect timeout with EINPROGRESS */
		return -EINPROGRESS;
	if (w && w != -EPERM)
		return w;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		return -errno;
	return -err;
}

long green_hook_setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	if (level != SOL_SOCKET || (name != SO_RCVTIMEO && name != SO_SNDTIMEO))
		return GREEN_PASS;
	if (GREEN_REAL_CALL(setsockopt)(fd, level, name, val, len))
		return -errno;
	green_fd_set_timeout(fd, name); /* the timeout the kernel accepted */
	return 0;
}
