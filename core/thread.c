/* SPDX-License-Identifier: MIT
 * Green thread objects (a never-unmapped slab, so a stale pthread_t still points at readable
 * memory and reads as ESRCH) and their life cycle with glibc's semantics: create from
 * attributes, join (blocking, try, timed), detach, exit.
 */
#include "thread.h"
#include "sys.h"

#include "annotate.h"
#include "backtrace.h"
#include "preempt.h"

#include "cancel.h"
#include "clock.h"
#include "key.h"
#include "log.h"
#include "mutex.h"
#include "signal.h"
#include "once.h"
#include "sched.h"
#include "tls.h"
#include "../preload/config.h"
#include "../preload/real.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/mman.h>

#define THREAD_SLAB_BYTES (256u << 10) /* objects are carved from chunks this big */

static struct green_thread *thread_free_list; /* reclaimed objects, linked through ->next */
static char *thread_slab_cur, *thread_slab_end; /* the chunk being carved */
static struct green_thread *thread_all;         /* head of the all-threads list */
static uint64_t thread_next_id = 2;             /* 0 = hub, 1 = main */

struct green_thread *green_thread_alloc(void)
{
	struct green_thread *g = thread_free_list;
	void *timer = NULL;

	if (g) {
		thread_free_list = g->next;
		timer = g->timer; /* the hub's timer event is reused with the object */
	} else {
		if (thread_slab_end - thread_slab_cur < (long)sizeof *g) {
			void *chunk = mmap(NULL, THREAD_SLAB_BYTES, PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (chunk == MAP_FAILED)
				return NULL;
			green_annotate_root(chunk, THREAD_SLAB_BYTES);
			thread_slab_cur = chunk;
			thread_slab_end = thread_slab_cur + THREAD_SLAB_BYTES;
		}
		g = (struct green_thread *)thread_slab_cur;
		thread_slab_cur += (sizeof *g + 63) & ~(size_t)63;
	}
	memset(g, 0, sizeof *g);
	g->timer = timer;
	g->magic = GREEN_THREAD_MAGIC;
	g->handle = (pthread_t)g;
	g->next_all = thread_all;
	if (thread_all)
		thread_all->prev_all = g;
	thread_all = g;
	return g;
}

void green_thread_free(struct green_thread *g)
{
	if (g->sig_pending)
		green_signal_thread_gone(g);
	if (g->prev_all)
		g->prev_all->next_all = g->next_all;
	else
		thread_all = g->next_all;
	if (g->next_all)
		g->next_all->prev_all = g->prev_all;
	g->magic = GREEN_THREAD_FREED;
	g->next = thread_free_list;
	thread_free_list = g;
}

struct green_thread *green_thread_first(void)
{
	return thread_all;
}

struct green_thread *green_thread_next(struct green_thread *g)
{
	return g->next_all;
}

enum green_handle green_thread_lookup(pthread_t h, struct green_thread **g)
{
	uint64_t magic;

	if (green_sched.main && h == green_sched.main->handle) {
		*g = green_sched.main;
		return GREEN_HANDLE_GREEN;
	}
	if (!h)
		return GREEN_HANDLE_STALE;
	/* A real struct pthread starts with its own address (tcbhead_t.tcb), never our magic. */
	memcpy(&magic, (const void *)h, sizeof magic);
	if (magic == GREEN_THREAD_MAGIC) {
		*g = (struct green_thread *)h;
		return GREEN_HANDLE_GREEN;
	}
	return magic == GREEN_THREAD_FREED ? GREEN_HANDLE_STALE : GREEN_HANDLE_FOREIGN;
}

/* The body of every green thread but main and the hub. */
static void thread_main(void *arg)
{
	struct green_thread *g = arg;
	void *result;

	green_tls_started();
	green_sched_started();
	if (g->c11)
		result = (void *)(intptr_t)((int (*)(void *))(void (*)(void))g->start)(g->arg);
	else
		result = g->start(g->arg);
	green_thread_finish(result);
}

/* Read what pthread_create honours from attr. Returns 0 or -EINVAL. */
/* An attribute's explicit scheduling (PTHREAD_EXPLICIT_SCHED), as glibc's pthread_create
 * checks it: true with *policy and *param set, or false (inherit the creator's). -EPERM when
 * the kernel would refuse the policy to this process (a real-time priority above
 * RLIMIT_RTPRIO without root): glibc's pthread_create then fails. Stored only: one OS thread
 * has no priorities. */
static int thread_attr_sched(const pthread_attr_t *attr, int *policy, struct sched_param *param)
{
	struct rlimit rl;
	int inherit;

	if (pthread_attr_getinheritsched(attr, &inherit) || inherit != PTHREAD_EXPLICIT_SCHED)
		return 0;
	if (pthread_attr_getschedpolicy(attr, policy) || pthread_attr_getschedparam(attr, param))
		return -EINVAL;
	if ((*policy == SCHED_FIFO || *policy == SCHED_RR) && green_sys(SYS_geteuid) != 0 &&
	    (green_sys(SYS_prlimit64, 0, RLIMIT_RTPRIO, NULL, &rl) ||
	     (rlim_t)param->sched_priority > rl.rlim_cur))
		return -EPERM;
	return 1;
}

static int thread_attr_read(const pthread_attr_t *attr, bool *detached, size_t *size,
			    size_t *guard, void **user_lo)
{
	size_t dflt = green_stack_default_size();
	void *top = NULL;
	int ds;

	*detached = false;
	*size = green_config.stack_size ? green_config.stack_size : dflt;
	*guard = 4096;
	*user_lo = NULL;
	if (!attr)
		return 0;
	if (pthread_attr_getdetachstate(attr, &ds) || pthread_attr_getguardsize(attr, guard))
		return -EINVAL;
	*detached = ds == PTHREAD_CREATE_DETACHED;
	/* pthread_attr_getstacksize answers the default when none was set: treat that as "not
	 * set", so GREEN_STACK_SIZE applies. */
	{
		size_t s;
		if (pthread_attr_getstacksize(attr, &s))
			return -EINVAL;
		if (s != dflt || !green_config.stack_size)
			*size = s;
	}
	/* glibc stores the stack's top, NULL unless setstack/setstackaddr ran, and getstack answers
	 * top - size: a zero top means "no user stack". */
	{
		void *lo;
		size_t s;
		if (pthread_attr_getstack(attr, &lo, &s))
			return -EINVAL;
		top = (char *)lo + s;
		if (top) {
			*user_lo = lo;
			*size = s;
		}
	}
	return 0;
}

int green_thread_create(struct green_thread **out, const pthread_attr_t *attr,
			void *(*start)(void *), void *arg, bool c11)
{
	struct green_thread *self = green_sched_self(), *g;
	bool detached;
	size_t size, guard;
	void *user_lo;
	int err, policy = 0, explicit_sched = 0;
	struct sched_param param = { 0 };

	err = thread_attr_read(attr, &detached, &size, &guard, &user_lo);
	if (!err && attr)
		err = explicit_sched = thread_attr_sched(attr, &policy, &param);
	if (err < 0)
		return err;
	/* Stack-overflow reports unwind inside a signal handler: libunwind must be loaded and
	 * warmed up before any green stack can overflow (loaded once; later calls return). */
	if (green_config.overflow)
		green_backtrace_init();
	green_backtrace_settle();
	green_preempt_start(); /* two green threads from now on: preemption may be needed */
	g = green_thread_alloc();
	if (!g)
		return -EAGAIN;
	if (user_lo) {
		green_stack_adopt(&g->stack, user_lo, size);
	} else if ((err = green_stack_get(&g->stack, size, guard))) {
		green_thread_free(g);
		return err;
	}
	{
		size_t usable;
		if ((err = green_tls_make(g, false, &usable))) {
			green_stack_put(&g->stack);
			green_thread_free(g);
			return err;
		}
		green_context_make(&g->ctx, g->stack.lo, usable, thread_main, g);
	}
	g->id = thread_next_id++;
	green_mutex_id_assign(g);
	g->start = start;
	g->arg = arg;
	g->c11 = c11;
	g->detached = detached;
	/* A new native thread inherits its creator's name (comm) and scheduling. */
	memcpy(g->name, self->name, sizeof g->name);
	g->policy = explicit_sched ? policy : self->policy;
	g->param = explicit_sched ? param : self->param;
	g->sigmask = self->sigmask; /* a new thread inherits its creator's signal mask */
	green_sched_mask_count(g->sigmask, true);
	g->state = GREEN_PARKED;
	green_sched.alive++;
	green_sched.created++;
	if (green_sched.alive > green_sched.peak_alive)
		green_sched.peak_alive = green_sched.alive;
	green_sched_ready(g, GREEN_WAKE_EVENT);
	*out = g;
	return 0;
}

/* True once g has finished: returned, called pthread_exit, or (main) called pthread_exit and
 * only waits for the others. */
static bool thread_done(const struct green_thread *g)
{
	return g->state == GREEN_DONE || (g->is_main && green_sched.main_exited);
}

int green_thread_join(struct green_thread *g, void **result, enum green_join_mode mode,
		      clockid_t clk, const struct timespec *deadline)
{
	struct green_thread *self = green_sched_self();

	/* glibc's order: tryjoin answers EBUSY first; then detached, deadlock, second joiner. */
	if (mode == GREEN_JOIN_TRY && !thread_done(g))
		return -EBUSY;
	if (g->detached)
		return -EINVAL;
	if (g == self || (self->joiner == g && !thread_done(g)))
		return -EDEADLK;
	if (g->joiner)
		return -EINVAL;
	if (!thread_done(g)) {
		g->joiner = self;
		if (mode == GREEN_JOIN_TIMED) {
			/* glibc: a negative tv_sec times out at once; a bad tv_nsec is refused. */
			int bad = deadline->tv_sec < 0 ? -ETIMEDOUT : green_clock_check_abstime(deadline);
			if (bad) {
				g->joiner = NULL;
				return bad;
			}
			while (!thread_done(g)) {
				int r = green_sched_park_until(GREEN_WAIT_JOIN, g, clk, deadline);
				if (r && !thread_done(g)) {
					g->joiner = NULL;
					return r; /* -ETIMEDOUT or -ECANCELED */
				}
			}
		} else {
			while (!thread_done(g)) {
				if (green_cancel_interrupted()) {
					g->joiner = NULL;
					return -ECANCELED;
				}
				green_sched_park(GREEN_WAIT_JOIN, g);
			}
		}
	}
	if (result)
		*result = g->result;
	if (g->is_main)
		g->magic = GREEN_THREAD_FREED, g->joiner = NULL; /* main's object is never reused */
	else
		green_thread_free(g);
	return 0;
}

int green_thread_detach(struct green_thread *g)
{
	if (g->detached)
		return -EINVAL;
	if (g->joiner) /* glibc: someone is joining already: detach is a no-op */
		return 0;
	if (thread_done(g) && g != green_sched.dead) {
		if (!g->is_main)
			green_thread_free(g);
		return 0;
	}
	g->detached = true;
	return 0;
}

/* After a thread finished: wake its joiner, and main if it waits for the last thread. */
static void thread_finished(struct green_thread *g, void *result)
{
	g->result = result;
	green_sched.alive--;
	if (g->joiner)
		green_sched_ready(g->joiner, GREEN_WAKE_EVENT);
	if (green_sched.main_exited && green_sched.alive == 0) {
		if (green_sched.main->state == GREEN_PARKED)
			green_sched_ready(green_sched.main, GREEN_WAKE_EVENT);
		else if (g != green_sched.main)
			exit(0); /* a fork child's last thread (its main does not exist): as glibc does */
	}
}

/* What glibc does for an exiting thread besides unwinding: reset a pthread_once it was inside,
 * run key destructors (they may block), and let robust mutexes it holds go owner-dead. */
static void thread_cleanup(struct green_thread *self)
{
	if (!self->is_main)
		green_tls_exiting(); /* C++ thread_local destructors first, as start_thread */
	green_once_abandon(self);
	green_key_exit(self);
	green_mutex_owner_died(self);
}

_Noreturn void green_thread_finish(void *result)
{
	struct green_thread *self = green_sched_self();

	thread_cleanup(self);
	thread_finished(self, result);
	green_sched_leave();
}

_Noreturn void green_thread_exit(void *result)
{
	struct green_thread *self = green_sched_self();

	if (!self->is_main)
		green_unwind_exit(result);
	/* main: POSIX keeps the process alive until the last thread ends, then exit(0). main's
	 * stack stays (it is the OS stack, and exit() must run on a big one). Its frames are not
	 * unwound: C++ destructors of main's locals do not run (glibc runs them). */
	thread_cleanup(self);
	green_sched.main_exited = true;
	thread_finished(self, result);
	while (green_sched.alive > 0)
		green_sched_park(GREEN_WAIT_MAIN_EXIT, NULL);
	exit(0);
}
