/* SPDX-License-Identifier: MIT
 * C11 threads and synchronisation (thrd_*, mtx_*, cnd_*, tss_*, call_once): glibc implements
 * them on its internal pthread functions, which never reach our pthread hooks (thrd_create
 * would make a real OS thread), so each is hooked and mapped onto the green core; the shim
 * turns core's errors into glibc's thrd_* result codes (RET C11). mtx_init, mtx_destroy,
 * cnd_init and cnd_destroy stay glibc's (they only initialise the object).
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

long green_hook_thrd_create(thrd_t *thr, thrd_start_t func, void *arg)
{
	struct green_thread *g;
	int err = green_thread_create(&g, NULL, (void *(*)(void *))(void (*)(void))func, arg, true);

	if (err)
		return err;
	*thr = (thrd_t)g->handle;
	return 0;
}

long green_hook_thrd_join(thrd_t thr, int *res)
{
	void *value;
	long r = green_hook_pthread_join((pthread_t)thr, &value);

	if (r == GREEN_PASS) /* a real thread: glibc's thrd_join */
		return r;
	if (!r && res)
		*res = (int)(intptr_t)value;
	return r;
}

long green_hook_thrd_detach(thrd_t thr)
{
	return green_hook_pthread_detach((pthread_t)thr);
}

/* noreturn */
GREEN_EXPORT_RAW(void, thrd_exit, (int res))
{
	if (!green_boot_hooking()) {
		GREEN_REAL_CALL(thrd_exit)(res);
		__builtin_unreachable();
	}
	green_thread_exit((void *)(intptr_t)res);
}

long green_hook_thrd_current(void)
{
	return green_hook_pthread_self();
}

long green_hook_thrd_equal(thrd_t a, thrd_t b)
{
	return a == b;
}

/* glibc: clock_nanosleep(CLOCK_REALTIME, 0, ...): 0, -1 on EINTR, -2 on any other error. */
long green_hook_thrd_sleep(const struct timespec *duration, struct timespec *remaining)
{
	long r = green_hook_clock_nanosleep(CLOCK_REALTIME, 0, duration, remaining);

	if (r == GREEN_PASS || r == -ECANCELED)
		return r;
	return r == 0 ? 0 : r == -EINTR ? -1 : -2;
}

long green_hook_thrd_yield(void)
{
	green_sched_yield();
	return 0;
}

long green_hook_mtx_lock(mtx_t *m)
{
	return green_mutex_lock((pthread_mutex_t *)m, GREEN_LOCK_BLOCK, CLOCK_REALTIME, NULL);
}

long green_hook_mtx_trylock(mtx_t *m)
{
	return green_mutex_lock((pthread_mutex_t *)m, GREEN_LOCK_TRY, CLOCK_REALTIME, NULL);
}

long green_hook_mtx_timedlock(mtx_t *restrict m, const struct timespec *restrict abstime)
{
	return green_mutex_lock((pthread_mutex_t *)m, GREEN_LOCK_TIMED, CLOCK_REALTIME, abstime);
}

long green_hook_mtx_unlock(mtx_t *m)
{
	return green_mutex_unlock((pthread_mutex_t *)m);
}

long green_hook_cnd_wait(cnd_t *c, mtx_t *m)
{
	return green_cond_wait((pthread_cond_t *)c, (pthread_mutex_t *)m, -1, NULL);
}

long green_hook_cnd_timedwait(cnd_t *restrict c, mtx_t *restrict m, const struct timespec *restrict abstime)
{
	return green_cond_wait((pthread_cond_t *)c, (pthread_mutex_t *)m, -1, abstime);
}

long green_hook_cnd_signal(cnd_t *c)
{
	return green_cond_wake((pthread_cond_t *)c, false);
}

long green_hook_cnd_broadcast(cnd_t *c)
{
	return green_cond_wake((pthread_cond_t *)c, true);
}

/* Gate ALWAYS: created by glibc, tracked whichever thread creates it (see hooks/key.c). */
long green_hook_tss_create(tss_t *key, tss_dtor_t destructor)
{
	int r = GREEN_REAL_CALL(tss_create)(key, destructor);

	if (r == thrd_success)
		green_key_created((pthread_key_t)*key, destructor);
	return r;
}

long green_hook_tss_delete(tss_t key)
{
	GREEN_REAL_CALL(tss_delete)(key);
	green_key_deleted((pthread_key_t)key);
	return 0;
}

long green_hook_tss_get(tss_t key)
{
	return (long)(intptr_t)green_key_get((pthread_key_t)key);
}

long green_hook_tss_set(tss_t key, void *value)
{
	return green_key_set((pthread_key_t)key, value);
}

long green_hook_call_once(once_flag *flag, void (*func)(void))
{
	green_once_run(&flag->__data, func);
	return 0;
}
