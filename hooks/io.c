/* SPDX-License-Identifier: MIT
 * Blocking read/write-family logic: read, readv, write, writev, recv*, send* and the
 * _FORTIFY_SOURCE entry points. Each parks only the calling green thread; regular files, fds
 * the program made non-blocking, and calls that ask for MSG_DONTWAIT are declined to libc.
 */
#include "hook.h"

#include "../core/io.h"
#include "../core/pool.h"
#include "../preload/config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The top of the user address space on x86-64 with 4-level paging (TASK_SIZE_MAX); 5-level
 * kernels allow more, so this only ever sends more calls straight to the kernel. */
#define IO_USER_TOP 0x00007ffffffff000ull
#include <sys/socket.h>

/* GREEN_FILE_OFFLOAD=1: a read or write on a regular file runs on the thread pool (disks can
 * be slow; they have no readiness to wait for). */
struct io_file_call {
	int fd;
	void *buf;
	size_t len;
	bool write;
	ssize_t result;
	int err;
};

static void io_file_run(void *p)
{
	struct io_file_call *c = p;

	c->result = c->write ? GREEN_REAL_CALL(write)(c->fd, c->buf, c->len)
			     : GREEN_REAL_CALL(read)(c->fd, c->buf, c->len);
	c->err = errno;
}

/* The result or -errno of the call on fd offloaded to the pool, or GREEN_PASS when it is not
 * (offload off, not a regular file, no pool). */
static long io_file_offload(int fd, void *buf, size_t len, bool write)
{
	struct io_file_call c = { fd, buf, len, write, 0, 0 };
	struct green_fd *f;

	if (!green_config.file_offload || !(f = green_fd_get(fd)) || f->kind != GREEN_FD_FILE ||
	    green_pool_run(io_file_run, &c))
		return GREEN_PASS;
	return c.result < 0 ? -c.err : c.result;
}

/* False when the kernel would refuse [buf, buf+len) outright (access_ok: the range leaves the
 * user address space): the real call then answers EFAULT at once, exactly as natively, where
 * recv(MSG_DONTWAIT) would clamp the length and succeed. */
static bool io_range_ok(const void *buf, size_t len)
{
	uintptr_t end;

	return !__builtin_add_overflow((uintptr_t)buf, len, &end) && end <= IO_USER_TOP;
}

/* A buffer operation: read/recv/recvfrom or write/send/sendto. */
struct io_buf {
	void *buf;
	size_t len;
	int flags;
	struct sockaddr *addr;       /* recvfrom's source / sendto's destination */
	socklen_t *addrlen_out;      /* recvfrom */
	socklen_t addrlen_in;        /* sendto */
	bool write;
};

static ssize_t io_buf_attempt(int fd, bool dontwait, size_t done, void *ctx)
{
	struct io_buf *b = ctx;
	char *p = (char *)b->buf + done;
	size_t len = b->len - done;
	ssize_t r;

	if (b->write) {
		/* A pipe write of at most PIPE_BUF fits once poll says writable (atomic, never
		 * blocks); longer ones go in PIPE_BUF pieces. */
		if (!dontwait && len > PIPE_BUF)
			len = PIPE_BUF;
		if (dontwait)
			r = GREEN_REAL_CALL(sendto)(fd, p, len, b->flags | MSG_DONTWAIT, b->addr, b->addrlen_in);
		else
			r = GREEN_REAL_CALL(write)(fd, p, len);
	} else if (dontwait) {
		r = GREEN_REAL_CALL(recvfrom)(fd, p, len, (b->flags & ~MSG_WAITALL) | MSG_DONTWAIT,
					      b->addr, b->addrlen_out);
	} else {
		r = GREEN_REAL_CALL(read)(fd, p, len);
	}
	return r < 0 ? -errno : r;
}

/* Run a buffer operation cooperatively; full for stream writes and MSG_WAITALL reads. */
static long io_buf_run(struct green_fd *f, int fd, struct io_buf *b)
{
	bool stream = f->kind != GREEN_FD_SOCKET || f->stream_socket;
	bool full = b->write ? stream : (stream && f->kind == GREEN_FD_SOCKET && (b->flags & MSG_WAITALL));

	return green_io_run(f, fd, b->write ? GREEN_FD_WRITE : GREEN_FD_READ, full, b->len, io_buf_attempt, b);
}

long green_hook_read(int fd, void *buf, size_t len)
{
	struct green_fd *f = io_range_ok(buf, len) ? green_fd_blocking(fd) : NULL;
	struct io_buf b = { .buf = buf, .len = len };

	if (!f)
		return io_file_offload(fd, buf, len, false);
	return io_buf_run(f, fd, &b);
}

long green_hook___read_chk(int fd, void *buf, size_t len, size_t buflen)
{
	if (len > buflen) /* glibc's __chk_fail: buffer overflow detected */
		return GREEN_PASS;
	return green_hook_read(fd, buf, len);
}

long green_hook_write(int fd, const void *buf, size_t len)
{
	struct green_fd *f = io_range_ok(buf, len) ? green_fd_blocking(fd) : NULL;
	struct io_buf b = { .buf = (void *)buf, .len = len, .write = true };

	if (!f)
		return io_file_offload(fd, (void *)buf, len, true);
	return io_buf_run(f, fd, &b);
}

long green_hook_recv(int fd, void *buf, size_t len, int flags)
{
	struct green_fd *f = (flags & MSG_DONTWAIT) || !io_range_ok(buf, len) ? NULL : green_fd_blocking(fd);
	struct io_buf b = { .buf = buf, .len = len, .flags = flags };

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_PASS;
	return io_buf_run(f, fd, &b);
}

long green_hook___recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags)
{
	if (len > buflen)
		return GREEN_PASS;
	return green_hook_recv(fd, buf, len, flags);
}

long green_hook_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr,
			      socklen_t *addrlen)
{
	struct green_fd *f = (flags & MSG_DONTWAIT) || !io_range_ok(buf, len) ? NULL : green_fd_blocking(fd);
	struct io_buf b = { .buf = buf, .len = len, .flags = flags, .addr = addr, .addrlen_out = addrlen };

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_PASS;
	return io_buf_run(f, fd, &b);
}

long green_hook___recvfrom_chk(int fd, void *buf, size_t len, size_t buflen, int flags,
				    struct sockaddr *addr, socklen_t *addrlen)
{
	if (len > buflen)
		return GREEN_PASS;
	return green_hook_recvfrom(fd, buf, len, flags, addr, addrlen);
}

long green_hook_send(int fd, const void *buf, size_t len, int flags)
{
	struct green_fd *f = (flags & MSG_DONTWAIT) || !io_range_ok(buf, len) ? NULL : green_fd_blocking(fd);
	struct io_buf b = { .buf = (void *)buf, .len = len, .flags = flags, .write = true };

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_PASS;
	return io_buf_run(f, fd, &b);
}

long green_hook_sendto(int fd, const void *buf, size_t len, int flags,
			    const struct sockaddr *addr, socklen_t addrlen)
{
	struct green_fd *f = (flags & MSG_DONTWAIT) || !io_range_ok(buf, len) ? NULL : green_fd_blocking(fd);
	struct io_buf b = { .buf = (void *)buf, .len = len, .flags = flags,
			    .addr = (struct sockaddr *)addr, .addrlen_in = addrlen, .write = true };

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_PASS;
	return io_buf_run(f, fd, &b);
}

/* A scatter/gather operation: readv/writev/recvmsg/sendmsg. */
struct io_msg {
	struct msghdr *msg; /* the caller's header (its iov is never modified) */
	int flags;
	bool write;
	size_t total;
};

static ssize_t io_msg_attempt(int fd, bool dontwait, size_t done, void *ctx)
{
	struct io_msg *m = ctx;
	struct msghdr h = *m->msg;
	struct iovec stack_iov[16], *iov = stack_iov;
	ssize_t r;

	if (done) { /* continue a partial write after the bytes already sent */
		if (h.msg_iovlen > 16 && !(iov = malloc(sizeof *iov * h.msg_iovlen)))
			return -ENOMEM;
		h.msg_iovlen = (size_t)green_io_iov_skip(m->msg->msg_iov, (int)m->msg->msg_iovlen, done, iov);
		h.msg_iov = iov;
		h.msg_control = NULL; /* ancillary data went with the first piece */
		h.msg_controllen = 0;
	}
	if (dontwait)
		r = m->write ? GREEN_REAL_CALL(sendmsg)(fd, &h, m->flags | MSG_DONTWAIT)
			     : GREEN_REAL_CALL(recvmsg)(fd, &h, (m->flags & ~MSG_WAITALL) | MSG_DONTWAIT);
	else if (m->write) /* a pipe: one PIPE_BUF-sized piece at a time keeps it non-blocking */
		r = GREEN_REAL_CALL(write)(fd, h.msg_iov[0].iov_base,
					   h.msg_iov[0].iov_len > PIPE_BUF ? PIPE_BUF : h.msg_iov[0].iov_len);
	else
		r = GREEN_REAL_CALL(readv)(fd, h.msg_iov, (int)h.msg_iovlen);
	if (r >= 0 && !m->write) { /* recvmsg reports these through the caller's header */
		m->msg->msg_flags = h.msg_flags;
		m->msg->msg_namelen = h.msg_namelen;
		m->msg->msg_controllen = h.msg_controllen;
	}
	if (iov != stack_iov)
		free(iov);
	return r < 0 ? -errno : r;
}

static long io_msg_run(struct green_fd *f, int fd, struct io_msg *m)
{
	bool stream = f->kind != GREEN_FD_SOCKET || f->stream_socket;

	for (size_t i = 0; i < m->msg->msg_iovlen; i++)
		m->total += m->msg->msg_iov[i].iov_len;
	return green_io_run(f, fd, m->write ? GREEN_FD_WRITE : GREEN_FD_READ, m->write ? stream : false,
			    m->total, io_msg_attempt, m);
}

long green_hook_readv(int fd, const struct iovec *iov, int cnt)
{
	struct green_fd *f = green_fd_blocking(fd);
	struct msghdr h = { .msg_iov = (struct iovec *)iov, .msg_iovlen = cnt > 0 ? (size_t)cnt : 0 };
	struct io_msg m = { .msg = &h };

	if (!f || cnt <= 0 || cnt > IOV_MAX)
		return GREEN_PASS;
	return io_msg_run(f, fd, &m);
}

long green_hook_writev(int fd, const struct iovec *iov, int cnt)
{
	struct green_fd *f = green_fd_blocking(fd);
	struct msghdr h = { .msg_iov = (struct iovec *)iov, .msg_iovlen = cnt > 0 ? (size_t)cnt : 0 };
	struct io_msg m = { .msg = &h, .write = true };

	if (!f || cnt <= 0 || cnt > IOV_MAX)
		return GREEN_PASS;
	return io_msg_run(f, fd, &m);
}

long green_hook_recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct green_fd *f = (flags & MSG_DONTWAIT) ? NULL : green_fd_blocking(fd);
	struct io_msg m = { .msg = msg, .flags = flags };

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_PASS;
	return io_msg_run(f, fd, &m);
}

/* fds sent with SCM_RIGHTS: their descriptions are now shared with the receiver. The kernel
 * accepted the header, so it is readable. */
static void io_sent_fds(const struct msghdr *h)
{
	for (const struct cmsghdr *c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR((struct msghdr *)h, (struct cmsghdr *)c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + i * sizeof fd, sizeof fd);
			green_fd_shared(fd);
		}
	}
}

long green_hook_sendmsg(int fd, const struct msghdr *msg, int flags)
{
	struct green_fd *f = (flags & MSG_DONTWAIT) ? NULL : green_fd_blocking(fd);
	struct msghdr h;
	struct io_msg m = { .msg = &h, .flags = flags, .write = true };

	long r;

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_PASS;
	h = *msg;
	r = io_msg_run(f, fd, &m);
	if (r >= 0 && h.msg_controllen)
		io_sent_fds(&h);
	return r;
}

/* recvmmsg/sendmmsg: done counts messages. */
struct io_mmsg {
	struct mmsghdr *vec;
	unsigned vlen;
	int flags;
	bool write;
};

static ssize_t io_mmsg_attempt(int fd, bool dontwait, size_t done, void *ctx)
{
	struct io_mmsg *m = ctx;
	int flags = m->flags | (dontwait ? MSG_DONTWAIT : 0);
	int r = m->write ? GREEN_REAL_CALL(sendmmsg)(fd, m->vec + done, m->vlen - (unsigned)done, flags)
			 : GREEN_REAL_CALL(recvmmsg)(fd, m->vec, m->vlen, flags, NULL);

	return r < 0 ? -errno : r;
}

long green_hook_recvmmsg(int fd, struct mmsghdr *vec, unsigned vlen, int flags,
			  struct timespec *timeout)
{
	struct green_fd *f = (flags & MSG_DONTWAIT) || timeout ? NULL : green_fd_blocking(fd);
	struct io_mmsg m = { vec, vlen, flags | MSG_WAITFORONE, false };

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_PASS;
	return green_io_run(f, fd, GREEN_FD_READ, false, vlen, io_mmsg_attempt, &m);
}

long green_hook_sendmmsg(int fd, struct mmsghdr *vec, unsigned vlen, int flags)
{
	struct green_fd *f = (flags & MSG_DONTWAIT) ? NULL : green_fd_blocking(fd);
	struct io_mmsg m = { vec, vlen, flags, true };

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_PASS;
	return green_io_run(f, fd, GREEN_FD_WRITE, true, vlen, io_mmsg_attempt, &m);
}
