/* SPDX-License-Identifier: MIT
 * Thread life-cycle hooks: pthread_create makes a green thread; join, detach and exit act on
 * green threads with glibc's errors; yields switch to the next runnable green thread.
 */
#include "hook.h"

#include "../core/sched.h"
#include "../core/thread.h"

/* Resolve t for a hook that can act on green threads. Returns 0 with *g set, ESRCH for a stale
 * green handle, or -1 for a real pthread (the caller passes through). */
static int thread_resolve(pthread_t t, struct green_thread **g)
{
	switch (green_thread_lookup(t, g)) {
	case GREEN_HANDLE_GREEN: return 0;
	case GREEN_HANDLE_STALE: return ESRCH;
	case GREEN_HANDLE_FOREIGN: break;
	}
	return -1;
}

/* A green handle reached a hook that cannot park (another OS thread, the hub, process exit):
 * glibc would dereference it as a struct pthread and crash; refuse instead. */
static bool thread_is_green_elsewhere(pthread_t t)
{
	struct green_thread *g;

	return green_sched.main && green_thread_lookup(t, &g) != GREEN_HANDLE_FOREIGN;
}

GREEN_EXPORT int pthread_create(pthread_t *t, const pthread_attr_t *attr,
				void *(*start)(void *), void *arg)
{
	struct green_thread *g;
	int err;

	if (!green_boot_starting())
		return GREEN_REAL_CALL(pthread_create)(t, attr, start, arg);
	err = green_thread_create(&g, attr, start, arg, false);
	if (err)
		return -err;
	*t = g->handle;
	return 0;
}

/* The common body of the four join hooks; returns an error number like they do. */
static int thread_join(pthread_t t, void **ret, enum green_join_mode mode, clockid_t clk,
		       const struct timespec *abstime)
{
	struct green_thread *g;
	int r = thread_resolve(t, &g);

	if (r > 0)
		return r;
	if (r < 0) {
		/* A real thread: the real join blocks the hub's OS thread until it ends. */
		green_log_debug(1, "join of a non-green thread passes through (blocks the hub)");
		switch (mode) {
		case GREEN_JOIN_BLOCK: return GREEN_REAL_CALL(pthread_join)(t, ret);
		case GREEN_JOIN_TRY: return GREEN_REAL_CALL(pthread_tryjoin_np)(t, ret);
		case GREEN_JOIN_TIMED: return GREEN_REAL_CALL(pthread_clockjoin_np)(t, ret, clk, abstime);
		}
	}
	if (mode == GREEN_JOIN_TRY) /* pthread_tryjoin_np is not a cancellation point */
		return -green_thread_join(g, ret, mode, clk, abstime);
	return -GREEN_CANCEL_POINT(green_thread_join(g, ret, mode, clk, abstime));
}

GREEN_EXPORT int pthread_join(pthread_t t, void **ret)
{
	if (!green_boot_hooking())
		return thread_is_green_elsewhere(t) ? EINVAL : GREEN_REAL_CALL(pthread_join)(t, ret);
	return thread_join(t, ret, GREEN_JOIN_BLOCK, CLOCK_REALTIME, NULL);
}

GREEN_EXPORT int pthread_tryjoin_np(pthread_t t, void **ret)
{
	if (!green_boot_hooking())
		return thread_is_green_elsewhere(t) ? EINVAL
						    : GREEN_REAL_CALL(pthread_tryjoin_np)(t, ret);
	return thread_join(t, ret, GREEN_JOIN_TRY, CLOCK_REALTIME, NULL);
}

GREEN_EXPORT int pthread_timedjoin_np(pthread_t t, void **ret, const struct timespec *abstime)
{
	if (!green_boot_hooking())
		return thread_is_green_elsewhere(t)
			       ? EINVAL
			       : GREEN_REAL_CALL(pthread_timedjoin_np)(t, ret, abstime);
	/* glibc: a NULL abstime means wait forever. */
	return thread_join(t, ret, abstime ? GREEN_JOIN_TIMED : GREEN_JOIN_BLOCK, CLOCK_REALTIME,
			   abstime);
}

GREEN_EXPORT int pthread_clockjoin_np(pthread_t t, void **ret, clockid_t clk,
				      const struct timespec *abstime)
{
	if (!green_boot_hooking())
		return thread_is_green_elsewhere(t)
			       ? EINVAL
			       : GREEN_REAL_CALL(pthread_clockjoin_np)(t, ret, clk, abstime);
	/* glibc accepts only the clocks its futex waits support. */
	if (clk != CLOCK_REALTIME && clk != CLOCK_MONOTONIC)
		return EINVAL;
	return thread_join(t, ret, abstime ? GREEN_JOIN_TIMED : GREEN_JOIN_BLOCK, clk, abstime);
}

GREEN_EXPORT int pthread_detach(pthread_t t)
{
	struct green_thread *g;
	int r;

	if (!green_boot_hooking())
		return thread_is_green_elsewhere(t) ? EINVAL : GREEN_REAL_CALL(pthread_detach)(t);
	r = thread_resolve(t, &g);
	if (r < 0)
		return GREEN_REAL_CALL(pthread_detach)(t);
	return r ? r : -green_thread_detach(g);
}

GREEN_EXPORT void pthread_exit(void *value)
{
	if (!green_boot_hooking()) {
		GREEN_REAL_CALL(pthread_exit)(value);
		__builtin_unreachable();
	}
	green_thread_exit(value);
}

/* glibc >= 2.34 declares pthread_yield as an asm alias of sched_yield; old binaries still
 * import the pthread_yield symbol, so define it under its own assembler name. */
int green_hook_pthread_yield(void) __asm__("pthread_yield");
GREEN_EXPORT int green_hook_pthread_yield(void)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_yield)();
	green_sched_yield();
	return 0;
}

GREEN_EXPORT int sched_yield(void)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(sched_yield)();
	green_sched_yield();
	return 0;
}
