/* SPDX-License-Identifier: MIT
 * The run queue and every switch between green threads. Switching saves and restores errno
 * and h_errno around the context switch (GNU Pth does the same), flips the hook gate off while
 * the hub runs, and releases the stack of a thread that just finished.
 */
#include "sched.h"
#include "sys.h"

#include "altstack.h"
#include "annotate.h"
#include "clock.h"
#include "hub.h"
#include "mutex.h"
#include "log.h"
#include "report.h"
#include "signal.h"
#include "tls.h"
#include "wait.h"
#include "../preload/boot.h"
#include "../preload/config.h"
#include "../preload/real.h"

#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Poll the hub (a non-blocking event-loop pass) after this many green-to-green switches, so
 * threads that keep each other busy cannot starve timers and I/O (Go's scheduler does the same
 * with its netpoll tick). */
#define SCHED_POLL_EVERY 61

/* How long a thread readied by the running one waits for it to yield, at most (give or take
 * 16 hooked calls). Linux lets a woken thread preempt its waker at once; yielding at once is
 * worse here when the waker holds what the woken one needs next (CPython's GIL: a woken
 * consumer then only waits for it), and a whole slice lets the waker take the work the other
 * was woken for. */
#define SCHED_WAKE_NS 20000u

/* A thread readied by a green thread runs next (Go's runnext), ahead of the FIFO: a woken
 * consumer gets the item it was woken for instead of finding it taken by a consumer that was
 * already runnable (CPython's 50/50 queue: 50 of 50 consumers get items, 1 of 50 without).
 * At most SCHED_RUNNEXT_STREAK runnext picks in a row, then the FIFO's head (two threads that
 * keep waking each other never starve the others), and only while the FIFO holds fewer than
 * SCHED_RUNNEXT_QUEUE threads: with thousands of expired sleepers in it, wakes that jump the
 * queue made CPython's 20,000-thread join phase 3.5 s instead of 1.0 s. */
#define SCHED_RUNNEXT_STREAK 8
#define SCHED_RUNNEXT_QUEUE 64

struct green_sched green_sched;

static void runq_push(struct green_thread *g)
{
	g->next = NULL;
	if (green_sched.runq_tail)
		green_sched.runq_tail->next = g;
	else
		green_sched.runq_head = g;
	green_sched.runq_tail = g;
	green_sched.runq_len++;
}

static struct green_thread *runq_pop(void)
{
	struct green_thread *g = green_sched.runq_head;

	if (g) {
		green_sched.runq_head = g->next;
		if (!g->next)
			green_sched.runq_tail = NULL;
		green_sched.runq_len--;
	}
	return g;
}

/* Release what the thread that finished before this switch left behind: its stack cannot be
 * unmapped while it still runs on it. */
static void sched_reap(void)
{
	struct green_thread *d = green_sched.dead;

	if (!d)
		return;
	green_sched.dead = NULL;
	green_stack_put(&d->stack);
	if (d->detached)
		green_thread_free(d);
}

/* Give the OS thread g's signal mask, less the signals kept open (os_open): a system call only
 * when it differs from the one it has. */
static inline void sched_wear_mask(const struct green_thread *g)
{
	uint64_t m = g->sigmask & ~green_sched.os_open;

	if (m != green_sched.os_sigmask) {
		green_sys(SYS_rt_sigprocmask, SIG_SETMASK, &m, NULL, sizeof m);
		green_sched.os_sigmask = m;
	}
}

/* Switch from the current thread to next. With TLS per green thread the switch loads next's
 * TCB and each keeps its own errno, h_errno and C++ exception stack; shared, they are swapped
 * here by hand (GNU Pth does the same) and the hook gate flips off while the hub runs. */
static inline __attribute__((always_inline)) void sched_switch_to(struct green_thread *next)
{
	struct green_thread *self = green_sched.current;
	enum green_tls_mode tls = green_tls_mode;
	int saved_errno = 0, saved_h_errno = 0;

	if (next == self) {
		self->state = GREEN_RUNNING;
		return;
	}
	if (tls == GREEN_TLS_SHARED) {
		saved_errno = errno;
		saved_h_errno = h_errno;
		/* libstdc++ keeps the caught-exception stack per OS thread: without swapping it,
		 * `throw;` or the end of a catch block in one green thread acts on another's
		 * exception (H4). */
		if (green_sched.eh_globals) {
			memcpy(self->eh_globals, green_sched.eh_globals, sizeof self->eh_globals);
			memcpy(green_sched.eh_globals, next->eh_globals, sizeof next->eh_globals);
		}
		/* Hooks reached while the hub runs libevent (epoll_wait, read of its timerfd) must
		 * pass straight through (with own TLS the hub's TCB has its gate closed). */
		green_boot_gate = next != green_sched.hub;
	}
	/* A TCB on glibc's thread list for a dlopen leaves it before another thread runs. */
	if (__builtin_expect(green_tls_linked != NULL, 0))
		green_tls_settle();
	/* A signal handler that reports threads must not read contexts half-way through. */
	green_sched.switching = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	green_sched.current = next;
	green_sched.switches++;
	next->state = GREEN_RUNNING;
	/* Each green thread has its own alternate signal stack, once any thread set one. */
	if (__builtin_expect(green_sched.rare, 0) && green_altstack_any && next != green_sched.hub)
		green_altstack_switch(next);
	/* Each green thread has its own signal mask; the OS thread wears the running one's (the
	 * hub keeps whatever is set). A system call only when they differ; a signal it unblocks
	 * is handled right here, already as next (pthread_self in the handler is next's). */
	if (next != green_sched.hub)
		sched_wear_mask(next);
	if (__builtin_expect(green_annotate_fibers, 0))
		green_annotate_switch_start(self, next, self->state == GREEN_DONE);
#if defined(__x86_64__) && !defined(GREEN_ARCH_GENERIC)
	if (tls == GREEN_TLS_WRFS)
		green_context_switch_wrfs(&self->ctx, &next->ctx);
	else if (tls == GREEN_TLS_PRCTL)
		green_context_switch_prctl(&self->ctx, &next->ctx);
	else
#endif
		green_context_switch(&self->ctx, &next->ctx);
	/* Back on our own stack: someone switched to us. */
	if (__builtin_expect(green_annotate_fibers, 0))
		green_annotate_switch_end(self);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	green_sched.switching = 0;
	if (tls == GREEN_TLS_SHARED) {
		errno = saved_errno;
		h_errno = saved_h_errno;
	}
	sched_reap();
}

/* Pick who runs after the current thread stops: the next runnable thread, or the hub when
 * none is runnable or when it is time to poll for events. */
static struct green_thread *sched_pick(void)
{
	if (green_sched.runnext && green_sched.direct + 1 < SCHED_POLL_EVERY &&
	    green_sched.runnext_streak < SCHED_RUNNEXT_STREAK) {
		struct green_thread *g = green_sched.runnext;
		green_sched.runnext = NULL;
		green_sched.direct++;
		green_sched.runnext_streak++;
		return g;
	}
	green_sched.runnext_streak = 0;
	if (green_sched.runnext) { /* its turn in the queue, behind the others */
		runq_push(green_sched.runnext);
		green_sched.runnext = NULL;
	}
	if (green_sched.runq_head && ++green_sched.direct < SCHED_POLL_EVERY)
		return runq_pop();
	green_sched.direct = 0;
	return green_sched.hub;
}

/* Switch to next; back in the current thread, run the signals sent to it that it does not
 * block (as if they arrived here, with its mask and its pthread_self), and when it was woken
 * only for that, park again in the wait it was in. */
static void sched_switch(struct green_thread *next)
{
	struct green_thread *self = green_sched.current;

	sched_switch_to(next);
	if (__builtin_expect(!green_sched.rare, 1)) /* no pthread_kill, no sigaltstack yet */
		return;
	while ((self->sig_pending & ~self->sigmask) || self->wake == GREEN_WAKE_DELIVER) {
		green_signal_deliver_own();
		if (self->wake != GREEN_WAKE_DELIVER)
			break;
		self->wake = GREEN_WAKE_NONE;
		self->state = GREEN_PARKED;
		sched_switch_to(sched_pick());
	}
}

void green_sched_ready(struct green_thread *g, enum green_wake why)
{
	GREEN_ASSERT_HUB_OS_THREAD();
	if (g->state != GREEN_PARKED) {
		/* Readied to run a signal only: this wake is the real one, it must not park again. */
		if (g->state == GREEN_RUNNABLE && g->wake == GREEN_WAKE_DELIVER)
			g->wake = why;
		return;
	}
	g->state = GREEN_RUNNABLE;
	g->wake = why;
	if (green_sched.current == green_sched.hub) { /* a timer, an fd, a signal: the FIFO */
		runq_push(g);
		return;
	}
	green_sched.readied++; /* by a green thread: see green_sched_slice_over */
	/* It runs next (Go's runnext) unless another already does or the FIFO is long (the
	 * threads in it would wait behind every wake: a burst of expired sleeps, say). */
	if (!green_sched.runnext && green_sched.runq_len < SCHED_RUNNEXT_QUEUE)
		green_sched.runnext = g;
	else
		runq_push(g);
}

void green_sched_park(enum green_wait why, const void *obj)
{
	struct green_thread *self = green_sched.current;

	GREEN_ASSERT_GREEN_THREAD();
	self->state = GREEN_PARKED;
	self->wait = why;
	self->wait_obj = obj;
	self->wake = GREEN_WAKE_NONE;
	self->park_ns = green_clock_coarse_ns();
	GREEN_ASSERT((unsigned)why < GREEN_WAIT_COUNT);
	green_sched.parks[why]++;
	green_log_debug(1, "green thread %llu (%s) parks in %s", (unsigned long long)self->id,
			self->name, green_report_wait_name(why));
	sched_switch(sched_pick());
	green_log_debug(2, "green thread %llu (%s) resumes", (unsigned long long)self->id, self->name);
	self->wait = GREEN_WAIT_NONE;
	self->wait_obj = NULL;
}

int green_sched_park_until(enum green_wait why, const void *obj, clockid_t clk,
			   const struct timespec *deadline)
{
	struct green_thread *self = green_sched.current;

	GREEN_ASSERT_GREEN_THREAD();
	for (;;) {
		struct timespec now = green_clock_now(clk);
		int err;

		if (!green_clock_before(now, *deadline))
			return -ETIMEDOUT;
		/* libevent measures on CLOCK_MONOTONIC; for other clocks (REALTIME stepped, BOOTTIME
		 * across suspend) the loop re-checks clk and parks again if woken early. */
		struct timespec left = green_clock_sub(*deadline, now);
		err = green_hub_timer_arm(self, left);
		if (err)
			return err;
		self->timeout_ns = (uint64_t)left.tv_sec * 1000000000u + (uint64_t)left.tv_nsec;
		green_sched_park(why, obj);
		self->timeout_ns = 0;
		if (self->wake != GREEN_WAKE_TIMER) {
			green_hub_timer_cancel(self);
			if (self->wake == GREEN_WAKE_CANCEL)
				return -ECANCELED;
			return self->wake == GREEN_WAKE_SIGNAL ? -EINTR : 0;
		}
	}
}

void green_sched_yield(void)
{
	struct green_thread *self = green_sched.current;

	/* The hot path of every yield: its callers are hooks whose gate already proved the OS
	 * thread, so only the hub is checked here. */
	GREEN_ASSERT(self != green_sched.hub);
	self->state = GREEN_RUNNABLE;
	runq_push(self);
	sched_switch(sched_pick());
}

void green_sched_slice_over(void)
{
	uint64_t now;

	/* Off, or not a green thread here (the hub, a signal handler, another OS thread). */
	if (!green_sched.slice_ns || !green_boot_gate || green_sched.current == green_sched.hub)
		return;
	now = green_clock_coarse_ns();
	if (green_sched.switches != green_sched.slice_switches) { /* another thread ran since */
		green_sched.slice_switches = green_sched.switches;
		green_sched.slice_start_ns = now;
		green_sched.slice_readied = green_sched.readied;
		green_sched.wake_seen_ns = 0;
		green_sched.slice_due = false;
		return;
	}
	if (now - green_sched.slice_start_ns < green_sched.slice_ns) {
		/* It readied a thread during this slice (an unlock, a post, a signal, a new
		 * thread): that one waits about SCHED_WAKE_NS, measured from when this check first
		 * saw it, on the fine clock (the coarse one ticks every few ms). */
		uint64_t fine;

		if (green_sched.readied == green_sched.slice_readied || !green_sched_runnable())
			return;
		fine = green_clock_ns(CLOCK_MONOTONIC);
		if (!green_sched.wake_seen_ns)
			green_sched.wake_seen_ns = fine;
		if (fine - green_sched.wake_seen_ns < SCHED_WAKE_NS)
			return;
	}
	if (green_sched.current->locks_held) {
		green_sched.slice_due = true; /* after its last unlock */
		return;
	}
	green_sched.slice_due = false;
	green_sched.slice_yields++;
	green_sched_yield_polling();
}

void green_sched_yield_polling(void)
{
	green_sched.direct = SCHED_POLL_EVERY; /* the hub polls first: timers, fds, signals */
	green_sched_yield();
}

void green_sched_slice_mark(void)
{
	green_sched.slice_switches = green_sched.switches;
	green_sched.slice_start_ns = 0; /* over, whatever the clock says */
	green_sched.slice_due = true;
}

void green_sched_keep_open(uint64_t bits)
{
	struct green_thread *g = green_sched.current;

	green_sched.os_open = bits;
	if (g && g != green_sched.hub)
		sched_wear_mask(g);
}

void green_sched_mask_change(uint64_t old, uint64_t new)
{
	for (uint64_t diff = old ^ new; diff; diff &= diff - 1) {
		int bit = __builtin_ctzll(diff);
		if (new & (1ull << bit))
			green_sched.blocking[bit]++;
		else
			green_sched.blocking[bit]--;
	}
}

void green_sched_mask_count(uint64_t mask, bool born)
{
	green_sched.masked += born ? 1 : -1;
	for (; mask; mask &= mask - 1)
		green_sched.blocking[__builtin_ctzll(mask)] += born ? 1 : -1;
}

void green_sched_idle_mask(void)
{
	uint64_t m = 0;

	for (int bit = 0; bit < 64; bit++)
		if (green_sched.blocking[bit] == green_sched.masked)
			m |= 1ull << bit;
	if (m != green_sched.os_sigmask) {
		green_sys(SYS_rt_sigprocmask, SIG_SETMASK, &m, NULL, sizeof m);
		green_sched.os_sigmask = m;
	}
}

_Noreturn void green_sched_leave(void)
{
	struct green_thread *self = green_sched.current;

	green_sched_mask_count(self->sigmask, false);
	self->state = GREEN_DONE;
	GREEN_ASSERT(!green_sched.dead);
	green_sched.dead = self;
	sched_switch(sched_pick());
	green_log_panic("a finished green thread was resumed", __FILE__, __LINE__);
}

void green_sched_run_next(void)
{
	struct green_thread *g = green_sched.runnext;

	if (g)
		green_sched.runnext = NULL;
	else
		g = runq_pop();
	GREEN_ASSERT(g && green_sched.current == green_sched.hub);
	green_sched.hub->state = GREEN_PARKED;
	green_sched.hub->wait = GREEN_WAIT_HUB;
	sched_switch(g);
}

void green_sched_started(void)
{
	if (green_annotate_fibers)
		green_annotate_switch_end(green_sched.current);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	green_sched.switching = 0;
	sched_reap();
	errno = 0;
	h_errno = 0;
	if (green_sched.current->sig_pending & ~green_sched.current->sigmask)
		green_signal_deliver_own(); /* sent before it first ran */
}

int green_sched_boot(void)
{
	struct green_thread *main_g, *hub;
	int err;

	main_g = green_thread_alloc();
	hub = green_thread_alloc();
	if (!main_g || !hub)
		return -ENOMEM;
	main_g->id = 1;
	green_mutex_id_assign(main_g);
	green_sys(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &main_g->sigmask, sizeof main_g->sigmask);
	green_sched.os_sigmask = main_g->sigmask;
	green_sched_mask_count(main_g->sigmask, true);
	main_g->is_main = true;
	main_g->state = GREEN_RUNNING;
	main_g->handle = green_real()->pthread_self();
	green_real()->pthread_getname_np(main_g->handle, main_g->name, sizeof main_g->name);
	green_real()->pthread_getschedparam(main_g->handle, &main_g->policy, &main_g->param);
	/* main runs on the OS stack: record its bounds (never freed: "user" memory). */
	{
		pthread_attr_t a;
		void *lo = NULL;
		size_t size = 0;
		if (green_real()->pthread_getattr_np(main_g->handle, &a) == 0) {
			pthread_attr_getstack(&a, &lo, &size);
			pthread_attr_destroy(&a);
		}
		green_stack_adopt(&main_g->stack, lo, size);
	}
	hub->id = 0;
	strcpy(hub->name, "libgreen-hub");
	green_tls_boot(main_g);
	err = green_stack_get(&hub->stack, GREEN_HUB_STACK, 4096);
	if (err)
		return err;
	err = green_hub_init();
	if (err)
		return err;
	{
		size_t usable;
		if ((err = green_tls_make(hub, true, &usable)))
			return err;
		green_context_make(&hub->ctx, hub->stack.lo, usable, green_hub_run, NULL);
	}
	hub->state = GREEN_PARKED;
	hub->wait = GREEN_WAIT_HUB;
	/* Programs linked with libstdc++ have it loaded by now; its eh globals are 16 bytes on
	 * x86-64 (caughtExceptions, uncaughtExceptions). */
	{
		void *(*get_globals)(void) = (void *(*)(void))green_real()->dlsym(RTLD_DEFAULT, "__cxa_get_globals");
		if (get_globals)
			green_sched.eh_globals = get_globals();
	}
	green_sched.slice_ns = (uint64_t)green_config.slice_us * 1000u;
	green_sched.main = main_g;
	green_sched.hub = hub;
	green_sched.current = main_g;
	green_sched.alive = 1;
	return 0;
}

int green_sched_forked(void)
{
	struct green_thread *self = green_sched.current;

	/* POSIX: the child has only the thread that called fork. Every other green thread is
	 * finished for good, so that nothing (a timer, a wait queue, a joiner link) can ever
	 * resume it on its copied stack. */
	for (struct green_thread *g = green_thread_first(); g; g = green_thread_next(g)) {
		if (g == self || g == green_sched.hub)
			continue;
		green_hub_timer_cancel(g);
		g->state = GREEN_DONE;
		g->joiner = NULL;
	}
	self->joiner = NULL;
	green_mutex_id_assign(self); /* its kernel tid changed too: locks taken before fork are
				      * not the child's (an errorcheck unlock answers EPERM) */
	green_sched.masked = 0;
	memset(green_sched.blocking, 0, sizeof green_sched.blocking);
	green_sched_mask_count(self->sigmask, true);
	green_sched.runq_head = green_sched.runq_tail = NULL;
	green_sched.runq_len = 0;
	green_sched.runnext = NULL;
	green_sched.dead = NULL;
	green_sched.alive = 1;
	green_tls_forked();
	/* A forking thread other than main is the child's only thread: when it ends, the process
	 * ends (exit(0)), as when main has called pthread_exit. */
	green_sched.main_exited = !self->is_main;
	return 0; /* the other modules follow in core/runtime.c's table */
}
