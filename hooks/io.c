/* SPDX-License-Identifier: MIT
 * Blocking read/write-family logic: read, readv, write, writev, recv*, send* and the
 * _FORTIFY_SOURCE entry points. Each parks only the calling green thread; regular files, fds
 * the program made non-blocking, and calls that ask for MSG_DONTWAIT are declined to libc.
 */
#include "hook.h"

#include "../core/clock.h"

#include "../core/io.h"
#include "../core/pool.h"
#include "../core/sys.h"
#include "../preload/config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The top of the user address space on x86-64 with 4-level paging (TASK_SIZE_MAX); 5-level
 * kernels allow more, so this only ever sends more calls straight to the kernel. */
#define IO_USER_TOP 0x00007ffffffff000ull
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

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
	bool peek_all;               /* MSG_PEEK|MSG_WAITALL on TCP: each try peeks it all */
};

/* A libc call's result as a count or -errno. */
static ssize_t io_errno(ssize_t r)
{
	return r < 0 ? -errno : r;
}

/* preadv2/pwritev2 at the current position with RWF_NOWAIT: the kernel's non-blocking try
 * for this call alone (pipes, eventfds), -EOPNOTSUPP where it has none. Raw: -errno. */
static ssize_t io_nowait(int fd, bool write, const struct iovec *iov, size_t n)
{
	return green_sys(write ? SYS_pwritev2 : SYS_preadv2, fd, iov, n, -1, 0, RWF_NOWAIT);
}

static ssize_t io_buf_attempt(int fd, enum green_io_mode mode, size_t done, void *ctx)
{
	struct io_buf *b = ctx;
	char *p = (char *)b->buf + done;
	size_t len = b->len - done;
	struct iovec v;
	ssize_t r;

	if (b->peek_all) { /* MSG_PEEK|MSG_WAITALL: peek it all again from the start */
		r = GREEN_REAL_CALL(recvfrom)(fd, b->buf, b->len, (b->flags & ~MSG_WAITALL) | MSG_DONTWAIT,
					      b->addr, b->addrlen_out);
		if (r < 0)
			return -errno;
		/* the new bytes, if any (none: wait for more, unless the peer is done) */
		return (size_t)r > done ? r - (ssize_t)done : r == 0 ? 0 : -EAGAIN;
	}
	if (mode == GREEN_IO_DONTWAIT) {
		r = b->write ? GREEN_REAL_CALL(sendto)(fd, p, len, b->flags | MSG_DONTWAIT, b->addr, b->addrlen_in)
			     : GREEN_REAL_CALL(recvfrom)(fd, p, len, (b->flags & ~MSG_WAITALL) | MSG_DONTWAIT,
							 b->addr, b->addrlen_out);
	} else if (mode == GREEN_IO_NOWAIT) {
		v = (struct iovec){ p, len };
		return io_nowait(fd, b->write, &v, 1);
	} else if (b->write) {
		/* A pipe write of at most PIPE_BUF fits once poll says writable (atomic, never
		 * blocks); longer ones go in PIPE_BUF pieces. */
		r = GREEN_REAL_CALL(write)(fd, p, len > PIPE_BUF ? PIPE_BUF : len);
	} else {
		r = GREEN_REAL_CALL(read)(fd, p, len);
	}
	return io_errno(r);
}

/* Run a buffer operation cooperatively; full for stream writes and MSG_WAITALL reads. */
static long io_buf_run(struct green_fd *f, int fd, struct io_buf *b)
{
	bool stream = f->kind != GREEN_FD_SOCKET || f->stream_socket;
	bool full = b->write ? stream : (stream && f->kind == GREEN_FD_SOCKET && (b->flags & MSG_WAITALL));

	/* MSG_PEEK|MSG_WAITALL waits for all of it on TCP, not on AF_UNIX (the kernel's rule) */
	if (full && (b->flags & MSG_PEEK)) {
		int domain = AF_UNIX;
		socklen_t l = sizeof domain;
		green_sys(SYS_getsockopt, fd, SOL_SOCKET, SO_DOMAIN, &domain, &l);
		full = b->peek_all = domain != AF_UNIX;
	}
	return green_io_run(f, fd, b->write ? GREEN_FD_WRITE : GREEN_FD_READ, full, &b->len, io_buf_attempt, b);
}

long green_hook_read(int fd, void *buf, size_t len)
{
	if (!len) /* read(2) of nothing answers at once on every kind of fd (recv does not) */
		return GREEN_PASS;
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
	if (!len)
		return GREEN_PASS;
	struct green_fd *f = io_range_ok(buf, len) ? green_fd_blocking(fd) : NULL;
	struct io_buf b = { .buf = (void *)buf, .len = len, .write = true };

	if (!f)
		return io_file_offload(fd, (void *)buf, len, true);
	return io_buf_run(f, fd, &b);
}

long green_hook_recv(int fd, void *buf, size_t len, int flags)
{
	struct green_fd *f = (flags & (MSG_DONTWAIT | MSG_ERRQUEUE)) || !io_range_ok(buf, len) ? NULL : green_fd_blocking(fd);
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
	struct green_fd *f = (flags & (MSG_DONTWAIT | MSG_ERRQUEUE)) || !io_range_ok(buf, len) ? NULL : green_fd_blocking(fd);
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
	struct green_fd *f = (flags & (MSG_DONTWAIT | MSG_ERRQUEUE)) || !io_range_ok(buf, len) ? NULL : green_fd_blocking(fd);
	struct io_buf b = { .buf = (void *)buf, .len = len, .flags = flags, .write = true };

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_PASS;
	return io_buf_run(f, fd, &b);
}

long green_hook_sendto(int fd, const void *buf, size_t len, int flags,
			    const struct sockaddr *addr, socklen_t addrlen)
{
	struct green_fd *f = (flags & (MSG_DONTWAIT | MSG_ERRQUEUE)) || !io_range_ok(buf, len) ? NULL : green_fd_blocking(fd);
	struct io_buf b = { .buf = (void *)buf, .len = len, .flags = flags,
			    .addr = (struct sockaddr *)addr, .addrlen_in = addrlen, .write = true };

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_PASS;
	return io_buf_run(f, fd, &b);
}

/* A scatter/gather operation: readv/writev/recvmsg/sendmsg. The caller's header and iovecs
 * are the kernel's to check: the first try passes them as they are, and only after the kernel
 * took them (a partial write to continue) are they read here. */
struct io_msg {
	struct msghdr *msg; /* the caller's header (never modified here) */
	int flags;
	bool write;
	bool plain;         /* readv/writev, not recvmsg/sendmsg: a zero total answers at once */
	size_t total;       /* the iovecs' sum, once the kernel accepted them (else SIZE_MAX) */
};

/* The sum of the iovecs, saturated (the kernel refuses more than SSIZE_MAX). */
static size_t io_iov_total(const struct iovec *iov, size_t n)
{
	size_t t = 0;

	for (size_t i = 0; i < n; i++)
		if (__builtin_add_overflow(t, iov[i].iov_len, &t))
			return SIZE_MAX;
	return t;
}

/* The plain (poll said ready) write of a pipe or tty: at most PIPE_BUF bytes of iov, so it
 * cannot block (atomic); the kernel validated nothing yet, so the iovecs are copied in
 * safely first (EFAULT instead of a crash). */
static ssize_t io_msg_write_ready(int fd, const struct iovec *iov, size_t n)
{
	struct iovec piece[16], copy;
	size_t room = PIPE_BUF;
	int k = 0;

	for (size_t i = 0; i < n && room && k < 16; i++) {
		if (green_hook_copy_in(&copy, &iov[i], sizeof copy))
			return -EFAULT;
		if (copy.iov_len > SSIZE_MAX)
			return -EINVAL;
		if (!copy.iov_len)
			continue;
		piece[k].iov_base = copy.iov_base;
		piece[k].iov_len = copy.iov_len < room ? copy.iov_len : room;
		room -= piece[k++].iov_len;
	}
	if (!k) /* nothing to write, or all empty: the kernel's answer for the whole vector */
		return io_errno(GREEN_REAL_CALL(writev)(fd, iov, (int)n));
	return io_errno(GREEN_REAL_CALL(writev)(fd, piece, k)); /* what the kernel took (a tty may take less) */
}

static ssize_t io_msg_attempt(int fd, enum green_io_mode mode, size_t done, void *ctx)
{
	struct io_msg *m = ctx;
	struct msghdr h, *hp = m->msg;
	struct iovec stack_iov[16], *iov = stack_iov;
	ssize_t r;

	if (done) { /* continue a partial write (reads are never continued) after what was sent */
		h = *m->msg;
		if (h.msg_iovlen > 16 && !(iov = malloc(sizeof *iov * h.msg_iovlen)))
			return -ENOMEM;
		h.msg_iovlen = (size_t)green_io_iov_skip(m->msg->msg_iov, (int)m->msg->msg_iovlen, done, iov);
		h.msg_iov = iov;
		h.msg_control = NULL; /* ancillary data went with the first piece */
		h.msg_controllen = 0;
		hp = &h;
	}
	if (mode == GREEN_IO_DONTWAIT)
		r = io_errno(m->write ? GREEN_REAL_CALL(sendmsg)(fd, hp, m->flags | MSG_DONTWAIT)
				      : GREEN_REAL_CALL(recvmsg)(fd, hp, (m->flags & ~MSG_WAITALL) | MSG_DONTWAIT));
	else if (mode == GREEN_IO_NOWAIT)
		r = io_nowait(fd, m->write, hp->msg_iov, hp->msg_iovlen);
	else if (m->write)
		r = io_msg_write_ready(fd, hp->msg_iov, hp->msg_iovlen);
	else
		r = io_errno(GREEN_REAL_CALL(readv)(fd, hp->msg_iov, (int)hp->msg_iovlen));
	/* The kernel took the header and iovecs (an answer other than EFAULT/EINVAL/EBADF...):
	 * they are readable, and the total can be summed. */
	if ((r >= 0 || r == -EAGAIN) && m->total == SIZE_MAX && (m->write || m->plain))
		m->total = io_iov_total(m->msg->msg_iov, m->msg->msg_iovlen);
	if (r == -EAGAIN && m->plain && !m->total) /* readv(2) of nothing: 0 at once */
		r = 0;
	if (iov != stack_iov)
		free(iov);
	return r;
}

static long io_msg_run(struct green_fd *f, int fd, struct io_msg *m)
{
	bool stream = f->kind != GREEN_FD_SOCKET || f->stream_socket;

	m->total = SIZE_MAX;
	return green_io_run(f, fd, m->write ? GREEN_FD_WRITE : GREEN_FD_READ, m->write ? stream : false,
			    &m->total, io_msg_attempt, m);
}

long green_hook_readv(int fd, const struct iovec *iov, int cnt)
{
	struct green_fd *f = green_fd_blocking(fd);
	struct msghdr h = { .msg_iov = (struct iovec *)iov, .msg_iovlen = cnt > 0 ? (size_t)cnt : 0 };
	struct io_msg m = { .msg = &h, .plain = true };

	if (!f || cnt <= 0 || cnt > IOV_MAX)
		return GREEN_PASS;
	return io_msg_run(f, fd, &m);
}

long green_hook_writev(int fd, const struct iovec *iov, int cnt)
{
	struct green_fd *f = green_fd_blocking(fd);
	struct msghdr h = { .msg_iov = (struct iovec *)iov, .msg_iovlen = cnt > 0 ? (size_t)cnt : 0 };
	struct io_msg m = { .msg = &h, .write = true, .plain = true };

	if (!f || cnt <= 0 || cnt > IOV_MAX)
		return GREEN_PASS;
	return io_msg_run(f, fd, &m);
}

long green_hook_recvmsg(int fd, struct msghdr *msg, int flags)
{
	/* the error queue never waits: the kernel answers EAGAIN at once when it is empty */
	struct green_fd *f = (flags & (MSG_DONTWAIT | MSG_ERRQUEUE)) ? NULL : green_fd_blocking(fd);
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
	struct io_msg m = { .msg = (struct msghdr *)msg, .flags = flags, .write = true };
	long r;

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_PASS;
	r = io_msg_run(f, fd, &m);
	if (r >= 0 && msg->msg_controllen) /* the kernel took msg: it is readable */
		io_sent_fds(msg);
	return r;
}

/* recvmmsg/sendmmsg: done counts messages. */
struct io_mmsg {
	struct mmsghdr *vec;
	unsigned vlen;
	int flags;
	bool write;
	size_t total;                    /* vlen, or fewer once recvmmsg should stop */
	const struct timespec *deadline; /* recvmmsg's timeout, checked after each datagram */
};

static ssize_t io_mmsg_attempt(int fd, enum green_io_mode mode, size_t done, void *ctx)
{
	struct io_mmsg *m = ctx;
	int flags = m->flags | (mode == GREEN_IO_DONTWAIT ? MSG_DONTWAIT : 0);
	int r = m->write ? GREEN_REAL_CALL(sendmmsg)(fd, m->vec + done, m->vlen - (unsigned)done, flags)
			 : GREEN_REAL_CALL(recvmmsg)(fd, m->vec + done, m->vlen - (unsigned)done, flags, NULL);

	/* recvmmsg returns after the first datagrams with MSG_WAITFORONE, and once its timeout
	 * has passed after a datagram (the kernel looks at it only then) */
	if (!m->write && r > 0 &&
	    ((m->flags & MSG_WAITFORONE) ||
	     (m->deadline && !green_clock_before(green_clock_now(CLOCK_MONOTONIC), *m->deadline))))
		m->total = done + (size_t)r;
	return io_errno(r);
}

/* recvmmsg: blocks for every one of the vlen datagrams (MSG_WAITFORONE: only the first), the
 * timeout looked at after each one and written back as the time left, as the kernel does. */
long green_hook_recvmmsg(int fd, struct mmsghdr *vec, unsigned vlen, int flags,
			  struct timespec *timeout)
{
	struct green_fd *f = (flags & MSG_DONTWAIT) ? NULL : green_fd_blocking(fd);
	struct io_mmsg m = { vec, vlen, flags, false, vlen, NULL };
	struct timespec t, deadline;
	long r;

	if (!f || f->kind != GREEN_FD_SOCKET || vlen == 0)
		return GREEN_PASS;
	if (timeout) {
		if (green_hook_copy_in(&t, timeout, sizeof t) || !green_clock_valid(&t))
			return GREEN_PASS; /* the kernel's EFAULT or EINVAL */
		deadline = green_clock_add(green_clock_now(CLOCK_MONOTONIC), t);
		m.deadline = &deadline;
	}
	r = green_io_run(f, fd, GREEN_FD_READ, true, &m.total, io_mmsg_attempt, &m);
	if (timeout && r >= 0) {
		struct timespec left = green_clock_sub(deadline, green_clock_now(CLOCK_MONOTONIC));
		*timeout = left.tv_sec < 0 ? (struct timespec){ 0, 0 } : left;
	}
	return r;
}

long green_hook_sendmmsg(int fd, struct mmsghdr *vec, unsigned vlen, int flags)
{
	struct green_fd *f = (flags & MSG_DONTWAIT) ? NULL : green_fd_blocking(fd);
	struct io_mmsg m = { vec, vlen, flags, true, vlen, NULL };

	if (!f || f->kind != GREEN_FD_SOCKET)
		return GREEN_PASS;
	return green_io_run(f, fd, GREEN_FD_WRITE, true, &m.total, io_mmsg_attempt, &m);
}

/* preadv2/pwritev2 with offset -1 use the current position: on a pipe or socket they wait like
 * readv/writev. Flags (RWF_NOWAIT, RWF_HIPRI...) and real offsets go to libc (a pipe or socket
 * answers ESPIPE at once, as pread and pwrite do). */
long green_hook_preadv2(int fd, const struct iovec *iov, int cnt, off_t off, int flags)
{
	return off == -1 && flags == 0 ? green_hook_readv(fd, iov, cnt) : GREEN_PASS;
}

long green_hook_pwritev2(int fd, const struct iovec *iov, int cnt, off_t off, int flags)
{
	return off == -1 && flags == 0 ? green_hook_writev(fd, iov, cnt) : GREEN_PASS;
}
