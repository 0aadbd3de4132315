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

/* One try of an operation. dontwait: the fd is a socket, so add MSG_DONTWAIT (the call must
 * not block); otherwise the fd was just reported ready by poll and the plain call may be made.
 * done: bytes already transferred by earlier tries (for full writes). Returns the call's result
 * (>= 0) or -errno. */
typedef ssize_t (*green_io_attempt)(int fd, bool dontwait, size_t done, void *ctx);

/* Run attempt until it stops answering EAGAIN. full: keep going until total bytes are done
 * (blocking writes on stream sockets and pipes transfer everything). Returns bytes (>= 0) or
 * -errno: -EAGAIN when the socket timeout expired (as the kernel reports it) or, before any
 * wait, when the description is non-blocking or the timeout negative, -EBADF when the fd
 * was closed meanwhile, -ECANCELED when a cancel interrupted it. Green thread only; parks. */
ssize_t green_io_run(struct green_fd *f, int fd, enum green_fd_dir dir, bool full, size_t total,
		     green_io_attempt attempt, void *ctx);

/* Copy iov[0..cnt) minus its first skip bytes into out (room for cnt entries); returns the new
 * count. */
int green_io_iov_skip(const struct iovec *iov, int cnt, size_t skip, struct iovec *out);

#endif
