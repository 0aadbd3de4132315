/* SPDX-License-Identifier: MIT
 * Socket hooks: creation (the fd table forgets stale entries), accept and connect that park
 * only the caller, and the socket options libgreen must know (SO_RCVTIMEO, SO_SNDTIMEO).
 */
#include "hook.h"

#include "../core/io.h"
#include "../core/wait.h"

#include <fcntl.h>
#include <sys/socket.h>

/* A new fd from a hooked call: the number may carry a stale entry from an unseen close. */
static int sock_created(int fd)
{
	if (fd >= 0 && green_boot_hooking())
		green_fd_created(fd);
	return fd;
}

GREEN_EXPORT int socket(int domain, int type, int protocol)
{
	return sock_created(GREEN_REAL_CALL(socket)(domain, type, protocol));
}

GREEN_EXPORT int socketpair(int domain, int type, int protocol, int sv[2])
{
	int r = GREEN_REAL_CALL(socketpair)(domain, type, protocol, sv);

	if (r == 0) {
		sock_created(sv[0]);
		sock_created(sv[1]);
	}
	return r;
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

static int sock_accept(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	struct green_fd *f = green_boot_hooking() ? green_fd_blocking(fd) : NULL;
	struct sock_accept a = { addr, len, flags };
	ssize_t r;

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_REAL_CALL(accept4)(fd, addr, len, flags);
	green_cancel_enter();
	r = green_io_run(f, fd, GREEN_FD_READ, false, 0, sock_accept_attempt, &a);
	green_cancel_leave(r == -ECANCELED ? -ECANCELED : 0);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return sock_created((int)r);
}

GREEN_EXPORT int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	return sock_accept(fd, addr, len, 0);
}

GREEN_EXPORT int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	return sock_accept(fd, addr, len, flags);
}

/* connect: start it non-blocking (O_NONBLOCK set only for the duration of the call: connect
 * has no per-call flag), then wait for writability and read SO_ERROR. */
GREEN_EXPORT int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct green_fd *f = green_boot_hooking() ? green_fd_blocking(fd) : NULL;
	struct timespec store;
	const struct timespec *deadline;
	unsigned round = 0;
	int fl, r, err, w;
	socklen_t elen = sizeof err;

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_REAL_CALL(connect)(fd, addr, len);
	green_cancel_enter();
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
			w = green_wait_poll(&round, GREEN_WAIT_FD_WRITE, f, CLOCK_MONOTONIC, deadline);
			if (w) {
				green_cancel_leave(w);
				errno = EAGAIN;
				return -1;
			}
			continue;
		}
		break;
	}
	if (r == 0 || err != EINPROGRESS) {
		green_cancel_leave(0);
		errno = err;
		return r;
	}
	w = green_fd_wait(f, fd, GREEN_FD_WRITE, deadline);
	green_cancel_leave(w == -ECANCELED ? -ECANCELED : 0);
	if (w == -ETIMEDOUT) { /* the kernel answers a connect timeout with EINPROGRESS */
		errno = EINPROGRESS;
		return -1;
	}
	if (w && w != -EPERM) {
		errno = -w;
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		return -1;
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

GREEN_EXPORT int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	int r = GREEN_REAL_CALL(setsockopt)(fd, level, name, val, len);
	struct green_fd *f;

	/* Remember the timeouts the kernel accepted; read them back so the stored value is exactly
	 * what the kernel uses (it rounds to jiffies). */
	if (r == 0 && level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_SNDTIMEO) &&
	    green_boot_hooking() && (f = green_fd_get(fd))) {
		socklen_t l = sizeof(struct timeval);
		getsockopt(fd, SOL_SOCKET, name, name == SO_RCVTIMEO ? &f->rcvtimeo : &f->sndtimeo, &l);
	}
	return r;
}
