/* SPDX-License-Identifier: MIT
 * Signal handlers under libgreen: every handler the program installs runs through a trampoline
 * that closes the hook gate (hooks called from a handler pass straight through and never
 * switch) and afterwards has the hub interrupt the parked call the kernel would have
 * interrupted (main first, or a pthread_kill target) with EINTR.
 */
#ifndef GREEN_CORE_SIGNAL_H
#define GREEN_CORE_SIGNAL_H

#include "thread.h"

#include <signal.h>
#include <stdbool.h>

/* sigaction for the program: record act (if any) and install the trampoline for handlers (not
 * SIG_DFL/SIG_IGN); report the program's previous action in *old. Returns 0 or -errno.
 * Hub OS thread (green thread). */
int green_signal_action(int sig, const struct sigaction *act, struct sigaction *old);

/* The next interruption by sig should go to g (pthread_kill of a green thread). */
void green_signal_target(int sig, struct green_thread *g);

/* Mark the current green thread as in an interruptible call (on) or not. */
void green_signal_interruptible(bool on);

/* True if a handler interrupted the current green thread's interruptible call. */
bool green_signal_interrupted(void);

/* After -EINTR: whether the call should restart (the handler had SA_RESTART); clears the
 * interruption either way. */
bool green_signal_restart(void);

/* pause(): park until a signal handler runs for this thread. Returns -EINTR. Green thread. */
int green_signal_pause(void);

/* In a fork child: drop the parent's eventfd and pending interruptions. */
void green_signal_forked(void);

#endif
