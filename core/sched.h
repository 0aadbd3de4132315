/* SPDX-License-Identifier: MIT
 * The scheduler, in Go's vocabulary: the current green thread, the run queue, park / ready /
 * yield, and the switch that saves each green thread's errno and h_errno.
 */
#ifndef GREEN_CORE_SCHED_H
#define GREEN_CORE_SCHED_H

#include "thread.h"
#include "log.h"
#include "mem.h"
#include "../preload/boot.h"

#include <signal.h>
#include <stddef.h>
#include <time.h>

/* Scheduler state. Hub OS thread only. */
struct green_sched {
	struct green_thread *current; /* the running green thread (the hub while it runs) */
	struct green_thread *hub;     /* the hub green thread, running the libevent loop */
	struct green_thread *main;    /* the process's initial thread */
	struct green_thread *runq_head, *runq_tail; /* FIFO of runnable threads */
	struct green_thread *runnext; /* runnable, readied by a green thread: runs before the FIFO */
	unsigned runnext_streak;      /* runnext picks in a row */
	size_t runq_len;              /* threads in the FIFO */
	struct green_thread *dead;    /* finished thread whose stack is released after the switch */
	unsigned direct;              /* green-to-green switches since the hub last polled */
	size_t alive;                 /* green threads not finished, main included */
	bool main_exited;             /* main called pthread_exit and waits for the others */
	void *eh_globals;             /* libstdc++'s per-OS-thread __cxa_eh_globals, or NULL */
	uint64_t os_sigmask;          /* the OS thread's blocked signals as last set by us */
	uint32_t masked;              /* live green threads counted below */
	uint32_t blocking[64];        /* of those, the ones that block signal bit + 1 */
	uint64_t switches;            /* context switches so far (statistics) */
	uint64_t created;             /* green threads created so far (statistics) */
	size_t peak_alive;            /* most green threads alive at once (statistics) */
	uint64_t parks[GREEN_WAIT_COUNT]; /* parks by enum green_wait (statistics) */
	int switching;                /* inside sched_switch: the two threads' contexts are in flux */
	bool rare;                    /* set for good once a thread has its own sigaltstack or a
	                               * signal was sent to one: switches then check both */
	uint32_t slice_calls;         /* hooked calls made, for the time-slice check (below) */
	uint64_t slice_switches;      /* switches when the running thread's slice began */
	uint64_t slice_start_ns;      /* CLOCK_MONOTONIC_COARSE ns when it began */
	uint64_t slice_ns;            /* GREEN_SLICE_MS in ns; 0: no time slices */
	uint64_t slice_yields;        /* yields forced by the slice (statistics) */
	bool slice_due;               /* the slice is over but a lock is held: yield at the next
	                               * hooked call that finds none */
	uint32_t readied;             /* threads a green thread (not the hub) readied so far */
	uint32_t slice_readied;       /* readied when the running thread's slice began */
	uint64_t wake_seen_ns;        /* CLOCK_MONOTONIC ns when the slice check first saw that the
	                               * running thread readied one (0: not yet) */
	uint64_t os_open;             /* signals never blocked at the OS level, whatever the running
	                               * thread blocks (the preemption signal, core/preempt.c) */
};

extern struct green_sched green_sched;

/* Slow half of green_sched_slice_check: yield if the running green thread has run for its
 * whole slice since another thread last ran. Hub OS thread (a no-op in the hub, in signal
 * handlers and with slices off). */
void green_sched_slice_over(void);

/* Yield with the hub polling first (timers, fds, signals), as a slice's end does. Green
 * thread only. */
void green_sched_yield_polling(void);

/* End the running thread's slice now: it yields at its next hooked call (after its last
 * mutex unlock when it holds one). Hub OS thread, also in a signal handler. */
void green_sched_slice_mark(void);

/* Keep the signals in bits unblocked at the OS level (green_sched.os_open) and apply that to
 * the running thread's mask now. Hub OS thread. */
void green_sched_keep_open(uint64_t bits);

/* Every hooked call comes here after its logic (preload/shim.c): a green thread that runs GREEN_SLICE_MS (10)
 * without parking yields at a hooked call, even one that does not block (an uncontended lock,
 * a poll that finds an fd ready, a non-blocking read), so that the hub polls and the run
 * queue moves (Go preempts at function calls after 10 ms for the same reason); never while it
 * holds a mutex (the others would only queue on it): then at the first call after the last
 * unlock. One increment and test per call; the clock is read every 16th. Any thread. */
static inline void green_sched_slice_check(void)
{
	if (__builtin_expect(((++green_sched.slice_calls & 15) == 0) | green_sched.slice_due, 0))
		green_sched_slice_over();
}

/* The running green thread. Hub OS thread only. */
static inline struct green_thread *green_sched_self(void)
{
	return green_sched.current;
}

/* Copy len bytes of the program's src (a timeout, a signal set, an argument block) that the
 * kernel would check: 0, or -EFAULT where the kernel would say EFAULT (never a crash).
 * Green thread only. */
static inline int green_sched_copy_in(void *dst, const void *src, size_t len)
{
	const struct green_stack *st = &green_sched_self()->stack;

	return green_mem_copy_in(dst, src, len, st->lo, (const char *)st->lo + st->size);
}

/* Record, for reports, the fd (fd waits), number of fds (poll) or child pid (child waits) the
 * current green thread's next parks are for. Hub OS thread only. */
static inline void green_sched_wait_arg(long v)
{
	green_sched.current->wait_arg = v;
}

/* True if some green thread is runnable. Hub OS thread only. */
static inline bool green_sched_runnable(void)
{
	return green_sched.runq_head != NULL || green_sched.runnext != NULL;
}

/* Make parked (or new) g runnable, recording why. No-op if g is not parked or new: a timer
 * and an event racing to wake the same thread wake it once. Hub or green thread; never parks. */
void green_sched_ready(struct green_thread *g, enum green_wake why);

/* Park the current green thread on why/obj until green_sched_ready() wakes it; other green
 * threads (or the hub) run meanwhile. Green thread only. Returns with errno as before. */
void green_sched_park(enum green_wait why, const void *obj);

/* Park as above, but also wake when clk reaches *deadline (absolute). Returns 0 when readied
 * by an event, -ECANCELED when a cancellation interrupted it, -EINTR when a signal handler did,
 * -ETIMEDOUT when the deadline passed (at once if it already had). Green thread only. */
int green_sched_park_until(enum green_wait why, const void *obj, clockid_t clk,
			   const struct timespec *deadline);

/* Let every runnable green thread run once, then continue; polls the hub now and then so I/O
 * and timers are never starved by yielding threads. Green thread only. */
void green_sched_yield(void);

/* Leave the current, finished green thread for good (it becomes green_sched.dead and its stack
 * is released by whoever runs next). Green thread only; never returns. */
_Noreturn void green_sched_leave(void);

/* From the hub: switch to the first runnable green thread; returns when the hub is switched
 * back to. Hub only; the run queue must not be empty. */
void green_sched_run_next(void);


/* The body of every new green thread after its first switch: reaps the previous dead thread
 * and sets errno/h_errno to 0 as in a new native thread. Green thread only. */
void green_sched_started(void);

/* Set up the calling (main) thread as the first green thread, the hub's green thread and the
 * hub itself. Returns 0 or a negative errno. core/runtime.c's table, at boot, main OS thread. */
int green_sched_boot(void);

/* In a fork child of a green thread: keep only that green thread (every other one is finished
 * for good). Returns 0. core/runtime.c's table, fork child. */
int green_sched_forked(void);

/* Calling-context contracts of core's entry points, checked in every build (one TLS load):
 * "Hub OS thread" (a green thread, the hub, or a handler on that OS thread) and "Green thread
 * only" (a green thread other than the hub, on the hub's OS thread). */
/* A green thread's blocked signals change from old to new: keeps green_sched.blocking. Costs
 * one step per signal that differs. Hub OS thread. */
void green_sched_mask_change(uint64_t old, uint64_t new);

/* A green thread with blocked signals mask starts (born) or ends (!born) counting. Costs one
 * step per blocked signal (usually none). Hub OS thread. */
void green_sched_mask_count(uint64_t mask, bool born);

/* While the hub waits in the kernel, the OS thread blocks only the signals every live green
 * thread blocks, so that a process-directed signal reaches the process as natively (a thread
 * in sigsuspend with it unblocked). Applies that mask. Hub. */
void green_sched_idle_mask(void);

#define GREEN_ASSERT_HUB_OS_THREAD() GREEN_ASSERT(green_boot_hub_thread)
#define GREEN_ASSERT_GREEN_THREAD() \
	GREEN_ASSERT(green_boot_hub_thread && green_sched.current != green_sched.hub)

#endif
