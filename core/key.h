/* SPDX-License-Identifier: MIT
 * Thread-specific data (pthread keys, C11 tss) per green thread. Key numbers come from glibc's
 * own pthread_key_create, so real OS threads can use the same keys natively.
 */
#ifndef GREEN_CORE_KEY_H
#define GREEN_CORE_KEY_H

#include "thread.h"

#include <pthread.h>

/* Record key k (just created by glibc) with its destructor. Hub OS thread. */
void green_key_created(pthread_key_t k, void (*destructor)(void *));

/* Forget key k (deleted): values stored under it become invisible. Hub OS thread. */
void green_key_deleted(pthread_key_t k);

/* The current green thread's value for k, NULL if none, or if k is not a live key. */
void *green_key_get(pthread_key_t k);

/* Set the current green thread's value for k. Returns 0, -EINVAL (not a live key), -ENOMEM. */
int green_key_set(pthread_key_t k, const void *value);

/* Run g's destructors as glibc does at thread exit (up to PTHREAD_DESTRUCTOR_ITERATIONS
 * rounds), then free its storage. Runs on g itself (destructors may block). */
void green_key_exit(struct green_thread *g);

#endif
