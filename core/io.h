/* SPDX-License-Identifier: MIT
 * Cooperative blocking I/O: retry a non-blocking attempt, parking on the fd's readiness in
 * between, with the socket's SO_RCVTIMEO/SO_SNDTIMEO as deadline.
 */
#ifndef GREEN_CORE_IO_H
#define GREEN_CORE_IO_H

#include "fd.h"

#include <stdbool.h>
#include <sys/types.h>
#include <sys/uio.h>

/* How one try may be made without blocking. */
enum green_io_mode {
	GREEN_IO_DONTWAIT, /* a socket: add MSG_DONTWAIT */
	GREEN_IO_NOWAIT,   /* a pipe or eventfd: preadv2/pwritev2 with RWF_NOWAIT (the kernel
			    * answers EOPNOTSUPP where it cannot: then GREEN_IO_READY from now on) */
	GREEN_IO_READY,    /* poll just said ready: the plain call (a write at most PIPE_BUF) */
};

/* One try of an operation in mode. done: what earlier tries transferred (bytes, or messages).
 * Returns the call's result (>= 0) or -errno. */
typedef ssize_t (*green_io_attempt)(int fd, enum green_io_mode mode, size_t done, void *ctx);

/* Run attempt until it stops answering EAGAIN. full: keep going until *total is done
 * (blocking writes on stream sockets and pipes transfer everything; *total is read after each
 * try, so an attempt may learn it from the kernel's first answer). Returns bytes (>= 0) or
 * -errno: -EAGAIN when the socket timeout expired (as the kernel reports it) or, before any
 * wait, when the description is non-blocking or the timeout negative, -EBADF when the fd
 * was closed meanwhile, -ECANCELED when a cancel interrupted it. Green thread only; parks. */
ssize_t green_io_run(struct green_fd *f, int fd, enum green_fd_dir dir, bool full,
		     const size_t *total, green_io_attempt attempt, void *ctx);

/* Copy iov[0..cnt) minus its first skip bytes into out (room for cnt entries); returns the new
 * count. */
int green_io_iov_skip(const struct iovec *iov, int cnt, size_t skip, struct iovec *out);

#endif
