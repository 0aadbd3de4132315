/* SPDX-License-Identifier: MIT
 * One-time initialisation hooks: pthread_once (and its old __pthread_once alias) and the C++
 * ABI's function-local static guards, whose waits would otherwise be real futex waits on the
 * hub's OS thread (HAZARDS H5).
 */
#include "hook.h"

#include "../core/once.h"

GREEN_EXPORT int pthread_once(pthread_once_t *once, void (*init)(void))
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_once)(once, init);
	green_once_run(once, init);
	return 0;
}

GREEN_EXPORT int __pthread_once(pthread_once_t *once, void (*init)(void))
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(__pthread_once)(once, init);
	green_once_run(once, init);
	return 0;
}

/* The real libstdc++ function behind an optional hook (libstdc++ may load after us). */
#define ONCE_REAL(name) \
	((__typeof__(&name))green_real_optional((void **)&green_real_table.name, #name))

GREEN_EXPORT int __cxa_guard_acquire(int64_t *guard)
{
	if (!green_boot_hooking())
		return ONCE_REAL(__cxa_guard_acquire)(guard);
	return green_once_guard_acquire((uint64_t *)guard);
}

GREEN_EXPORT void __cxa_guard_release(int64_t *guard)
{
	if (!green_boot_hooking()) {
		ONCE_REAL(__cxa_guard_release)(guard);
		return;
	}
	green_once_guard_finish((uint64_t *)guard, true);
}

GREEN_EXPORT void __cxa_guard_abort(int64_t *guard)
{
	if (!green_boot_hooking()) {
		ONCE_REAL(__cxa_guard_abort)(guard);
		return;
	}
	green_once_guard_finish((uint64_t *)guard, false);
}
