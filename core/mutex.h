/* SPDX-License-Identifier: MIT
 * pthread mutexes for green threads, in glibc's own object layout (static initialisers, __kind
 * from pthread_mutex_init) and lock-word protocol (0 free, 1 locked, 2 locked with waiters), so
 * a real OS thread locking the same mutex through glibc interoperates.
 */
#ifndef GREEN_CORE_MUTEX_H
#define GREEN_CORE_MUTEX_H

#include "thread.h"

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

/* How a lock call waits. */
enum green_lock_mode {
	GREEN_LOCK_BLOCK, /* park until acquired */
	GREEN_LOCK_TRY,   /* -EBUSY instead of waiting */
	GREEN_LOCK_TIMED, /* park until acquired or clk reaches *abstime (-ETIMEDOUT) */
};

/* Lock m for the current green thread with glibc's semantics per kind (normal, recursive,
 * errorcheck, adaptive; robust; pshared): 0, -EBUSY, -ETIMEDOUT, -EINVAL (bad abstime when it
 * would wait), -EDEADLK (errorcheck relock), -EAGAIN (recursion overflow), -EOWNERDEAD (robust:
 * acquired, previous owner died), -ENOTRECOVERABLE. Green thread only; may park. */
int green_mutex_lock(pthread_mutex_t *m, enum green_lock_mode mode, clockid_t clk,
		     const struct timespec *abstime);

/* Unlock m: 0 or -EPERM (errorcheck, recursive and robust kinds not owned by the caller).
 * Wakes one green waiter and, when other OS threads exist, one kernel waiter. Green thread only;
 * never parks. */
int green_mutex_unlock(pthread_mutex_t *m);

/* pthread_mutex_consistent: 0, or -EINVAL unless m is robust and inconsistent. Green thread. */
int green_mutex_consistent(pthread_mutex_t *m);

/* g's owner id as stored in __owner and robust lock words: above any real TID (pid_max <=
 * 2^22), below the futex OWNER_DIED bit. Hub OS thread. */
int green_mutex_tid(const struct green_thread *g);

/* Give g a new owner id (at creation; for the forking thread in a fork child, whose kernel tid
 * changes too). Ids come from one counter in a MAP_SHARED page that every process forked from
 * this one shares, so a process-shared mutex or rwlock tells a parent's thread from its
 * child's; unrelated processes start the counter at a pid-derived point. Hub OS thread. */
void green_mutex_id_assign(struct green_thread *g);

/* The green thread whose owner id is tid, or NULL (a real thread, or none). Hub OS thread. */
struct green_thread *green_mutex_owner(int tid);

/* g is finishing: every robust mutex it holds is marked owner-died and one waiter woken
 * (the next locker gets EOWNERDEAD). Hub OS thread. */
void green_mutex_owner_died(struct green_thread *g);

#endif
