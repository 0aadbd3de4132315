/* SPDX-License-Identifier: MIT
 * The fd table and readiness waits. Never touches the open file description's flags: the
 * program's own O_NONBLOCK and socket timeouts belong to the description (shared by dups,
 * forks and raw system calls), so they are read from the kernel when a call would block.
 */
#include "fd.h"
#include "sys.h"

#include "clock.h"
#include "hub.h"
#include "log.h"
#include "sched.h"
#include "wait.h"
#include "../preload/real.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FD_CHUNK 1024
#define FD_CHUNKS 4096 /* 4M fds */

static struct green_fd *fd_chunks[FD_CHUNKS];

static struct green_fd *fd_slot(int fd, bool create)
{
	struct green_fd **chunk;

	if (fd < 0 || fd >= FD_CHUNK * FD_CHUNKS)
		return NULL;
	chunk = &fd_chunks[fd / FD_CHUNK];
	if (!*chunk) {
		if (!create || !(*chunk = calloc(FD_CHUNK, sizeof **chunk)))
			return NULL;
	}
	return &(*chunk)[fd % FD_CHUNK];
}

/* Child processes created so far: a sole entry born in an earlier epoch may be shared. */
static uint32_t fd_epoch;

static bool fd_sole(const struct green_fd *f)
{
	return f->sole && f->birth == fd_epoch;
}

static int fd_negative_get(int fd, enum green_fd_dir dir);

/* The kernel's SO_RCVTIMEO (GREEN_FD_READ) or SO_SNDTIMEO of fd's socket; {0, 0} for none, or
 * when it cannot be read. One raw getsockopt. */
static struct timeval fd_kernel_timeout(int fd, enum green_fd_dir dir)
{
	struct timeval tv = { 0, 0 };
	socklen_t len = sizeof tv;

	if (green_sys(SYS_getsockopt, fd, SOL_SOCKET, dir == GREEN_FD_READ ? SO_RCVTIMEO_OLD : SO_SNDTIMEO_OLD,
		      &tv, &len))
		tv = (struct timeval){ 0, 0 };
	return tv;
}

/* Read the description's O_NONBLOCK and timeouts into a sole entry's cache. */
static void fd_cache_fill(struct green_fd *f, int fd)
{
	long fl = green_sys(SYS_fcntl, fd, F_GETFL);

	f->nonblock = fl >= 0 && (fl & O_NONBLOCK);
	memset(f->timeo, 0, sizeof f->timeo);
	f->negative[0] = f->negative[1] = false;
	if (f->kind != GREEN_FD_SOCKET)
		return;
	for (int dir = GREEN_FD_READ; dir <= GREEN_FD_WRITE; dir++) {
		f->timeo[dir] = fd_kernel_timeout(fd, (enum green_fd_dir)dir);
		f->negative[dir] = fd_negative_get(fd, (enum green_fd_dir)dir) > 0;
	}
}

/* Learn what fd is. Returns false if it is not open. */
static bool fd_classify(struct green_fd *f, int fd)
{
	struct stat st;
	int type;
	socklen_t len = sizeof type;

	if (fstat(fd, &st))
		return false;
	if (S_ISSOCK(st.st_mode)) {
		f->kind = GREEN_FD_SOCKET;
		f->stream_socket = green_sys(SYS_getsockopt, fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
				   type == SOCK_STREAM;
	} else if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode) || S_ISDIR(st.st_mode)) {
		f->kind = GREEN_FD_FILE;
	} else {
		f->kind = GREEN_FD_STREAM;
	}
	if (fd_sole(f))
		fd_cache_fill(f, fd);
	return true;
}

struct green_fd *green_fd_get(int fd)
{
	struct green_fd *f;
	int saved = errno;

	GREEN_ASSERT_HUB_OS_THREAD();
	f = fd_slot(fd, true);
	if (!f)
		return NULL;
	if (f->kind == GREEN_FD_UNKNOWN && !fd_classify(f, fd)) {
		errno = saved;
		return NULL;
	}
	errno = saved;
	return f;
}

/* Forget f's classification and registration, waking its waiters with EBADF. */
static void fd_reset(struct green_fd *f)
{
	if (f->watched) {
		green_hub_fd_unwatch(&f->event);
		f->watched = false;
	}
	f->gen++;
	f->kind = GREEN_FD_UNKNOWN;
	f->sole = false;
	f->no_nowait = false;
	green_wait_wake(&f->rd, ~0u, INT_MAX);
	green_wait_wake(&f->wr, ~0u, INT_MAX);
}

void green_fd_forget(int fd)
{
	struct green_fd *f = fd_slot(fd, false);

	if (f && (f->kind != GREEN_FD_UNKNOWN || f->watched))
		fd_reset(f);
}

void green_fd_created(int fd)
{
	struct green_fd *f = fd_slot(fd, true);

	if (!f)
		return;
	if (f->kind != GREEN_FD_UNKNOWN || f->watched)
		fd_reset(f);
	f->sole = true;
	f->birth = fd_epoch;
}

void green_fd_shared(int fd)
{
	struct green_fd *f = fd_slot(fd, false);

	if (f)
		f->sole = false;
}

void green_fd_share_all(void)
{
	__atomic_add_fetch(&fd_epoch, 1, __ATOMIC_RELAXED); /* fork's prepare runs on any OS thread */
}

bool green_fd_nonblocking(struct green_fd *f, int fd)
{
	long fl;

	if (fd_sole(f))
		return f->nonblock;
	fl = green_sys(SYS_fcntl, fd, F_GETFL);
	return fl >= 0 && (fl & O_NONBLOCK);
}

void green_fd_set_nonblock(int fd, bool on)
{
	struct green_fd *f = fd_slot(fd, false);

	if (f && f->kind != GREEN_FD_UNKNOWN && fd_sole(f))
		f->nonblock = on;
}

/* Sockets whose program set a negative timeout, by inode (a socket's timeouts are shared by
 * every fd and process that has it). Rare: a small ring, the oldest forgotten first. */
#define FD_NEGATIVE_MAX 64
static struct fd_negative {
	dev_t dev;
	ino_t ino;
	bool dir[2]; /* GREEN_FD_READ (SO_RCVTIMEO), GREEN_FD_WRITE (SO_SNDTIMEO) */
} fd_negative[FD_NEGATIVE_MAX];
static unsigned fd_negative_n, fd_negative_next;

static struct fd_negative *fd_negative_find(int fd, bool create)
{
	struct stat st;
	struct fd_negative *e;

	if ((!fd_negative_n && !create) || green_sys(SYS_fstat, fd, &st))
		return NULL;
	for (unsigned i = 0; i < fd_negative_n; i++)
		if (fd_negative[i].ino == st.st_ino && fd_negative[i].dev == st.st_dev)
			return &fd_negative[i];
	if (!create)
		return NULL;
	if (fd_negative_n < FD_NEGATIVE_MAX)
		e = &fd_negative[fd_negative_n++];
	else
		e = &fd_negative[fd_negative_next++ % FD_NEGATIVE_MAX];
	*e = (struct fd_negative){ st.st_dev, st.st_ino, { false, false } };
	return e;
}

/* 1 if fd's socket has a negative timeout in dir, 0 if not, -1 if nothing is known. */
static int fd_negative_get(int fd, enum green_fd_dir dir)
{
	struct fd_negative *e = fd_negative_find(fd, false);

	return e ? e->dir[dir] : -1;
}

void green_fd_timeout_set(int fd, int optname, bool negative)
{
	enum green_fd_dir dir = optname == SO_RCVTIMEO_OLD || optname == SO_RCVTIMEO_NEW ? GREEN_FD_READ
											: GREEN_FD_WRITE;
	struct fd_negative *e = fd_negative_find(fd, negative);
	struct green_fd *f = fd_slot(fd, false);

	if (e)
		e->dir[dir] = negative;
	if (f && f->kind != GREEN_FD_UNKNOWN && fd_sole(f))
		fd_cache_fill(f, fd); /* the value the kernel keeps (it rounds to jiffies) */
}

int green_fd_timeout(struct green_fd *f, int fd, enum green_fd_dir dir, struct timespec *out)
{
	struct timeval tv;

	if (fd_sole(f) && f->negative[dir])
		return -EAGAIN;
	tv = fd_sole(f) ? f->timeo[dir] : fd_kernel_timeout(fd, dir);
	if (!tv.tv_sec && !tv.tv_usec) /* "none", or a negative one kept as no time at all */
		return !fd_sole(f) && fd_negative_get(fd, dir) > 0 ? -EAGAIN : 0;
	*out = green_clock_add(green_clock_now(CLOCK_MONOTONIC),
			       (struct timespec){ tv.tv_sec, tv.tv_usec * 1000 });
	return 1;
}

void green_fd_forget_range(unsigned first, unsigned last)
{
	/* Only numbers that have an entry can have waiters or registrations. */
	for (unsigned c = first / FD_CHUNK; c < FD_CHUNKS && c <= last / FD_CHUNK; c++) {
		if (!fd_chunks[c])
			continue;
		for (unsigned i = 0; i < FD_CHUNK; i++) {
			unsigned fd = c * FD_CHUNK + i;
			if (fd >= first && fd <= last)
				green_fd_forget((int)fd);
		}
	}
}

/* Make sure the hub watches f. 0, -EPERM (cannot be watched: always ready), -EBADF, -ENOMEM. */
static int fd_watch(struct green_fd *f, int fd)
{
	int r;

	if (f->watched)
		return 0;
	r = green_hub_fd_watch(fd, &f->event, f);
	if (r == 0)
		f->watched = true;
	return r;
}

struct green_fd *green_fd_blocking(int fd)
{
	struct green_fd *f = green_fd_get(fd);

	if (f && f->kind != GREEN_FD_FILE)
		return f;
	green_log_debug(1, "fd %d: the call goes straight to the kernel (%s)", fd,
			!f ? "not an open fd" : "a regular file or similar, never waits");
	return NULL;
}

bool green_fd_ready_now(int fd, enum green_fd_dir dir)
{
	struct pollfd p = { fd, dir == GREEN_FD_READ ? POLLIN : POLLOUT, 0 };
	struct timespec zero = { 0, 0 };
	long r;

	/* A signal handled meanwhile (SIGALRM at 100 Hz) makes even a zero-timeout poll fail
	 * with EINTR: that says nothing about fd, so ask again (taking it as "ready" made the
	 * real call block the hub). Raw: errno stays the program's. */
	do
		r = green_sys(SYS_ppoll, &p, 1, &zero, NULL, 0);
	while (r == -EINTR);
	return r != 0; /* ready, or an error the real call reports */
}

int green_fd_wait_ready(struct green_fd *f, int fd, enum green_fd_dir dir)
{
	while (!green_fd_ready_now(fd, dir)) {
		int w = green_fd_wait(f, fd, dir, NULL);
		if (w)
			return w == -EPERM ? 0 : w;
	}
	return 0;
}

void green_fd_ready(struct green_fd *f, bool readable, bool writable)
{
	if (readable)
		green_wait_wake(&f->rd, ~0u, INT_MAX);
	if (writable)
		green_wait_wake(&f->wr, ~0u, INT_MAX);
}

int green_fd_wait(struct green_fd *f, int fd, enum green_fd_dir dir,
		  const struct timespec *deadline)
{
	uint32_t gen = f->gen;
	int r = fd_watch(f, fd);

	if (r)
		return r;
	green_hub_waiters_add(1);
	green_sched_wait_arg(fd);
	r = green_wait_park(dir == GREEN_FD_READ ? &f->rd : &f->wr, ~0u,
			    dir == GREEN_FD_READ ? GREEN_WAIT_FD_READ : GREEN_WAIT_FD_WRITE,
			    CLOCK_MONOTONIC, deadline);
	green_hub_waiters_add(-1);
	if (f->gen != gen)
		return -EBADF;
	return r;
}

int green_fd_wait_many(const int *fds, const short *events, int n,
		       const struct timespec *deadline)
{
	const void *stack_keys[64];
	const void **keys = n * 2 <= 64 ? stack_keys : malloc(sizeof *keys * (size_t)n * 2);
	int k = 0, r;

	if (!keys)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		struct green_fd *f = green_fd_get(fds[i]);
		if (!f || fd_watch(f, fds[i]))
			continue; /* not open or always ready: the caller's poll(0) reports it */
		if (events[i] & (POLLIN | POLLPRI | POLLRDNORM | POLLRDBAND))
			keys[k++] = &f->rd;
		if (events[i] & (POLLOUT | POLLWRNORM | POLLWRBAND))
			keys[k++] = &f->wr;
		if (!(events[i] & (POLLIN | POLLPRI | POLLRDNORM | POLLRDBAND | POLLOUT | POLLWRNORM |
				   POLLWRBAND)))
			keys[k++] = &f->rd; /* errors and hangups still end the wait */
	}
	green_hub_waiters_add(1);
	green_sched_wait_arg(n);
	r = green_wait_park_many(keys, k, GREEN_WAIT_POLL, CLOCK_MONOTONIC, deadline);
	green_hub_waiters_add(-1);
	if (keys != stack_keys)
		free(keys);
	return r;
}
