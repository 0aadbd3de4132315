/* SPDX-License-Identifier: MIT
 * Deferred cancellation of green threads and the cleanup handlers C code registers with
 * pthread_cleanup_push (glibc's __pthread_register_cancel buffers), kept per green thread.
 */
#ifndef GREEN_CORE_CANCEL_H
#define GREEN_CORE_CANCEL_H

#include "thread.h"

#include <pthread.h>
#include <stdbool.h>

/* Mark g cancelled; if it is parked in a cancellation point with cancellation enabled, wake it
 * so the point acts. Returns 0. Hub OS thread. */
int green_cancel_request(struct green_thread *g);

/* Enter a cancellation point: acts at once (never returns) if a cancel is due. Green thread. */
void green_cancel_enter(void);

/* Leave a cancellation point; r is its core result: -ECANCELED acts (never returns), anything
 * else is returned. Green thread. */
int green_cancel_leave(int r);

/* True if the current green thread is in a cancellation point and a cancel is due: waits
 * return -ECANCELED then. Green thread. */
bool green_cancel_interrupted(void);

/* Asynchronous cancellation (PTHREAD_CANCEL_ASYNCHRONOUS, enabled) with a cancel pending:
 * glibc's SIGCANCEL would act wherever the thread is. Green thread. */
bool green_cancel_async_due(void);

/* A wait that is not a cancellation point (a mutex or rwlock lock) begins: with asynchronous
 * cancellation it is one for its duration, so a cancel wakes it and its park answers
 * -ECANCELED. Returns whether it did; pass that to green_cancel_async_end. Green thread. */
bool green_cancel_async_begin(void);
void green_cancel_async_end(bool began);

/* The result r of a call that is not a cancellation point: -ECANCELED with an asynchronous
 * cancel due acts (never returns); anything else is returned. Green thread. */
long green_cancel_async_leave(long r);

/* Act on a cancel: unwind running cleanup handlers and destructors, exit with
 * PTHREAD_CANCELED. Green thread; never returns. */
_Noreturn void green_cancel_act(void);

/* pthread_setcancelstate / pthread_setcanceltype for the current thread: 0 or -EINVAL.
 * Enabling with a pending cancel acts at once when the type is asynchronous (as glibc does),
 * else at the next cancellation point. */
int green_cancel_set(bool type, int value, int *old);

/* pthread_cleanup_push/pop in C without exceptions: link or unlink buf. defer: also switch
 * to deferred (push_defer_np), restore: restore the saved type. Green thread. */
void green_cancel_push(__pthread_unwind_buf_t *buf, bool defer);
void green_cancel_pop(__pthread_unwind_buf_t *buf, bool restore);

/* The stop-function check of the forced unwind: if the frame with canonical frame address
 * cfa lies at or above the innermost cleanup buffer's setjmp (or end_of_stack with one left),
 * unlink it and longjmp into it so its handler runs; else return. Green thread. */
void green_cancel_unwind_frame(uintptr_t cfa, bool end_of_stack);

/* __pthread_unwind_next: continue the forced unwind after a handler ran. Never returns. */
_Noreturn void green_cancel_unwind_next(__pthread_unwind_buf_t *buf);

#endif
