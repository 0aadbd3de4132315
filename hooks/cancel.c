/* SPDX-License-Identifier: MIT
 * Cancellation hooks, and the entry points pthread_cleanup_push/pop compile to in C without
 * exceptions (__pthread_register_cancel & co.): glibc would link those buffers into the OS
 * thread's chain shared by all green threads (HAZARDS H3), so each green thread keeps its own.
 */
#include "hook.h"

#include "../core/cancel.h"
#include "../core/sched.h"
#include "../core/thread.h"

GREEN_EXPORT int pthread_cancel(pthread_t t)
{
	struct green_thread *g;

	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_cancel)(t);
	switch (green_thread_lookup(t, &g)) {
	case GREEN_HANDLE_GREEN: return -green_cancel_request(g);
	case GREEN_HANDLE_STALE: return ESRCH;
	case GREEN_HANDLE_FOREIGN: break;
	}
	return GREEN_REAL_CALL(pthread_cancel)(t);
}

GREEN_EXPORT void pthread_testcancel(void)
{
	if (!green_boot_hooking()) {
		GREEN_REAL_CALL(pthread_testcancel)();
		return;
	}
	GREEN_CANCEL_POINT(0);
}

GREEN_EXPORT int pthread_setcancelstate(int state, int *old)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_setcancelstate)(state, old);
	return -green_cancel_set(false, state, old);
}

GREEN_EXPORT int pthread_setcanceltype(int type, int *old)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_setcanceltype)(type, old);
	return -green_cancel_set(true, type, old);
}

GREEN_EXPORT void __pthread_register_cancel(__pthread_unwind_buf_t *buf)
{
	if (!green_boot_hooking()) {
		GREEN_REAL_CALL(__pthread_register_cancel)(buf);
		return;
	}
	green_cancel_push(buf, false);
}

GREEN_EXPORT void __pthread_unregister_cancel(__pthread_unwind_buf_t *buf)
{
	if (!green_boot_hooking()) {
		GREEN_REAL_CALL(__pthread_unregister_cancel)(buf);
		return;
	}
	green_cancel_pop(buf, false);
}

GREEN_EXPORT void __pthread_register_cancel_defer(__pthread_unwind_buf_t *buf)
{
	if (!green_boot_hooking()) {
		GREEN_REAL_CALL(__pthread_register_cancel_defer)(buf);
		return;
	}
	green_cancel_push(buf, true);
}

GREEN_EXPORT void __pthread_unregister_cancel_restore(__pthread_unwind_buf_t *buf)
{
	if (!green_boot_hooking()) {
		GREEN_REAL_CALL(__pthread_unregister_cancel_restore)(buf);
		return;
	}
	green_cancel_pop(buf, true);
}

GREEN_EXPORT void __pthread_unwind_next(__pthread_unwind_buf_t *buf)
{
	if (!green_boot_hooking()) {
		GREEN_REAL_CALL(__pthread_unwind_next)(buf);
		__builtin_unreachable();
	}
	green_cancel_unwind_next(buf);
}
