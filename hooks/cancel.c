/* SPDX-License-Identifier: MIT
 * Cancellation logic, and the entry points pthread_cleanup_push/pop compile to in C without
 * exceptions (__pthread_register_cancel & co.): glibc would link those buffers into the OS
 * thread's chain shared by all green threads (HAZARDS H3), so each green thread keeps its own.
 */
#include "hook.h"

#include "../core/cancel.h"
#include "../core/sched.h"
#include "../core/thread.h"

long green_hook_pthread_cancel(pthread_t t)
{
	struct green_thread *g;
	long r = green_hook_thread(t, &g);

	if (r)
		return r;
	green_cancel_request(g);
	if (g == green_sched_self()) /* asynchronous: acts at once (glibc signals the caller) */
		green_cancel_async_leave(-ECANCELED);
	return 0;
}

/* The row is a cancellation point: the shim's bracket acts on a pending cancel. */
long green_hook_pthread_testcancel(void)
{
	return 0;
}

long green_hook_pthread_setcancelstate(int state, int *old)
{
	return green_cancel_set(false, state, old);
}

long green_hook_pthread_setcanceltype(int type, int *old)
{
	return green_cancel_set(true, type, old);
}

long green_hook___pthread_register_cancel(__pthread_unwind_buf_t *buf)
{
	green_cancel_push(buf, false);
	return 0;
}

long green_hook___pthread_unregister_cancel(__pthread_unwind_buf_t *buf)
{
	green_cancel_pop(buf, false);
	return 0;
}

long green_hook___pthread_register_cancel_defer(__pthread_unwind_buf_t *buf)
{
	green_cancel_push(buf, true);
	return 0;
}

long green_hook___pthread_unregister_cancel_restore(__pthread_unwind_buf_t *buf)
{
	green_cancel_pop(buf, true);
	return 0;
}

/* noreturn: continues the forced unwind after a cleanup handler ran. */
GREEN_EXPORT_RAW(void, __pthread_unwind_next, (__pthread_unwind_buf_t *buf))
{
	if (!green_boot_hooking()) {
		GREEN_REAL_CALL(__pthread_unwind_next)(buf);
		__builtin_unreachable();
	}
	green_cancel_unwind_next(buf);
}
