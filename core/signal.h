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

/* Take sig for one of libgreen's own handlers (stack overflow, dump, monitor): install fn
 * with SA_SIGINFO | SA_RESTART, and SA_ONSTACK when onstack (a handler that may switch green
 * threads must run on the interrupted thread's own stack); the program's action, present or installed later
 * through sigaction, is recorded and reached with green_signal_chain(). Boot, hub OS thread.
 * Returns 0 or -errno. */
int green_signal_own(int sig, void (*fn)(int, siginfo_t *, void *), bool onstack);

/* Program signal handlers running on this OS thread (in this green thread's TLS) now. Any
 * thread, signal-safe. */
int green_signal_handler_depth(void);

/* True when the program's disposition for sig is a handler of its own. Any thread. */
bool green_signal_program_handles(int sig);

/* sig is held by one of libgreen's handlers, or the kernel holds our trampoline for the
 * program's handler: then sigaction must go to core from anywhere, even a handler (no
 * allocation then: the eventfd exists). Any thread. */
bool green_signal_managed(int sig);

/* From libgreen's handler for an owned sig: run the program's action as the kernel would have
 * (its handler through the trampoline, so EINTR rules hold; SIG_IGN: nothing) and return true;
 * return false when the program's action is SIG_DFL, or SIG_IGN for a fault (the kernel
 * never ignores a synchronous fault): the caller decides. Signal handler. */
bool green_signal_chain(int sig, siginfo_t *info, void *uc, bool fault);

/* From libgreen's handler for an owned sig whose program action is SIG_DFL: give sig back to
 * the kernel default and make that default act as it would have natively (a fault faults again
 * when the handler returns; a sent signal is sent again; SIGCHLD/URG/WINCH/CONT: nothing, their
 * default is to ignore). Signal handler. */
void green_signal_default(int sig, const siginfo_t *info);


/* What a signal handler does to a hooked call's parks: the INTR column of preload/hooks.def
 * (signal(7)). RESTART is 0, the class of calls made outside generated rows. */
enum green_intr {
	GREEN_INTR_RESTART = 0, /* resumed when the handler had SA_RESTART, else EINTR */
	GREEN_INTR_NEVER,       /* EINTR whatever the handler's flags */
	GREEN_INTR_NONE,        /* not interrupted (the call never parks interruptibly) */
};

/* Enter a hooked call of class c; returns the class to restore with green_signal_call_end.
 * Green thread only (preload/shim.c). */
static inline unsigned char green_signal_call_begin(struct green_thread *self, enum green_intr c)
{
	unsigned char prev = self->intr_class;

	self->intr_class = (unsigned char)c;
	return prev;
}

static inline void green_signal_call_end(struct green_thread *self, unsigned char prev)
{
	self->intr_class = prev;
}

/* Mark the current green thread as in an interruptible call (on) or not. */
void green_signal_interruptible(bool on);

/* True if a handler interrupted the current green thread's interruptible call. */
bool green_signal_interrupted(void);

/* After -EINTR: whether the call should restart (the handler had SA_RESTART and the running
 * call's class is RESTART); clears the interruption either way. */
bool green_signal_restart(void);

/* pause(): park until a signal handler runs for this thread. Returns -EINTR. Green thread. */
int green_signal_pause(void);

/* Set the current green thread's blocked signals (how: SIG_BLOCK/UNBLOCK/SETMASK, set may be
 * NULL) and report the previous ones in *old. Applied to the OS thread now and whenever this
 * thread runs (the scheduler puts it on at each switch). Returns 0 or -EINVAL. Green thread
 * only. */
int green_signal_mask(int how, const sigset_t *set, sigset_t *old);

/* The current green thread's write failed with EPIPE, so the kernel raised SIGPIPE for this OS
 * thread. If the green thread blocks SIGPIPE, natively the signal stays pending on that thread
 * alone; here it would reach the next green thread that does not block it (and kill the
 * process): take it off the OS thread. Green thread. */
void green_signal_epipe(void);

/* A thread-directed signal (pthread_kill: code SI_TKILL; pthread_sigqueue: SI_QUEUE with
 * *value) for green thread g, which may be the caller. Discarded when ignored and not blocked
 * in g (as the kernel does); else pending in g alone: delivered when g runs with it unblocked
 * (readied for that if parked, then back to its wait), taken by g's sigwait-family calls, seen
 * by g's sigpending. Returns 0 or -EAGAIN (no memory for a queued value). Green thread. */
int green_signal_send(struct green_thread *g, int sig, int code, const union sigval *value);

/* Deliver the current green thread's pending signals it does not block: each is raised on
 * this OS thread (rt_tgsigqueueinfo with the sender's si_code and value), so its handler or
 * default action happens here, now, as this thread. Green thread. */
void green_signal_deliver_own(void);

/* Take one of the current green thread's pending signals in set (a sigwait): its number with
 * *info filled (info may be NULL), or 0 when none. Green thread. */
int green_signal_take_own(uint64_t set, siginfo_t *info);

/* g is freed: drop what is pending for it. Hub OS thread. */
void green_signal_thread_gone(struct green_thread *g);

/* The program longjmps (longjmp, siglongjmp...): if that leaves signal handlers, whatever the
 * trampoline changed for them (the closed gate, the thread it ran as) is put back as it was
 * before the outermost one. Any thread; async-signal-safe. */
void green_signal_jumped_out(void);

/* A handler has run whose dispatch (EINTR, semaphore wakes) the hub has not done yet. Any
 * thread. */
bool green_signal_dispatch_due(void);

/* In a fork child, after the hub's rebuild: a new eventfd if a handler runs through the
 * trampoline. Returns 0 (a failure is logged: the child runs on, without EINTR). */
int green_signal_forked_rewatch(void);

/* In a fork child: drop the parent's eventfd and pending interruptions. */
void green_signal_forked(void);

#endif
