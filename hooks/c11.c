/* SPDX-License-Identifier: MIT
 * C11 <threads.h> thread hooks. glibc implements them on its internal pthread functions, which
 * never reach our pthread hooks (thrd_create would make a real OS thread), so each is hooked
 * and mapped onto the green thread core with glibc's thrd_* result codes.
 */
#include "hook.h"

#include "../core/clock.h"
#include "../core/sched.h"
#include "../core/sleep.h"
#include "../core/thread.h"

#include <stdint.h>

/* glibc's thrd_err_map: an error number to a thrd_* code. */
static int c11_result(int err)
{
	switch (err) {
	case 0: return thrd_success;
	case ENOMEM: return thrd_nomem;
	case ETIMEDOUT: return thrd_timedout;
	case EBUSY: return thrd_busy;
	default: return thrd_error;
	}
}

GREEN_EXPORT int thrd_create(thrd_t *thr, thrd_start_t func, void *arg)
{
	struct green_thread *g;
	int err;

	if (!green_boot_hooking())
		return GREEN_REAL_CALL(thrd_create)(thr, func, arg);
	err = green_thread_create(&g, NULL, (void *(*)(void *))(void (*)(void))func, arg, true);
	if (err)
		return c11_result(-err);
	*thr = (thrd_t)g->handle;
	return thrd_success;
}

GREEN_EXPORT int thrd_join(thrd_t thr, int *res)
{
	void *value;
	int err;

	if (!green_boot_hooking())
		return GREEN_REAL_CALL(thrd_join)(thr, res);
	err = pthread_join((pthread_t)thr, &value);
	if (!err && res)
		*res = (int)(intptr_t)value;
	return c11_result(err);
}

GREEN_EXPORT int thrd_detach(thrd_t thr)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(thrd_detach)(thr);
	return c11_result(pthread_detach((pthread_t)thr));
}

GREEN_EXPORT void thrd_exit(int res)
{
	if (!green_boot_hooking()) {
		GREEN_REAL_CALL(thrd_exit)(res);
		__builtin_unreachable();
	}
	green_thread_exit((void *)(intptr_t)res);
}

GREEN_EXPORT thrd_t thrd_current(void)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(thrd_current)();
	return (thrd_t)green_sched_self()->handle;
}

GREEN_EXPORT int thrd_equal(thrd_t a, thrd_t b)
{
	return a == b;
}

GREEN_EXPORT int thrd_sleep(const struct timespec *duration, struct timespec *remaining)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(thrd_sleep)(duration, remaining);
	/* glibc: clock_nanosleep(CLOCK_REALTIME, 0, ...): 0, -1 on EINTR, -2 on any error. */
	switch (clock_nanosleep(CLOCK_REALTIME, 0, duration, remaining)) {
	case 0: return 0;
	case EINTR: return -1;
	default: return -2;
	}
}

GREEN_EXPORT void thrd_yield(void)
{
	if (!green_boot_hooking()) {
		GREEN_REAL_CALL(thrd_yield)();
		return;
	}
	green_sched_yield();
}
