/* SPDX-License-Identifier: MIT
 * The hub: the green thread that runs the libevent loop, and the per-thread timers of timed
 * parks. The only part of libgreen that knows libevent.
 */
#ifndef GREEN_CORE_HUB_H
#define GREEN_CORE_HUB_H

#include "thread.h"

#include <stdint.h>
#include <time.h>

#define GREEN_HUB_STACK (256u << 10) /* the hub runs libevent and short callbacks only */

/* Create the event base (precise timers: CLOCK_MONOTONIC + timerfd, see HAZARDS H15).
 * Boot thread only, once. Returns 0 or -ENOMEM. */
int green_hub_init(void);

/* The hub green thread's body: run the event loop while nothing is runnable, run green threads
 * otherwise, and report a deadlock when nothing can ever run again. Never returns. */
_Noreturn void green_hub_run(void *unused);

/* Arm g's timer to ready it with GREEN_WAKE_TIMER after rel (>= 0; rounded up to the next
 * microsecond, libevent's unit). Re-arming replaces the previous expiry. Returns 0 or -ENOMEM.
 * Hub OS thread only; never parks. */
int green_hub_timer_arm(struct green_thread *g, struct timespec rel);

/* Disarm g's timer if armed. Hub OS thread only. */
void green_hub_timer_cancel(struct green_thread *g);

/* Count n more (or fewer) green threads parked on something only the hub can deliver (fds);
 * the deadlock check needs to know. Hub OS thread only. */
void green_hub_waiters_add(long n);

/* Watch fd for readiness in both directions (edge-triggered, persistent) and call
 * green_fd_ready(arg, readable, writable) on every edge. Stores the event in *event. Returns 0,
 * -EPERM (epoll refuses the fd: regular files and the like, always ready), -EBADF, -ENOMEM.
 * Hub OS thread only; one epoll_ctl. */
int green_hub_fd_watch(int fd, void **event, void *arg);

/* Call cb(arg) on the hub whenever libgreen's own eventfd *fdp is readable; for good. The fd
 * becomes one of libgreen's own (core/ownfd.h) and may move: *fdp is then updated, with
 * guard(true) held around the move when the fd is written from other OS threads (guard may
 * be NULL; signals are blocked on the hub's OS thread meanwhile). Returns 0 or -ENOMEM. Hub
 * OS thread only. */
int green_hub_watch_internal(int *fdp, void (*cb)(void *), void *arg, void (*guard)(bool hold));

/* The program wants the number of the internal fd (green_ownfd_evict): move it. 0 or
 * -EBUSY (not on the hub's OS thread). */
int green_hub_move_internal(int fd);

/* The program wants the number of one of libevent's fds: rebuild the event base (new epoll
 * fd, timerfd and pipes, every event registered again). 0, -EBUSY (not on the hub's OS
 * thread, or inside the hub) or -ENOMEM. */
int green_hub_rebuild(void);

/* In a fork child: drop internal watches; the epoll set is rebuilt (event_reinit) for the fds
 * still registered before libevent is next used. Returns 0. */
int green_hub_forked(void);

/* Stop watching (before the fd is closed or reused). Hub OS thread only. */
void green_hub_fd_unwatch(void **event);

/* Statistics: event-loop passes, and the longest time the hub did not get to run. */
void green_hub_stats(uint64_t *loops, uint64_t *longest_ns);

#endif
