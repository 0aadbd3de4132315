/* SPDX-License-Identifier: MIT
 * Thread-specific data logic. Keys are allocated by glibc (so real OS threads share them);
 * values live per green thread and destructors run when each green thread exits.
 */
#include "hook.h"

#include "../core/key.h"

/* Create with glibc, then track the key (green values and destructor), whichever thread
 * creates it, live or not yet (gate ALWAYS): green threads may use any key. */
long green_hook_pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	int r = GREEN_REAL_CALL(pthread_key_create)(key, destructor);

	if (r == 0)
		green_key_created(*key, destructor);
	return -r;
}

long green_hook___pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	int r = GREEN_REAL_CALL(__pthread_key_create)(key, destructor);

	if (r == 0)
		green_key_created(*key, destructor);
	return -r;
}

long green_hook_pthread_key_delete(pthread_key_t key)
{
	int r = GREEN_REAL_CALL(pthread_key_delete)(key);

	if (r == 0)
		green_key_deleted(key);
	return -r;
}

long green_hook_pthread_getspecific(pthread_key_t key)
{
	return (long)(intptr_t)green_key_get(key);
}

long green_hook_pthread_setspecific(pthread_key_t key, const void *value)
{
	return green_key_set(key, value);
}
