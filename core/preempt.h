/* SPDX-License-Identifier: MIT
 * Asynchronous preemption: a green thread that holds the hub's OS thread for a whole time
 * slice without a switch (a loop that calls nothing libgreen hooks) is interrupted by a signal
 * and, at a safe point, yields from inside the handler; anywhere else it yields at its next
 * hooked call. Go's sysmon + SIGURG design, with a CPU-time timer of the hub's OS thread
 * instead of a monitor thread (it fires only while that thread uses CPU: an idle process is
 * never woken, and nothing extra shows in /proc).
 */
#ifndef GREEN_CORE_PREEMPT_H
#define GREEN_CORE_PREEMPT_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

/* Preemptions so far: yields from the handler, and marks left for the next hooked call
 * (statistics). */
extern uint64_t green_preempt_yields, green_preempt_marks;

/* Start preemption if it is wanted and possible (GREEN_PREEMPT=1, time slices on, TLS per
 * green thread, libunwind loaded) and not started yet: the timer on the calling (hub) OS
 * thread's CPU clock and GREEN_MONITOR_SIGNAL's handler. Called where a second green thread
 * comes into being (a single green thread needs none). Green thread only; idempotent; never
 * fails the caller (without it, threads yield at hooked calls only). */
void green_preempt_start(void);

/* True when a signal with info is the preemption timer's. Async-signal-safe. */
bool green_preempt_ours(const siginfo_t *info);

/* The handler's work for the timer's signal (core/monitor.c dispatches it), with uc the
 * interrupted context. Hub OS thread, signal context. */
void green_preempt_signal(void *uc);

/* The program set sig's disposition or waits for it (sigwait):
 * while the program has no use for the preemption signal, libgreen keeps it unblocked at the
 * OS level even in threads that block it, so that they can be preempted. Hub OS thread. */
void green_preempt_disposition(int sig);
void green_preempt_waited(const sigset_t *set);

/* In a fork child: the timer is not inherited; the child's next second thread starts it
 * again. Returns 0. core/runtime.c's table. */
int green_preempt_forked(void);

/* The kernel id of the preemption timer, -1 when none: a timer the program never armed
 * (deadlock detection skips it). Any thread. */
int green_preempt_timer_id(void);

/* How preemption runs, for the statistics line: "on", or why not ("off" while not started). */
const char *green_preempt_token(void);

#endif
