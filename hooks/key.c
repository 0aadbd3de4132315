/* SPDX-License-Identifier: MIT
 * Thread-specific data hooks. Keys are allocated by glibc (so real OS threads share them);
 * values live per green thread and destructors run when each green thread exits.
 */
#include "hook.h"

#include "../core/key.h"

/* Create with glibc, then track the key (green values and destructor). */
static int key_create(pthread_key_t *key, void (*destructor)(void *),
		      int (*real)(pthread_key_t *, void (*)(void *)))
{
	int r = real(key, destructor);

	/* Tracked whichever thread creates it, live or not yet: green threads may use any key. */
	if (r == 0)
		green_key_created(*key, destructor);
	return r;
}

GREEN_EXPORT int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	return key_create(key, destructor, GREEN_REAL_CALL(pthread_key_create));
}

GREEN_EXPORT int __pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	return key_create(key, destructor, GREEN_REAL_CALL(__pthread_key_create));
}

GREEN_EXPORT int pthread_key_delete(pthread_key_t key)
{
	int r = GREEN_REAL_CALL(pthread_key_delete)(key);

	if (r == 0)
		green_key_deleted(key);
	return r;
}

GREEN_EXPORT void *pthread_getspecific(pthread_key_t key)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_getspecific)(key);
	return green_key_get(key);
}

GREEN_EXPORT void *__pthread_getspecific(pthread_key_t key)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(__pthread_getspecific)(key);
	return green_key_get(key);
}

GREEN_EXPORT int pthread_setspecific(pthread_key_t key, const void *value)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(pthread_setspecific)(key, value);
	return -green_key_set(key, value);
}

GREEN_EXPORT int __pthread_setspecific(pthread_key_t key, const void *value)
{
	if (!green_boot_hooking())
		return GREEN_REAL_CALL(__pthread_setspecific)(key, value);
	return -green_key_set(key, value);
}
