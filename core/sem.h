/* SPDX-License-Identifier: MIT
 * POSIX semaphores for green threads, on glibc's sem_t (value in the low 32 bits of data,
 * kernel waiters in the high 32, private = 0, or FUTEX_PRIVATE_FLAG when process-shared).
 */
#ifndef GREEN_CORE_SEM_H
#define GREEN_CORE_SEM_H

#include "mutex.h"

#include <semaphore.h>
#include <time.h>

/* Decrement s, waiting while it is 0. Returns 0, -EAGAIN (try), -ETIMEDOUT, -EINVAL (bad
 * abstime), -EINTR (a handler without SA_RESTART ran). Process-shared and named semaphores, and any semaphore while other OS threads
 * exist, are polled (their posters cannot wake our queues). Green thread only; may park. */
int green_sem_wait(sem_t *s, enum green_lock_mode mode, clockid_t clk,
		   const struct timespec *abstime);

/* Increment s and wake a waiter: 0 or -EOVERFLOW. Hub OS thread; never parks. */
int green_sem_post(sem_t *s);

/* A signal handler ran (its hooks passed straight through): wake a green waiter of each private
 * semaphore it may have posted (sem_post is async-signal-safe; glibc's own wakes only kernel
 * waiters). Hub OS thread; never parks. */
void green_sem_handler_ran(void);

#endif
