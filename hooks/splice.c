/* SPDX-License-Identifier: MIT
 * Zero-copy transfers that may block on a socket or pipe: sendfile and splice. splice has a
 * per-call non-blocking flag (SPLICE_F_NONBLOCK, honoured for pipes and sockets alike); sendfile
 * has none, so towards a blocking socket it waits for room and sends at most what the socket
 * buffer can take at once.
 */
#include "hook.h"

#include "../core/fd.h"
#include "../core/sys.h"

#include <fcntl.h>
#include <linux/sockios.h>
#include <poll.h>
#include <sys/sendfile.h>

/* Park until in is readable or out writable (whichever side was waitable). */
static int splice_wait(int in, struct green_fd *fi, int out, struct green_fd *fo)
{
	int fds[2], n = 0;
	short ev[2];

	if (fi) {
		fds[n] = in;
		ev[n++] = POLLIN;
	}
	if (fo) {
		fds[n] = out;
		ev[n++] = POLLOUT;
	}
	return green_fd_wait_many(fds, ev, n, NULL);
}

long green_hook_splice(int in, loff_t *in_off, int out, loff_t *out_off, size_t len, unsigned int flags)
{
	struct green_fd *fi, *fo;
	ssize_t r;

	if (flags & SPLICE_F_NONBLOCK)
		return GREEN_PASS;
	fi = green_fd_blocking(in);
	fo = green_fd_blocking(out);
	if (!fi && !fo)
		return GREEN_PASS;
	for (;;) {
		int w;
		r = GREEN_REAL_CALL(splice)(in, in_off, out, out_off, len, flags | SPLICE_F_NONBLOCK);
		if (r >= 0)
			return r;
		if (errno != EAGAIN)
			return -errno;
		if ((fi && green_fd_nonblocking(fi, in)) || (fo && green_fd_nonblocking(fo, out)))
			return -EAGAIN; /* a non-blocking end: the kernel's answer */
		w = splice_wait(in, fi, out, fo);
		if (w)
			return w;
	}
}

/* Bytes a blocking socket accepts right now without blocking: its send buffer minus what is
 * queued (SIOCOUTQ). 0 when full. */
static size_t splice_socket_room(int fd)
{
	int sndbuf = 0, queued = 0;
	socklen_t l = sizeof sndbuf;

	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &l) || green_sys(SYS_ioctl, fd, SIOCOUTQ, &queued))
		return 0;
	/* The kernel reports twice the requested SO_SNDBUF to cover its overhead: use half. */
	return sndbuf / 2 > queued ? (size_t)(sndbuf / 2 - queued) : 0;
}

long green_hook_sendfile(int out, int in, off_t *offset, size_t count)
{
	struct green_fd *fo = green_fd_blocking(out);
	size_t done = 0;

	if (!fo || fo->kind != GREEN_FD_SOCKET || green_fd_nonblocking(fo, out))
		return GREEN_PASS; /* a non-blocking socket: the kernel's sendfile never waits */
	while (done < count) {
		size_t room = splice_socket_room(out);
		ssize_t r;
		if (!room) {
			int w = green_fd_wait(fo, out, GREEN_FD_WRITE, NULL);
			if (w == -ECANCELED)
				return w; /* acts: the bytes already sent are lost with the thread */
			if (w && w != -EPERM)
				return done ? (long)done : w;
			if (!w)
				continue;
			room = count - done; /* cannot be waited on: let the kernel do it */
		}
		r = GREEN_REAL_CALL(sendfile)(out, in, offset, count - done < room ? count - done : room);
		if (r < 0)
			return done ? (long)done : -errno;
		if (r == 0)
			break; /* end of the input file */
		done += (size_t)r;
	}
	return (long)done;
}
