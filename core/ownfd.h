/* SPDX-License-Identifier: MIT
 * libgreen's own file descriptors (the hub's epoll fd, timerfd and pipes inside libevent, the
 * pool's and the signal trampoline's eventfds, a child wait's pidfd, a sigwait's signalfd):
 * moved to high numbers as they are made, and invisible to the program. A close of one
 * answers EBADF as if it were not open, close_range and closefrom skip them, and a dup2 onto
 * one first moves libgreen's fd elsewhere. Daemons close every fd at start; nothing of ours
 * may go with them, nor may a number the program reuses get our writes (HAZARDS H10).
 */
#ifndef GREEN_CORE_OWNFD_H
#define GREEN_CORE_OWNFD_H

#include <stdbool.h>

/* Who made an fd of ours, and so how it moves when the program wants its number. */
enum green_ownfd_owner {
	GREEN_OWNFD_LIBEVENT,  /* inside the hub's event base: the base is rebuilt */
	GREEN_OWNFD_INTERNAL,  /* an eventfd the hub watches for a module (green_hub_watch_internal) */
	GREEN_OWNFD_TRANSIENT, /* held for one call (pidfd, signalfd): given up, its waiter retries */
	GREEN_OWNFD_LOG,       /* the GREEN_LOG file: moved (green_log_move) */
	GREEN_OWNFD_LIBUNWIND, /* its memory-validation pipe, idle after start (it validates with
				* mincore where the kernel has it): given up to the program */
};

/* Set on the hub's OS thread while a library of ours creates or closes its fds (libevent's
 * base creation and rebuild, libunwind's start): the fd hooks then adopt what is created, as
 * green_ownfd_capture_owner's, and let the library close its own. */
extern __thread bool green_ownfd_capturing;
extern __thread enum green_ownfd_owner green_ownfd_capture_owner;

/* Begin/end such a window (not nested). */
void green_ownfd_capture(bool on, enum green_ownfd_owner owner);

/* fd was just created by libgreen: move it to a high number (close-on-exec) and record it.
 * Returns the fd to use (fd itself when no higher number is free), or fd when fd < 0. Any
 * thread of ours; the table is written on the hub's OS thread or before any other exists. */
int green_ownfd_adopt(int fd, enum green_ownfd_owner owner);

/* Is fd one of ours? Any thread, any time: one comparison for the program's own numbers. */
bool green_ownfd_is(int fd);

/* libgreen closes fd, if it is still ours (a transient fd given up to the program is not).
 * Returns true when it was closed. */
bool green_ownfd_close(int fd);

/* fd is about to be closed or used by whoever calls: true when it is ours and the caller is
 * the program (which gets EBADF, as for a number not open). A library of ours closing its own
 * (capturing) gets false, and fd leaves the table. Any thread. */
bool green_ownfd_refuse(int fd);

/* Drop fd from the table (it was closed or given up). */
void green_ownfd_forget(int fd);

/* The program is about to dup2/dup3 onto fd, one of ours: move ours to another number first.
 * Returns 0, or -EBUSY when it cannot move from here (another OS thread, inside the hub). */
int green_ownfd_evict(int fd);

/* The lowest and highest fd number of ours, for close_range/closefrom to split a range
 * around: fills out[] (sorted, at most max) with ours inside [first, last], returns how many. */
int green_ownfd_in_range(unsigned first, unsigned last, int *out, int max);

#endif
