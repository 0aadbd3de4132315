/* SPDX-License-Identifier: MIT
 * Declarations of libc entry points that libgreen hooks or calls but glibc's public headers
 * do not declare (old `__`-prefixed exports). Include before anything that names them.
 */
#ifndef GREEN_PRELOAD_LIBC_H
#define GREEN_PRELOAD_LIBC_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
/* libstdc++'s static-initialisation guards (Itanium C++ ABI 3.3.2); the guard is 64 bits. */
int __cxa_guard_acquire(int64_t *guard);
void __cxa_guard_release(int64_t *guard);
void __cxa_guard_abort(int64_t *guard);

/* Old exported aliases of pthread functions (compat symbols, no longer declared). */
int __pthread_mutex_lock(pthread_mutex_t *m);
int __pthread_mutex_trylock(pthread_mutex_t *m);
int __pthread_mutex_unlock(pthread_mutex_t *m);
int __pthread_rwlock_rdlock(pthread_rwlock_t *rw);
int __pthread_rwlock_tryrdlock(pthread_rwlock_t *rw);
int __pthread_rwlock_wrlock(pthread_rwlock_t *rw);
int __pthread_rwlock_trywrlock(pthread_rwlock_t *rw);
int __pthread_rwlock_unlock(pthread_rwlock_t *rw);
int __pthread_once(pthread_once_t *once, void (*init)(void));
int __pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
void *__pthread_getspecific(pthread_key_t key);
int __pthread_setspecific(pthread_key_t key, const void *value);

#endif
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <sched.h>
#include <signal.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

/* glibc exports __nanosleep@GLIBC_2.2.6 as an alias of nanosleep; old binaries call it. */
int __nanosleep(const struct timespec *req, struct timespec *rem);

/* libstdc++'s static-initialisation guards (Itanium C++ ABI 3.3.2); the guard is 64 bits. */
int __cxa_guard_acquire(int64_t *guard);
void __cxa_guard_release(int64_t *guard);
void __cxa_guard_abort(int64_t *guard);

/* Old exported aliases of pthread functions (compat symbols, no longer declared). */
int __pthread_mutex_lock(pthread_mutex_t *m);
int __pthread_mutex_trylock(pthread_mutex_t *m);
int __pthread_mutex_unlock(pthread_mutex_t *m);
int __pthread_rwlock_rdlock(pthread_rwlock_t *rw);
int __pthread_rwlock_tryrdlock(pthread_rwlock_t *rw);
int __pthread_rwlock_wrlock(pthread_rwlock_t *rw);
int __pthread_rwlock_trywrlock(pthread_rwlock_t *rw);
int __pthread_rwlock_unlock(pthread_rwlock_t *rw);
int __pthread_once(pthread_once_t *once, void (*init)(void));
int __pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
void *__pthread_getspecific(pthread_key_t key);
int __pthread_setspecific(pthread_key_t key, const void *value);

#endif
