/* SPDX-License-Identifier: MIT
 * Identity logic: pthread_self gives each green thread a distinct, stable handle, so every libc
 * function that takes a pthread_t is hooked too (glibc would dereference a green handle as a
 * struct pthread). Main's handle is the real one, so functions act natively on it.
 */
#include "hook.h"

#include "../core/sched.h"
#include "../core/signal.h"
#include "../core/thread.h"

#include <string.h>

/* The prologue of the hooks taking a pthread_t that act on any green thread, main included
 * (signals sent to it, its scheduling bookkeeping): GREEN_PASS for a real pthread, -ESRCH for
 * a stale handle, else go on with *g set. */
#define IDENTITY_ANY_OR_RETURN(t, g)                                    \
	do {                                                            \
		long r_ = green_hook_thread(t, g);                      \
		if (r_)                                                 \
			return r_;                                      \
	} while (0)

/* The common prologue of the others: GREEN_PASS for main too (its handle is the real one). */
#define IDENTITY_GREEN_OR_RETURN(t, g)                                  \
	do {                                                            \
		IDENTITY_ANY_OR_RETURN(t, g);                           \
		if ((*(g))->is_main)                                    \
			return GREEN_PASS;                              \
	} while (0)

/* The real handle of the OS thread every green thread runs on. */
static pthread_t identity_os_thread(void)
{
	return green_sched.main->handle;
}

/* Gate HUB: also inside a signal handler, where the handler runs in the green thread it
 * interrupted; one that interrupted the hub is said to run in main. */
long green_hook_pthread_self(void)
{
	struct green_thread *g = green_sched_self();

	return (long)(g == green_sched.hub ? green_sched.main->handle : g->handle);
}

/* Gate ALWAYS: handles are compared as values, green or not. */
long green_hook_pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

long green_hook_pthread_getattr_np(pthread_t t, pthread_attr_t *attr)
{
	struct green_thread *g;

	IDENTITY_GREEN_OR_RETURN(t, &g);
	/* Report the green thread's own stack, as glibc reports a thread's mapping. */
	pthread_attr_init(attr);
	pthread_attr_setdetachstate(attr, g->detached ? PTHREAD_CREATE_DETACHED
						      : PTHREAD_CREATE_JOINABLE);
	pthread_attr_setstack(attr, g->stack.lo, g->stack.size);
	pthread_attr_setguardsize(attr, g->stack.guard);
	pthread_attr_setschedpolicy(attr, g->policy);
	pthread_attr_setschedparam(attr, &g->param);
	return 0;
}

long green_hook_pthread_setname_np(pthread_t t, const char *name)
{
	struct green_thread *g;
	size_t len;

	IDENTITY_GREEN_OR_RETURN(t, &g);
	len = strlen(name);
	if (len >= sizeof g->name) /* the kernel's TASK_COMM_LEN is 16 with the NUL */
		return -ERANGE;
	memcpy(g->name, name, len + 1);
	return 0;
}

long green_hook_pthread_getname_np(pthread_t t, char *buf, size_t len)
{
	struct green_thread *g;
	size_t n;

	IDENTITY_GREEN_OR_RETURN(t, &g);
	n = strlen(g->name);
	if (len < n + 1)
		return -ERANGE;
	memcpy(buf, g->name, n + 1);
	return 0;
}

/* Checks shared by pthread_kill and pthread_sigqueue on a green thread: glibc refuses invalid
 * and internal signals with EINVAL; a finished, unjoined thread gets nothing and 0. Returns 1
 * when the signal must be sent. */
static int identity_signal_check(struct green_thread *g, int sig)
{
	if (sig < 0 || sig >= NSIG || sig == SIGCANCEL_GLIBC || sig == SIGSETXID_GLIBC)
		return -EINVAL;
	if (sig == 0 || g->state == GREEN_DONE)
		return 0;
	return 1;
}

long green_hook_pthread_kill(pthread_t t, int sig)
{
	struct green_thread *g;

	int r;

	IDENTITY_ANY_OR_RETURN(t, &g);
	r = identity_signal_check(g, sig);
	if (r <= 0)
		return r;
	/* Pending in g alone; its handler runs as g (the call g is parked in, if interruptible,
	 * gets EINTR), or g's sigwait takes it. */
	return green_signal_send(g, sig, SI_TKILL, NULL);
}

long green_hook_pthread_sigqueue(pthread_t t, int sig, const union sigval value)
{
	struct green_thread *g;

	int r;

	IDENTITY_ANY_OR_RETURN(t, &g);
	r = identity_signal_check(g, sig);
	if (r <= 0)
		return r;
	return green_signal_send(g, sig, SI_QUEUE, &value);
}

long green_hook_pthread_getcpuclockid(pthread_t t, clockid_t *clk)
{
	struct green_thread *g;

	IDENTITY_GREEN_OR_RETURN(t, &g);
	/* Green threads share the OS thread's CPU-time clock (documented limit). */
	return -GREEN_REAL_CALL(pthread_getcpuclockid)(identity_os_thread(), clk);
}

long green_hook_pthread_setaffinity_np(pthread_t t, size_t size, const cpu_set_t *set)
{
	struct green_thread *g;

	IDENTITY_GREEN_OR_RETURN(t, &g);
	/* Green threads share one OS thread, so affinity is the OS thread's (documented). */
	return -GREEN_REAL_CALL(pthread_setaffinity_np)(identity_os_thread(), size, set);
}

long green_hook_pthread_getaffinity_np(pthread_t t, size_t size, cpu_set_t *set)
{
	struct green_thread *g;

	IDENTITY_GREEN_OR_RETURN(t, &g);
	return -GREEN_REAL_CALL(pthread_getaffinity_np)(identity_os_thread(), size, set);
}

/* Valid priority for policy, as sched_setscheduler(2) checks it: 0 or -EINVAL. */
static int identity_sched_check(int policy, int prio)
{
	int lo = sched_get_priority_min(policy), hi = sched_get_priority_max(policy);

	if (lo < 0 || hi < 0 || prio < lo || prio > hi)
		return -EINVAL;
	return 0;
}

/* Scheduling is bookkeeping for every green thread, main included: what was set is what a
 * thread it creates inherits and what getschedparam reports (one OS thread: no priorities). */
long green_hook_pthread_setschedparam(pthread_t t, int policy, const struct sched_param *param)
{
	struct green_thread *g;

	int r;

	IDENTITY_ANY_OR_RETURN(t, &g);
	/* Stored per green thread (there is no per-green-thread kernel scheduling). */
	r = identity_sched_check(policy & ~SCHED_RESET_ON_FORK, param->sched_priority);
	if (r)
		return r;
	g->policy = policy & ~SCHED_RESET_ON_FORK;
	g->param = *param;
	return 0;
}

long green_hook_pthread_getschedparam(pthread_t t, int *policy, struct sched_param *param)
{
	struct green_thread *g;

	IDENTITY_ANY_OR_RETURN(t, &g);
	*policy = g->policy;
	*param = g->param;
	return 0;
}

long green_hook_pthread_setschedprio(pthread_t t, int prio)
{
	struct green_thread *g;

	int r;

	IDENTITY_ANY_OR_RETURN(t, &g);
	r = identity_sched_check(g->policy, prio);
	if (r)
		return r;
	g->param.sched_priority = prio;
	return 0;
}
