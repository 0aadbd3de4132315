/* SPDX-License-Identifier: MIT
 * Barriers and spinlocks for green threads.
 */
#ifndef GREEN_CORE_BARRIER_H
#define GREEN_CORE_BARRIER_H

#include <pthread.h>
#include <stdbool.h>

/* Initialise b for count threads; shared: PTHREAD_PROCESS_SHARED (its waiters may be in other
 * processes). Returns 0 or -EINVAL (count 0). Any green thread. */
int green_barrier_init(pthread_barrier_t *b, unsigned count, bool shared);

/* Wait until count threads have arrived. Returns PTHREAD_BARRIER_SERIAL_THREAD in exactly one
 * of them, 0 in the others. Green thread only; parks. */
int green_barrier_wait(pthread_barrier_t *b);

/* Take the spinlock; while another thread holds it, yield so the holder can run (and sleep a
 * little when spinning goes on). try: -EBUSY instead. Returns 0. Green thread only. */
int green_spin_lock(pthread_spinlock_t *s, bool try);

#endif
