/* SPDX-License-Identifier: MIT
 * Thread life-cycle logic: pthread_create makes a green thread; join, detach and exit act on
 * green threads with glibc's errors (a real pthread's handle is declined to glibc); yields
 * switch to the next runnable green thread.
 */
#include "hook.h"

#include "../core/sys.h"

#include "../core/sched.h"
#include "../core/thread.h"

long green_hook_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*start)(void *), void *arg)
{
	struct green_thread *g;
	int err = green_thread_create(&g, attr, start, arg, false);

	if (err)
		return err;
	*t = g->handle;
	return 0;
}

/* The common body of the four joins: 0 or -errno, GREEN_PASS for a real pthread (the real
 * join then blocks the hub's OS thread until it ends). */
static long thread_join(pthread_t t, void **ret, enum green_join_mode mode, clockid_t clk,
			const struct timespec *abstime)
{
	struct green_thread *g;
	long r = green_hook_thread(t, &g);

	if (r == GREEN_PASS)
		green_log_debug(1, "join of a non-green thread passes through (blocks the hub)");
	return r ? r : green_thread_join(g, ret, mode, clk, abstime);
}

long green_hook_pthread_join(pthread_t t, void **ret)
{
	return thread_join(t, ret, GREEN_JOIN_BLOCK, CLOCK_REALTIME, NULL);
}

long green_hook_pthread_tryjoin_np(pthread_t t, void **ret)
{
	return thread_join(t, ret, GREEN_JOIN_TRY, CLOCK_REALTIME, NULL);
}

long green_hook_pthread_timedjoin_np(pthread_t t, void **ret, const struct timespec *abstime)
{
	/* glibc: a NULL abstime means wait forever. */
	return thread_join(t, ret, abstime ? GREEN_JOIN_TIMED : GREEN_JOIN_BLOCK, CLOCK_REALTIME, abstime);
}

long green_hook_pthread_clockjoin_np(pthread_t t, void **ret, clockid_t clk, const struct timespec *abstime)
{
	/* glibc accepts only the clocks its futex waits support. */
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
		return -EINVAL;
	return thread_join(t, ret, abstime ? GREEN_JOIN_TIMED : GREEN_JOIN_BLOCK, clk, abstime);
}

long green_hook_pthread_detach(pthread_t t)
{
	struct green_thread *g;
	long r = green_hook_thread(t, &g);

	return r ? r : green_thread_detach(g);
}

/* noreturn: the green thread ends here. */
GREEN_EXPORT_RAW(void, pthread_exit, (void *value))
{
	if (!green_boot_hooking()) {
		GREEN_REAL_CALL(pthread_exit)(value);
		__builtin_unreachable();
	}
	green_thread_exit(value);
}

/* Yield to the other green threads (and let the hub look at events); when none of them can
 * run, the OS thread yields too, as natively: another process on this CPU may be the one the
 * program waits for. */
long green_hook_sched_yield(void)
{
	if (!green_sched_runnable())
		green_sys(SYS_sched_yield);
	green_sched_yield();
	return 0;
}

long green_hook_pthread_yield(void)
{
	return green_hook_sched_yield();
}
