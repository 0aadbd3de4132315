/* SPDX-License-Identifier: MIT
 * Reader-writer locks for green threads, in the pthread_rwlock_t's own memory.
 */
#ifndef GREEN_CORE_RWLOCK_H
#define GREEN_CORE_RWLOCK_H

#include "mutex.h"

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

/* Take rw for reading (write = false) or writing with glibc's rules: readers share; a writer
 * is alone; PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP makes new readers wait behind waiting
 * writers (the other kinds prefer readers, as in glibc). Returns 0, -EBUSY (try), -ETIMEDOUT,
 * -EINVAL (bad abstime when it would wait), -EDEADLK (the caller holds it for writing),
 * -EAGAIN (too many readers). Green thread only; may park. */
int green_rwlock_lock(pthread_rwlock_t *rw, bool write, enum green_lock_mode mode, clockid_t clk,
		      const struct timespec *abstime);

/* Release the caller's read or write hold. Returns 0, or -EPERM if it holds neither. Green
 * thread only; never parks. */
int green_rwlock_unlock(pthread_rwlock_t *rw);

#endif
