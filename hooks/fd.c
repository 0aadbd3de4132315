/* SPDX-License-Identifier: MIT
 * fd life-cycle hooks: creation and duplication reset the fd table's entry for the number;
 * close (and close_range, dup2 onto an fd, fclose) wakes green threads waiting on it with
 * EBADF before the number can be reused; fcntl and ioctl keep the program's O_NONBLOCK; a
 * blocking open of a FIFO waits for the other end cooperatively.
 */
#include "hook.h"

#include "../core/fd.h"
#include "../core/wait.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>

/* The fd table is touched only on the hub's OS thread, while live. */
static bool fd_live(void)
{
	return green_boot_hooking();
}

static int fd_new(int fd)
{
	if (fd >= 0 && fd_live())
		green_fd_created(fd);
	return fd;
}

GREEN_EXPORT int close(int fd)
{
	if (fd_live())
		green_fd_closing(fd);
	return GREEN_REAL_CALL(close)(fd);
}

GREEN_EXPORT int close_range(unsigned first, unsigned last, int flags)
{
	if (fd_live() && !(flags & CLOSE_RANGE_CLOEXEC))
		green_fd_closing_range(first, last);
	return GREEN_REAL_CALL(close_range)(first, last, flags);
}

GREEN_EXPORT int fclose(FILE *fp)
{
	if (fp && fd_live()) {
		int fd = fileno(fp);
		if (fd >= 0)
			green_fd_closing(fd);
	}
	return GREEN_REAL_CALL(fclose)(fp);
}

GREEN_EXPORT int dup(int fd)
{
	return fd_new(GREEN_REAL_CALL(dup)(fd));
}

/* dup2/dup3 onto newfd close what newfd was: only if oldfd is valid (else nothing happens). */
static void fd_replacing(int oldfd, int newfd)
{
	if (oldfd != newfd && fd_live() && fcntl(oldfd, F_GETFD) >= 0)
		green_fd_closing(newfd);
}

GREEN_EXPORT int dup2(int oldfd, int newfd)
{
	fd_replacing(oldfd, newfd);
	return fd_new(GREEN_REAL_CALL(dup2)(oldfd, newfd));
}

GREEN_EXPORT int dup3(int oldfd, int newfd, int flags)
{
	fd_replacing(oldfd, newfd);
	return fd_new(GREEN_REAL_CALL(dup3)(oldfd, newfd, flags));
}

GREEN_EXPORT int pipe(int fds[2])
{
	int r = GREEN_REAL_CALL(pipe)(fds);

	if (r == 0) {
		fd_new(fds[0]);
		fd_new(fds[1]);
	}
	return r;
}

GREEN_EXPORT int pipe2(int fds[2], int flags)
{
	int r = GREEN_REAL_CALL(pipe2)(fds, flags);

	if (r == 0) {
		fd_new(fds[0]);
		fd_new(fds[1]);
	}
	return r;
}

GREEN_EXPORT int eventfd(unsigned int count, int flags)
{
	return fd_new(GREEN_REAL_CALL(eventfd)(count, flags));
}

/* After a successful F_SETFL or FIONBIO, record the program's O_NONBLOCK. */
static void fd_nonblock(int fd, bool on)
{
	struct green_fd *f;

	if (fd_live() && (f = green_fd_get(fd)))
		f->user_nonblock = on;
}

int green_hook_fcntl_lockw(int fd, int cmd, long arg); /* hooks/flock.c */

/* fcntl and fcntl64: one argument, an int or a pointer (read as a long, MassiveThreads-style). */
static int fd_fcntl(int (*real)(int, int, ...), int fd, int cmd, long arg)
{
	int r;

	/* Waiting record locks wait on a pool thread (the kernel has no readiness for them). */
	if ((cmd == F_SETLKW || cmd == F_OFD_SETLKW) && fd_live() &&
	    (r = green_hook_fcntl_lockw(fd, cmd, arg)) != -2)
		return r;
	r = real(fd, cmd, arg);

	if (r >= 0) {
		if (cmd == F_SETFL)
			fd_nonblock(fd, (arg & O_NONBLOCK) != 0);
		else if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
			fd_new(r);
	}
	return r;
}

GREEN_EXPORT int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return fd_fcntl(GREEN_REAL_CALL(fcntl), fd, cmd, arg);
}

GREEN_EXPORT int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return fd_fcntl(GREEN_REAL_CALL(fcntl64), fd, cmd, arg);
}

GREEN_EXPORT int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;
	int r;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	r = GREEN_REAL_CALL(ioctl)(fd, request, arg);
	if (r == 0 && request == FIONBIO && arg)
		fd_nonblock(fd, *(int *)arg != 0);
	return r;
}

/* A blocking open of a FIFO waits for the other end (fifo(7)); the open itself is the blocking
 * call. Open it non-blocking (a new description, ours alone), wait as the blocking open would,
 * then clear O_NONBLOCK so the program gets the blocking fd it asked for. Returns -2 when the
 * path is not a FIFO opened read-only or write-only without O_NONBLOCK (the caller opens it
 * normally). */
static int fd_open_fifo(int dirfd, const char *path, int flags, mode_t mode,
			int (*real)(int, const char *, int, ...))
{
	struct stat st;
	unsigned round = 0;
	int fd, acc = flags & O_ACCMODE;

	if (!fd_live() || (flags & O_NONBLOCK) || (acc != O_RDONLY && acc != O_WRONLY) ||
	    fstatat(dirfd, path, &st, 0) || !S_ISFIFO(st.st_mode))
		return -2;
	green_cancel_enter();
	for (;;) {
		int w;
		fd = real(dirfd, path, flags | O_NONBLOCK, mode);
		if (fd >= 0 || errno != ENXIO || acc != O_WRONLY)
			break;
		/* No reader yet: the kernel cannot tell us when one comes, so poll. */
		w = green_wait_poll(&round, GREEN_WAIT_FD_WRITE, path, CLOCK_MONOTONIC, NULL);
		if (w) {
			green_cancel_leave(w);
			return -1;
		}
	}
	if (fd >= 0) {
		struct green_fd *f;
		green_fd_created(fd);
		/* A reader waits for a writer: seen as the first data or the writer's close. */
		if (acc == O_RDONLY && (f = green_fd_get(fd))) {
			int w = green_fd_await(f, fd, GREEN_FD_READ);
			if (w) {
				green_fd_closing(fd);
				GREEN_REAL_CALL(close)(fd);
				green_cancel_leave(w);
				errno = -w;
				return -1;
			}
		}
		GREEN_REAL_CALL(fcntl)(fd, F_SETFL, GREEN_REAL_CALL(fcntl)(fd, F_GETFL) & ~O_NONBLOCK);
		green_fd_created(fd); /* reclassify: blocking now */
	}
	green_cancel_leave(0);
	return fd;
}

/* Read open's optional mode argument (present with O_CREAT or O_TMPFILE; harmless otherwise). */
#define FD_MODE(last, mode)                          \
	do {                                         \
		va_list ap_;                         \
		va_start(ap_, last);                 \
		mode = (mode_t)va_arg(ap_, int);     \
		va_end(ap_);                         \
	} while (0)

/* openat-shaped call of open/open64 (no dirfd). */
static int fd_real_open(int dirfd, const char *path, int flags, ...)
{
	mode_t mode;

	(void)dirfd;
	FD_MODE(flags, mode);
	return GREEN_REAL_CALL(open)(path, flags, mode);
}

static int fd_real_open64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode;

	(void)dirfd;
	FD_MODE(flags, mode);
	return GREEN_REAL_CALL(open64)(path, flags, mode);
}

/* open and openat: the mode argument exists only with O_CREAT or O_TMPFILE. */
GREEN_EXPORT int open(const char *path, int flags, ...)
{
	mode_t mode;
	int fd;

	FD_MODE(flags, mode);
	fd = fd_open_fifo(AT_FDCWD, path, flags, mode, fd_real_open);
	return fd != -2 ? fd : fd_new(GREEN_REAL_CALL(open)(path, flags, mode));
}

GREEN_EXPORT int open64(const char *path, int flags, ...)
{
	mode_t mode;
	int fd;

	FD_MODE(flags, mode);
	fd = fd_open_fifo(AT_FDCWD, path, flags, mode, fd_real_open64);
	return fd != -2 ? fd : fd_new(GREEN_REAL_CALL(open64)(path, flags, mode));
}

GREEN_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode;
	int fd;

	FD_MODE(flags, mode);
	fd = fd_open_fifo(dirfd, path, flags, mode, GREEN_REAL_CALL(openat));
	return fd != -2 ? fd : fd_new(GREEN_REAL_CALL(openat)(dirfd, path, flags, mode));
}
