/* SPDX-License-Identifier: MIT
 * One-time initialisation (pthread_once, call_once, C++ function-local statics) for green
 * threads, in glibc's and libstdc++'s own encodings.
 */
#ifndef GREEN_CORE_ONCE_H
#define GREEN_CORE_ONCE_H

#include <stdbool.h>
#include <stdint.h>

struct green_thread;

/* Run init once for the control word *once (glibc: bit 0 in progress, bit 1 done); callers
 * that find it in progress park until it is done. If the initialising thread exits inside
 * init, the control returns to "not done" and a waiter retries (as glibc's cleanup does).
 * Green thread only; may park. */
void green_once_run(int *once, void (*init)(void));

/* __cxa_guard_acquire: 1 if the caller must construct the static, 0 if it is constructed
 * (after parking while another thread constructs it). Green thread only; may park. */
int green_once_guard_acquire(uint64_t *guard);

/* __cxa_guard_release (done = true) or __cxa_guard_abort: mark the guard, wake the waiters. */
void green_once_guard_finish(uint64_t *guard, bool done);

/* g exits: if it was running a pthread_once init, reset that control and wake the waiters. */
void green_once_abandon(struct green_thread *g);

#endif
