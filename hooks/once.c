/* SPDX-License-Identifier: MIT
 * One-time initialisation logic: pthread_once (and its old __pthread_once alias) and the C++
 * ABI's function-local static guards, whose waits would otherwise be real futex waits on the
 * hub's OS thread (HAZARDS H5).
 */
#include "hook.h"

#include "../core/once.h"

long green_hook_pthread_once(pthread_once_t *once, void (*init)(void))
{
	green_once_run(once, init);
	return 0;
}

long green_hook___cxa_guard_acquire(int64_t *guard)
{
	return green_once_guard_acquire((uint64_t *)guard);
}

long green_hook___cxa_guard_release(int64_t *guard)
{
	green_once_guard_finish((uint64_t *)guard, true);
	return 0;
}

long green_hook___cxa_guard_abort(int64_t *guard)
{
	green_once_guard_finish((uint64_t *)guard, false);
	return 0;
}
