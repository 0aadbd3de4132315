/* SPDX-License-Identifier: MIT
 * C11 <threads.h> hooks: threads, mutexes, condition variables, thread-specific storage and
 * call_once. glibc implements them on its internal pthread functions, which never reach our
 * pthread hooks (thrd_create would make a real OS thread), so each is hooked and mapped onto
 * the green core with glibc's thrd_* result codes.
 */
#include "hook.h"

#include "../core/clock.h"
#include "../core/cond.h"
#include "../core/key.h"
#include "../core/mutex.h"
#include "../core/once.h"
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

	if (!green_boot_starting())
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
	if (!green_boot_hooking() && !green_boot_hub_thread)
		return GREEN_REAL_CALL(thrd_current)();
	return (thrd_t)pthread_self();
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

/* C11 mutexes, condition variables, thread-specific storage and call_once: glibc implements
 * them on internal pthread calls, so each entry point is hooked onto the same core. mtx_init,
 * mtx_destroy, cnd_init and cnd_destroy stay glibc's (they only initialise the object). */

GREEN_EXPORT int mtx_lock(mtx_t *m)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(mtx_lock)(m);
	return c11_result(-green_mutex_lock((pthread_mutex_t *)m, GREEN_LOCK_BLOCK, CLOCK_REALTIME, NULL));
}

GREEN_EXPORT int mtx_trylock(mtx_t *m)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(mtx_trylock)(m);
	return c11_result(-green_mutex_lock((pthread_mutex_t *)m, GREEN_LOCK_TRY, CLOCK_REALTIME, NULL));
}

GREEN_EXPORT int mtx_timedlock(mtx_t *restrict m, const struct timespec *restrict abstime)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(mtx_timedlock)(m, abstime);
	return c11_result(-green_mutex_lock((pthread_mutex_t *)m, GREEN_LOCK_TIMED, CLOCK_REALTIME, abstime));
}

GREEN_EXPORT int mtx_unlock(mtx_t *m)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(mtx_unlock)(m);
	return c11_result(-green_mutex_unlock((pthread_mutex_t *)m));
}

GREEN_EXPORT int cnd_wait(cnd_t *c, mtx_t *m)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(cnd_wait)(c, m);
	return c11_result(-GREEN_CANCEL_POINT(green_cond_wait((pthread_cond_t *)c, (pthread_mutex_t *)m, -1, NULL)));
}

GREEN_EXPORT int cnd_timedwait(cnd_t *restrict c, mtx_t *restrict m,
			       const struct timespec *restrict abstime)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(cnd_timedwait)(c, m, abstime);
	return c11_result(-GREEN_CANCEL_POINT(green_cond_wait((pthread_cond_t *)c, (pthread_mutex_t *)m, -1, abstime)));
}

GREEN_EXPORT int cnd_signal(cnd_t *c)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(cnd_signal)(c);
	return c11_result(-green_cond_wake((pthread_cond_t *)c, false));
}

GREEN_EXPORT int cnd_broadcast(cnd_t *c)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(cnd_broadcast)(c);
	return c11_result(-green_cond_wake((pthread_cond_t *)c, true));
}

GREEN_EXPORT int tss_create(tss_t *key, tss_dtor_t destructor)
{
	int r = GREEN_REAL_CALL(tss_create)(key, destructor);

	if (r == thrd_success)
		green_key_created((pthread_key_t)*key, destructor);
	return r;
}

GREEN_EXPORT void tss_delete(tss_t key)
{
	GREEN_REAL_CALL(tss_delete)(key);
	green_key_deleted((pthread_key_t)key);
}

GREEN_EXPORT void *tss_get(tss_t key)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(tss_get)(key);
	return green_key_get((pthread_key_t)key);
}

GREEN_EXPORT int tss_set(tss_t key, void *value)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(tss_set)(key, value);
	return c11_result(-green_key_set((pthread_key_t)key, value));
}

GREEN_EXPORT void call_once(once_flag *flag, void (*func)(void))
{
	if (!green_boot_hooking()) {
		GREEN_REAL_CALL(call_once)(flag, func);
		return;
	}
	green_once_run(&flag->__data, func);
}
