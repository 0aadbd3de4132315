/* SPDX-License-Identifier: MIT
 * The hub green thread and its libevent base. libevent's own system calls (epoll_wait, the
 * timerfd read) reach our hooks too; the scheduler closes the hook gate while the hub runs,
 * so they pass straight through.
 */
#include "hub.h"
#include "sys.h"

#include "backtrace.h"
#include "clock.h"
#include "deadlock.h"
#include "signal.h"
#include "fd.h"
#include "log.h"
#include "ownfd.h"
#include "sched.h"
#include "tls.h"
#include "stack.h"
#include "../preload/config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <event2/event.h>

static struct event_base *hub_base;
/* Things that can still wake a parked green thread through the hub: armed timers and green
 * threads parked on an fd. With none and nothing runnable, no thread can ever run again, even if
 * idle fd registrations remain. Hub OS thread only. */
static long hub_waiters;
static uint64_t hub_loops;       /* event-loop passes (statistics) */
static uint64_t hub_left_ns;     /* when the hub last handed over to a green thread */
static uint64_t hub_longest_ns;  /* the longest time the hub did not run (statistics) */

int green_hub_init(void)
{
	struct event_config *cfg = event_config_new();

	if (!cfg)
		return -ENOMEM;
	/* Default libevent timers use CLOCK_MONOTONIC_COARSE and 1 ms epoll timeouts: usleep(200)
	 * would take ~4 ms. The precise flag uses CLOCK_MONOTONIC and a timerfd. */
	event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER | EVENT_BASE_FLAG_NOLOCK);
	green_ownfd_capture(true, GREEN_OWNFD_LIBEVENT); /* its epoll fd, timerfd, pipes: ours */
	hub_base = event_base_new_with_config(cfg);
	green_ownfd_capture(false, GREEN_OWNFD_LIBEVENT);
	event_config_free(cfg);
	return hub_base ? 0 : -ENOMEM;
}

static void hub_timer_fired(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	hub_waiters--;
	green_sched_ready(arg, GREEN_WAKE_TIMER);
}

int green_hub_timer_arm(struct green_thread *g, struct timespec rel)
{
	struct timeval tv;
	long usec = (rel.tv_nsec + 999) / 1000; /* never wake before the deadline */

	if (!g->timer) {
		g->timer = evtimer_new(hub_base, hub_timer_fired, g);
		if (!g->timer)
			return -ENOMEM;
	}
	tv.tv_sec = rel.tv_sec;
	tv.tv_usec = usec;
	if (tv.tv_usec >= 1000000) {
		tv.tv_sec++;
		tv.tv_usec -= 1000000;
	}
	/* libevent adds tv to its monotonic now; keep the sum far from overflow. */
	if (tv.tv_sec > (1L << 40))
		tv.tv_sec = 1L << 40;
	if (!evtimer_pending((struct event *)g->timer, NULL))
		hub_waiters++;
	return evtimer_add((struct event *)g->timer, &tv) ? -ENOMEM : 0;
}

void green_hub_timer_cancel(struct green_thread *g)
{
	if (g->timer && evtimer_pending((struct event *)g->timer, NULL)) {
		hub_waiters--;
		evtimer_del((struct event *)g->timer);
	}
}

void green_hub_waiters_add(long n)
{
	hub_waiters += n;
	GREEN_ASSERT(hub_waiters >= 0);
}

/* An internal fd's callback and argument (green_hub_watch_internal). */
struct hub_internal {
	int *fdp;
	void (*cb)(void *);
	void *arg;
	void (*guard)(bool hold);
	struct event *ev;
	struct hub_internal *next; /* all internal watches, for fork */
};

static struct hub_internal *hub_internals;
/* In a fork child: the epoll set is still the parent's; rebuilt on first use (most children
 * exec at once, and rebuilding costs one epoll_ctl per registered fd). */
static bool hub_stale;

/* event_reinit: libevent closes its epoll fd, timerfd and pipes and makes new ones (adopted
 * as ours), then registers every event again. 0 or -ENOMEM. */
static int hub_reinit(void)
{
	int r;

	green_ownfd_capture(true, GREEN_OWNFD_LIBEVENT);
	r = event_reinit(hub_base);
	green_ownfd_capture(false, GREEN_OWNFD_LIBEVENT);
	return r ? -ENOMEM : 0;
}

/* Rebuild the epoll set if this is a fork child that has not done it yet. 0 or -ENOMEM. */
static int hub_rebuild_after_fork(void)
{
	if (!hub_stale)
		return 0;
	hub_stale = false;
	return hub_reinit();
}

int green_hub_rebuild(void)
{
	if (!green_boot_hub_thread || green_sched.current == green_sched.hub)
		return -EBUSY;
	hub_stale = false;
	return hub_reinit();
}

static void hub_internal_ready(evutil_socket_t fd, short what, void *arg)
{
	struct hub_internal *h = arg;

	(void)fd;
	(void)what;
	h->cb(h->arg);
}

int green_hub_watch_internal(int *fdp, void (*cb)(void *), void *arg, void (*guard)(bool hold))
{
	struct hub_internal *h;
	struct event *ev;

	if (hub_rebuild_after_fork() || !(h = malloc(sizeof *h)))
		return -ENOMEM;
	*fdp = green_ownfd_adopt(*fdp, GREEN_OWNFD_INTERNAL);
	h->fdp = fdp;
	h->cb = cb;
	h->arg = arg;
	h->guard = guard;
	ev = event_new(hub_base, *fdp, EV_READ | EV_PERSIST, hub_internal_ready, h);
	if (!ev || event_add(ev, NULL)) {
		if (ev)
			event_free(ev);
		free(h);
		return -ENOMEM;
	}
	h->ev = ev;
	h->next = hub_internals;
	hub_internals = h;
	return 0;
}

int green_hub_move_internal(int fd)
{
	struct hub_internal *h;
	sigset_t all, old;
	int to, r = 0;

	if (!green_boot_hub_thread)
		return -EBUSY;
	for (h = hub_internals; h && *h->fdp != fd; h = h->next)
		;
	if (!h)
		return 0;
	/* No writer may use the old number once the program has it: the signal trampoline
	 * writes from this OS thread, the pool's workers under their guard. */
	sigfillset(&all);
	green_sys(SYS_rt_sigprocmask, SIG_BLOCK, &all, &old, _NSIG / 8);
	if (h->guard)
		h->guard(true);
	to = (int)green_sys(SYS_fcntl, fd, F_DUPFD_CLOEXEC, fd + 1); /* the same eventfd */
	if (to < 0) {
		r = -EBUSY;
	} else {
		to = green_ownfd_adopt(to, GREEN_OWNFD_INTERNAL);
		event_del(h->ev);
		event_assign(h->ev, hub_base, to, EV_READ | EV_PERSIST, hub_internal_ready, h);
		event_add(h->ev, NULL);
		*h->fdp = to;
		green_ownfd_close(fd);
	}
	if (h->guard)
		h->guard(false);
	green_sys(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, _NSIG / 8);
	return r;
}

int green_hub_forked(void)
{
	/* The parent's internal eventfds (signals, pool) were closed by their owners: drop their
	 * events before the new epoll set is built from the registered ones. */
	while (hub_internals) {
		struct hub_internal *h = hub_internals;
		hub_internals = h->next;
		event_free(h->ev);
		free(h);
	}
	hub_waiters = 0;
	hub_stale = true;
	return 0;
}

static void hub_fd_ready(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	green_fd_ready(arg, (what & EV_READ) != 0, (what & EV_WRITE) != 0);
}

int green_hub_fd_watch(int fd, void **event, void *arg)
{
	/* Edge-triggered, both directions, persistent: one epoll_ctl per fd for its lifetime;
	 * waiters always retry the operation before parking, so no edge is missed. */
	struct event *ev;

	if (hub_rebuild_after_fork())
		return -ENOMEM;
	ev = event_new(hub_base, fd, EV_READ | EV_WRITE | EV_PERSIST | EV_ET, hub_fd_ready, arg);
	if (!ev)
		return -ENOMEM;
	if (event_add(ev, NULL)) {
		int err = errno ? errno : EINVAL;
		event_free(ev);
		return -err; /* EPERM: a regular file or other always-ready fd; EBADF */
	}
	*event = ev;
	return 0;
}

void green_hub_fd_unwatch(void **event)
{
	if (*event) {
		hub_rebuild_after_fork(); /* never delete from the parent's epoll set */
		event_free((struct event *)*event); /* event_del first, while the fd is still open */
		*event = NULL;
	}
}

_Noreturn void green_hub_run(void *unused)
{
	(void)unused;
	green_tls_started();
	green_sched_started();
	green_backtrace_settle(); /* libc is initialised by the time the hub first runs */
	for (;;) {
		/* Block in epoll only when no green thread can run. */
		int flags = green_sched_runnable() ? EVLOOP_NONBLOCK : EVLOOP_ONCE;
		int r;

		/* Idle: give back stacks cached beyond the budget, a bounded batch per pass. */
		if (flags == EVLOOP_ONCE && green_stack_trim())
			flags = EVLOOP_NONBLOCK;

		/* A handler that ran since the last dispatch may have woken someone (its EINTR, a
		 * sem_post): the loop below reads its eventfd at once. */
		if (flags == EVLOOP_ONCE && hub_waiters <= 0 && !green_signal_dispatch_due())
			green_deadlock_found();
		if (hub_rebuild_after_fork())
			green_log_panic("event_reinit failed in a fork child", __FILE__, __LINE__);
		if (flags == EVLOOP_ONCE) /* waiting in the kernel: any green thread's signals */
			green_sched_idle_mask();
		hub_loops++;
		r = event_base_loop(hub_base, flags);

		if (r < 0)
			green_log_panic("event_base_loop failed", __FILE__, __LINE__);
		if (green_sched_runnable()) {
			uint64_t back;
			hub_left_ns = green_clock_coarse_ns();
			green_sched_run_next();
			back = green_clock_coarse_ns();
			if (back - hub_left_ns > hub_longest_ns)
				hub_longest_ns = back - hub_left_ns;
			continue;
		}
		/* libevent has no event at all (r == 1) but a thread waits for a signal (pause with
		 * no handler installed yet, whose default action may end the process): wait for one
		 * on the OS thread, as the program would. */
		if (r == 1 && hub_waiters > 0) {
			green_sys(SYS_pause);
			continue;
		}
		/* Nothing runnable and nothing that could wake a parked thread: no green thread can
		 * ever run again. */
		if (r == 1 || hub_waiters <= 0)
			green_deadlock_found();
	}
}

void green_hub_stats(uint64_t *loops, uint64_t *longest_ns)
{
	*loops = hub_loops;
	*longest_ns = hub_longest_ns;
}
