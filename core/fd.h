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
 * O_NONBLOCK and SO_RCVTIMEO/SO_SNDTIMEO belong to the open file description, which a dup,
 * another process or a raw system call may share and change behind our back: they are cached
 * here only while the description is known to be this fd's alone (sole), else read from the
 * kernel whenever a call would block. Hub OS thread only. */
struct green_fd {
	enum green_fd_kind kind;   /* classified on first use */
	bool stream_socket;        /* SOCK_STREAM (partial sends continue), else datagram */
	bool watched;              /* registered with the hub (event below) */
	bool sole;                 /* created by a hooked call, not shared since (see birth) */
	bool no_nowait;            /* RWF_NOWAIT refused (FIFO, tty): poll before each try */
	bool nonblock;             /* sole: the program's O_NONBLOCK */
	bool negative[2];          /* sole: a negative SO_RCVTIMEO [READ] / SO_SNDTIMEO [WRITE] */
	uint32_t birth;            /* sole: the child-process epoch it was created in */
	void *event;               /* the hub's persistent edge-triggered event */
	uint32_t gen;              /* bumped when the fd is closed: waiters then fail with EBADF */
	struct timeval timeo[2];   /* sole: SO_RCVTIMEO [READ], SO_SNDTIMEO [WRITE] (0: none) */
	char rd, wr;               /* wait-queue keys: &rd for readers, &wr for writers */
};

/* Readiness directions. */
enum green_fd_dir { GREEN_FD_READ, GREEN_FD_WRITE };

/* The entry for fd, classified (fstat, SO_TYPE) on first use. NULL if fd
 * is negative, too large, or not open (the caller's real call then reports EBADF). Hub OS
 * thread. */
struct green_fd *green_fd_get(int fd);

/* The description behind fd changed or goes away: it was just created or replaced by a call we
 * hooked (a close we did not see may have left a stale entry), or is about to be closed or
 * replaced (close, dup2 onto it, close_range). Stop watching it, wake every green thread
 * waiting on it (they fail with EBADF) and forget what we knew: the number is classified from
 * the kernel on next use. Hub OS thread. */
void green_fd_forget(int fd);

/* A hooked call just created fd with a description of its own (socket, accept, pipe, open,
 * eventfd...): forget the number's past; until it is shared its flags are cached. */
void green_fd_created(int fd);

/* fd's description may now be reached from elsewhere (dup'd, sent with SCM_RIGHTS, changed
 * by a raw system call): its flags are read from the kernel from now on. */
void green_fd_shared(int fd);

/* A child process was created (fork, vfork, posix_spawn, system, popen): every description
 * that exists may now be shared with it. */
void green_fd_share_all(void);

/* Does the open file description behind fd have O_NONBLOCK right now? Then a call that
 * would block answers EAGAIN at once. Cached for a sole description, else one raw fcntl. */
bool green_fd_nonblocking(struct green_fd *f, int fd);

/* The socket timeout (SO_RCVTIMEO for GREEN_FD_READ, SO_SNDTIMEO for GREEN_FD_WRITE) of the
 * socket behind fd, as an absolute CLOCK_MONOTONIC deadline from now in *out. Returns 1 (the
 * deadline is *out), 0 (no timeout: wait forever) or -EAGAIN (a negative timeout was set:
 * the kernel answers at once). Cached for a sole description, else one raw getsockopt. */
int green_fd_timeout(struct green_fd *f, int fd, enum green_fd_dir dir, struct timespec *out);

/* The program changed fd's O_NONBLOCK through a hooked call (F_SETFL, FIONBIO). */
void green_fd_set_nonblock(int fd, bool on);

/* The program set SO_RCVTIMEO/SO_SNDTIMEO (_OLD or _NEW, optname) on fd and the kernel
 * accepted it; negative: its tv_sec was below 0, which the kernel keeps as "no time at all"
 * but reports back as 0 ("no timeout"). Remembered per socket, so green_fd_timeout can tell
 * the two apart also through other fds. */
void green_fd_timeout_set(int fd, int optname, bool negative);

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

/* The entry of fd when a call on it may block: open, and not a regular file (or other fd
 * that never waits). Else NULL: the call goes straight to libc. Whether the program made the
 * description non-blocking is asked only when the call would block (green_fd_nonblocking).
 * Hub OS thread (the caller checks the hook gate). */
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

#endif
