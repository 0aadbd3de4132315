/* SPDX-License-Identifier: MIT
 * The hub: the green thread that runs the libevent loop, and the per-thread timers of timed
 * parks. The only part of libgreen that knows libevent.
 */
#ifndef GREEN_CORE_HUB_H
#define GREEN_CORE_HUB_H

#include "thread.h"

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

#endif
