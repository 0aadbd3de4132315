/* SPDX-License-Identifier: MIT
 * A small pool of real OS threads for calls that cannot be made cooperative (name resolution
 * and NSS lookups, file locks): the calling green thread parks while a worker makes the real,
 * blocking call, and the hub readies it when the worker is done.
 */
#ifndef GREEN_CORE_POOL_H
#define GREEN_CORE_POOL_H

#include <stdbool.h>
#include <stdint.h>

/* Run fn(arg) on a pool thread and park until it returns. fn runs on a real thread: hooks it
 * reaches pass through, it may block, and it must save whatever per-thread state (errno,
 * h_errno) the caller needs into arg. Returns 0, or -ENOSYS when there is no pool
 * (GREEN_THREADPOOL=0, or its threads cannot be started): the caller then makes the call
 * itself. Green thread only; parks (not interruptible: the work is already under way). */
int green_pool_run(void (*fn)(void *), void *arg);

/* In a fork child: forget the parent's workers; the next job starts new ones. */
void green_pool_forked(void);

/* Statistics: jobs run on the pool so far. */
uint64_t green_pool_jobs(void);

#endif
