/* SPDX-License-Identifier: MIT
 * fd life-cycle logic: creation and duplication reset the fd table's entry for the number;
 * close (and close_range, dup2 onto an fd, fclose) wakes green threads waiting on it with
 * EBADF before the number can be reused; fcntl and ioctl keep the program's O_NONBLOCK for
 * descriptions only this fd has; fcntl's waiting record locks park; a blocking open of a FIFO
 * waits for the other end cooperatively.
 */
#include "hook.h"

#include "../core/fd.h"
#include "../core/ownfd.h"
#include "../core/sys.h"
#include "../core/wait.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/eventfd.h>

long green_hook_close(int fd)
{
	if (green_ownfd_refuse(fd))
		return -EBADF; /* libgreen's own: as if it were not open */
	green_fd_forget(fd);
	return GREEN_PASS;
}

/* close_range(first, last, flags) split around libgreen's own fds, which it leaves alone. Any
 * thread (the fd table only on the hub's). 0 or -errno. */
static long fd_close_range(unsigned first, unsigned last, int flags)
{
	int own[32], n = green_ownfd_in_range(first, last, own, 32);
	unsigned lo = first;

	bool forget = green_boot_hooking() && !(flags & CLOSE_RANGE_CLOEXEC);

	for (int i = 0; i <= n; i++) {
		/* the piece below the next of ours (sorted, below 2^31), then the rest */
		unsigned hi = i < n ? (unsigned)own[i] - 1 : last;
		long r = 0;
		if (lo <= hi && (i == n || (unsigned)own[i] > lo)) {
			if (forget)
				green_fd_forget_range(lo, hi);
			r = green_sys(SYS_close_range, lo, hi, flags);
		}
		if (r < 0)
			return r;
		if (i < n)
			lo = (unsigned)own[i] + 1;
	}
	return 0;
}

long green_hook_close_range(unsigned first, unsigned last, int flags)
{
	if (first > last || (flags & ~(CLOSE_RANGE_CLOEXEC | CLOSE_RANGE_UNSHARE)))
		return GREEN_PASS; /* the kernel's EINVAL */
	return fd_close_range(first, last, flags);
}

/* closefrom: glibc's uses an internal close_range no hook sees. Errors are ignored, as
 * glibc's are (it falls back to closing one by one, which the kernel has since 5.9). */
long green_hook_closefrom(int lowfd)
{
	if (lowfd < 0 || fd_close_range((unsigned)lowfd, ~0u, 0) == -ENOSYS)
		return GREEN_PASS;
	return 0;
}

long green_hook_fclose(FILE *fp)
{
	int fd = fp ? fileno(fp) : -1;

	if (fd >= 0)
		green_fd_forget(fd);
	return GREEN_PASS;
}

/* A duplicate shares oldfd's description: neither is its sole fd any more. */
static long fd_duplicated(int oldfd, int fd)
{
	if (fd < 0)
		return -errno;
	if (fd == oldfd) /* dup2(fd, fd): nothing happens */
		return fd;
	green_fd_forget(fd);
	green_fd_shared(oldfd);
	return fd;
}

long green_hook_dup(int fd)
{
	if (green_ownfd_is(fd))
		return -EBADF;
	return fd_duplicated(fd, GREEN_REAL_CALL(dup)(fd));
}

/* dup2/dup3 onto newfd: oldfd of ours is not open; newfd of ours moves out of the way first
 * (the program gets the number it asked for). 0 or -errno. */
static long fd_dup_onto(int oldfd, int newfd)
{
	if (green_ownfd_is(oldfd))
		return -EBADF;
	if (green_ownfd_is(newfd))
		return green_ownfd_evict(newfd);
	return 0;
}

/* dup2/dup3 onto newfd close what newfd was: only if oldfd is valid (else nothing happens). */
static void fd_replacing(int oldfd, int newfd)
{
	if (oldfd != newfd && GREEN_REAL_CALL(fcntl)(oldfd, F_GETFD) >= 0)
		green_fd_forget(newfd);
}

long green_hook_dup2(int oldfd, int newfd)
{
	long e = fd_dup_onto(oldfd, newfd);

	if (e)
		return e;
	fd_replacing(oldfd, newfd);
	return fd_duplicated(oldfd, GREEN_REAL_CALL(dup2)(oldfd, newfd));
}

long green_hook_dup3(int oldfd, int newfd, int flags)
{
	long e = fd_dup_onto(oldfd, newfd);

	if (e)
		return e;
	fd_replacing(oldfd, newfd);
	return fd_duplicated(oldfd, GREEN_REAL_CALL(dup3)(oldfd, newfd, flags));
}

long green_hook_pipe(int fds[2])
{
	return green_hook_new_fds(GREEN_REAL_CALL(pipe)(fds), fds);
}

long green_hook_pipe2(int fds[2], int flags)
{
	return green_hook_new_fds(GREEN_REAL_CALL(pipe2)(fds, flags), fds);
}

long green_hook_eventfd(unsigned int count, int flags)
{
	return green_hook_new_fd(GREEN_REAL_CALL(eventfd)(count, flags));
}

long green_hook_epoll_create(int size)
{
	return green_hook_new_fd(GREEN_REAL_CALL(epoll_create)(size));
}

long green_hook_epoll_create1(int flags)
{
	return green_hook_new_fd(GREEN_REAL_CALL(epoll_create1)(flags));
}

long green_hook_timerfd_create(int clk, int flags)
{
	return green_hook_new_fd(GREEN_REAL_CALL(timerfd_create)(clk, flags));
}

/* fcntl and fcntl64: one argument, an int or a pointer (read as a long, MassiveThreads-style).
 * The hand-written half of a variadic hook: gate and errno here, logic in fd_fcntl_green. */
static long fd_fcntl_green(int (*real)(int, int, ...), int fd, int cmd, long arg)
{
	long r;

	/* Waiting record locks wait on a pool thread (the kernel has no readiness for them). */
	if ((cmd == F_SETLKW || cmd == F_OFD_SETLKW) && (r = green_flock_fcntl_wait(fd, cmd, arg)) != GREEN_PASS)
		return r;
	r = real(fd, cmd, arg);
	if (r < 0)
		return -errno;
	if (cmd == F_SETFL)
		green_fd_set_nonblock(fd, (arg & O_NONBLOCK) != 0);
	else if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
		fd_duplicated(fd, (int)r);
	return r;
}

static int fd_fcntl(int (*real)(int, int, ...), int fd, int cmd, long arg)
{
	int saved = errno;
	long r;

	if (green_ownfd_refuse(fd)) { /* libgreen's own: not open, for the program */
		errno = EBADF;
		return -1;
	}
	if (!green_boot_hooking())
		return real(fd, cmd, arg);
	if (cmd == F_SETLKW || cmd == F_OFD_SETLKW) { /* POSIX: a cancellation point */
		green_cancel_enter();
		r = fd_fcntl_green(real, fd, cmd, arg);
		green_cancel_leave(r == -ECANCELED ? -ECANCELED : 0);
	} else {
		r = fd_fcntl_green(real, fd, cmd, arg);
	}
	return (int)green_hook_ret_errno(r, saved, &errno);
}

GREEN_EXPORT_RAW(int, fcntl, (int fd, int cmd, ...))
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return fd_fcntl(GREEN_REAL_CALL(fcntl), fd, cmd, arg);
}

GREEN_EXPORT_RAW(int, fcntl64, (int fd, int cmd, ...))
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return fd_fcntl(GREEN_REAL_CALL(fcntl64), fd, cmd, arg);
}

/* ioctl: FIONBIO changes the description's O_NONBLOCK, as F_SETFL does. */
GREEN_EXPORT_RAW(int, ioctl, (int fd, unsigned long request, ...))
{
	va_list ap;
	void *arg;
	int r;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (green_ownfd_refuse(fd)) { /* libgreen's own: not open, for the program */
		errno = EBADF;
		return -1;
	}
	r = GREEN_REAL_CALL(ioctl)(fd, request, arg);
	if (r == 0 && request == FIONBIO && green_boot_hooking())
		green_fd_set_nonblock(fd, *(int *)arg != 0); /* the kernel read it: it is there */
	return r;
}

/* A blocking open of a FIFO waits for the other end (fifo(7)); the open itself is the blocking
 * call. Open it non-blocking (a new description, ours alone), wait as the blocking open would,
 * then clear O_NONBLOCK so the program gets the blocking fd it asked for. Returns the fd or
 * -errno, or GREEN_PASS when the path is not a FIFO opened read-only or write-only without
 * O_NONBLOCK (the caller opens it normally). A cancellation point. */
static long fd_open_fifo(int dirfd, const char *path, int flags, mode_t mode,
			 int (*real)(int, const char *, int, ...))
{
	struct stat st;
	unsigned round = 0;
	int fd, acc = flags & O_ACCMODE;

	if ((flags & O_NONBLOCK) || (acc != O_RDONLY && acc != O_WRONLY) ||
	    fstatat(dirfd, path, &st, 0) || !S_ISFIFO(st.st_mode))
		return GREEN_PASS;
	for (;;) {
		int w;
		fd = real(dirfd, path, flags | O_NONBLOCK, mode);
		if (fd >= 0 || errno != ENXIO || acc != O_WRONLY)
			break;
		/* No reader yet: the kernel cannot tell us when one comes, so poll. */
		w = green_wait_backoff(&round, GREEN_WAIT_FD_WRITE, path, CLOCK_MONOTONIC, NULL);
		if (w)
			return w;
	}
	if (fd < 0)
		return -errno;
	green_fd_forget(fd);
	/* A reader waits for a writer: seen as the first data or the writer's close. */
	if (acc == O_RDONLY) {
		struct green_fd *f = green_fd_get(fd);
		int w = f ? green_fd_wait_ready(f, fd, GREEN_FD_READ) : 0;
		if (w) {
			green_fd_forget(fd);
			GREEN_REAL_CALL(close)(fd);
			return w;
		}
	}
	GREEN_REAL_CALL(fcntl)(fd, F_SETFL, GREEN_REAL_CALL(fcntl)(fd, F_GETFL) & ~O_NONBLOCK);
	green_fd_created(fd); /* reclassify: blocking now */
	return fd;
}

/* The hand-written half of the open family (variadic): gate, cancellation point, errno. */
static int fd_open(int dirfd, const char *path, int flags, mode_t mode,
		   int (*real)(int, const char *, int, ...))
{
	int saved = errno;
	long fd;

	if (!green_boot_hooking())
		return real(dirfd, path, flags, mode);
	green_cancel_enter(); /* open(2) is a cancellation point (POSIX) */
	fd = fd_open_fifo(dirfd, path, flags, mode, real);
	green_cancel_leave(fd == -ECANCELED ? -ECANCELED : 0);
	if (fd == GREEN_PASS)
		fd = green_hook_new_fd(real(dirfd, path, flags, mode));
	return (int)green_hook_ret_errno(fd, saved, &errno);
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
GREEN_EXPORT_RAW(int, open, (const char *path, int flags, ...))
{
	mode_t mode;

	FD_MODE(flags, mode);
	return fd_open(AT_FDCWD, path, flags, mode, fd_real_open);
}

GREEN_EXPORT_RAW(int, open64, (const char *path, int flags, ...))
{
	mode_t mode;

	FD_MODE(flags, mode);
	return fd_open(AT_FDCWD, path, flags, mode, fd_real_open64);
}

GREEN_EXPORT_RAW(int, openat, (int dirfd, const char *path, int flags, ...))
{
	mode_t mode;

	FD_MODE(flags, mode);
	return fd_open(dirfd, path, flags, mode, GREEN_REAL_CALL(openat));
}

/* Raw fd system calls through syscall(2): the fd table forgets what a close or dup replaces,
 * and a description changed behind the hooks is no longer trusted to be the fd's alone. */
/* Does the raw call make a new number for fd's description (dup, dup2, dup3, F_DUPFD)? And
 * does it replace an existing number (dup2, dup3: a[1])? */
static bool fd_syscall_dups(long number, const long a[6], bool *onto)
{
#ifdef SYS_dup2
	*onto = number == SYS_dup2 || number == SYS_dup3;
#else
	*onto = number == SYS_dup3;
#endif
	return *onto || number == SYS_dup ||
	       (number == SYS_fcntl && (a[1] == F_DUPFD || a[1] == F_DUPFD_CLOEXEC));
}

long green_syscall_fd(long number, const long a[6])
{
	bool hooking = green_boot_hooking(), onto;
	bool dups = fd_syscall_dups(number, a, &onto);
	int fd = (int)a[0];
	long r;

	if (number == SYS_close_range)
		return a[0] > a[1] ? GREEN_PASS : fd_close_range((unsigned)a[0], (unsigned)a[1], (int)a[2]);
	if (green_ownfd_refuse(fd))
		return -EBADF;
	if (onto) {
		r = fd_dup_onto(fd, (int)a[1]);
		if (r)
			return r;
		if (hooking)
			fd_replacing(fd, (int)a[1]);
	}
	if (!hooking)
		return GREEN_PASS;
	if (number == SYS_close)
		green_fd_forget(fd);
	r = green_sys(number, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r >= 0 && number != SYS_close) {
		green_fd_shared(fd);
		if (dups)
			green_fd_forget((int)r); /* a new number for the description */
	}
	return r;
}
