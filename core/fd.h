/* SPDX-License-Identifier: MIT
 * The fd table: what each file descriptor is (socket, stream, always-ready file), the program's
 * own non-blocking mode and socket timeouts, and readiness waits through the hub.
 */
#ifndef GREEN_CORE_FD_H
#define GREEN_CORE_FD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

/* What an fd is, for choosing how to wait on it. */
enum green_fd_kind {
	GREEN_FD_UNKNOWN, /* not classified yet */
	GREEN_FD_SOCKET,  /* recv/send with MSG_DONTWAIT, then wait */
	GREEN_FD_STREAM,  /* pipe, FIFO, tty, eventfd...: poll(0) first, then the real call */
	GREEN_FD_FILE,    /* regular file, block device, directory: never waits, straight through */
};

/* One fd's state. Entries live in chunks that never move (wait keys are their addresses).
 * Hub OS thread only. */
struct green_fd {
	enum green_fd_kind kind;   /* classified on first use */
	bool stream_socket;        /* SOCK_STREAM (partial sends continue), else datagram */
	bool user_nonblock;        /* the program's O_NONBLOCK: calls pass straight through */
	bool watched;              /* registered with the hub (event below) */
	void *event;               /* the hub's persistent edge-triggered event */
	uint32_t gen;              /* bumped when the fd is closed: waiters then fail with EBADF */
	struct timeval rcvtimeo;   /* SO_RCVTIMEO (0: none) */
	struct timeval sndtimeo;   /* SO_SNDTIMEO (0: none) */
	char rd, wr;               /* wait-queue keys: &rd for readers, &wr for writers */
};

/* Readiness directions. */
enum green_fd_dir { GREEN_FD_READ, GREEN_FD_WRITE };

/* The entry for fd, classified (fstat, SO_TYPE, F_GETFL, SO_*TIMEO) on first use. NULL if fd
 * is negative, too large, or not open (the caller's real call then reports EBADF). Hub OS
 * thread. */
struct green_fd *green_fd_get(int fd);

/* The description behind fd changed or goes away: it was just created or replaced by a call we
 * hooked (a close we did not see may have left a stale entry), or is about to be closed or
 * replaced (close, dup2 onto it, close_range). Stop watching it, wake every green thread
 * waiting on it (they fail with EBADF) and forget what we knew: the number is classified from
 * the kernel on next use. Hub OS thread. */
void green_fd_forget(int fd);

/* The program changed fd's O_NONBLOCK (a successful F_SETFL or FIONBIO): record it. Hub OS
 * thread. */
void green_fd_set_nonblock(int fd, bool on);

/* The program set SO_RCVTIMEO or SO_SNDTIMEO (optname) on fd: read back what the kernel keeps
 * (it rounds to jiffies). Hub OS thread. */
void green_fd_set_timeout(int fd, int optname);

/* close_range(first, last): green_fd_forget for every number in the range we know. */
void green_fd_forget_range(unsigned first, unsigned last);

/* Park until fd may be ready in direction dir (a retry is needed anyway), or until clk reaches
 * *deadline (NULL: none). Returns 0, -ETIMEDOUT, -ECANCELED, -EBADF (closed meanwhile), or
 * -EPERM when the fd cannot be waited on (always ready: just retry). Green thread only. */
int green_fd_wait(struct green_fd *f, int fd, enum green_fd_dir dir,
		  const struct timespec *deadline);

/* Park until any of n fds is ready in its directions (events: POLLIN/POLLOUT bits per fd), or
 * the deadline. Returns 0, -ETIMEDOUT or -ECANCELED. Green thread only. */
int green_fd_wait_many(const int *fds, const short *events, int n,
		       const struct timespec *deadline);

/* The entry of fd when a call on it may block: open, not a regular file (or other fd that
 * never waits), not made non-blocking by the program. Else NULL: the call goes straight to
 * libc. Hub OS thread (the caller checks the hook gate). */
struct green_fd *green_fd_blocking(int fd);

/* Is fd ready in dir right now (poll with a zero timeout, asked again when a signal interrupts
 * it; errors and hangups count as ready,
 * the call then reports them)? Any thread; one system call. */
bool green_fd_ready_now(int fd, enum green_fd_dir dir);

/* Park until fd is ready in dir right now. Returns 0, or green_fd_wait's error other than
 * -EPERM (an fd epoll refuses is always ready). Green thread only. */
int green_fd_wait_ready(struct green_fd *f, int fd, enum green_fd_dir dir);

/* Called by the hub on an edge of f. */
void green_fd_ready(struct green_fd *f, bool readable, bool writable);

/* The absolute CLOCK_MONOTONIC deadline for a socket timeout tv starting now; NULL (no
 * deadline) when tv is zero. out is the storage. */
const struct timespec *green_fd_deadline(const struct timeval *tv, struct timespec *out);

#endif
