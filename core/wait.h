/* SPDX-License-Identifier: MIT
 * Address-keyed wait queues (a futex for green threads): every synchronisation object parks
 * its waiters here, keyed by the object's address, so the object itself keeps glibc's layout
 * and static initialisers work. Allocation-free: wait nodes live on the waiters' stacks.
 */
#ifndef GREEN_CORE_WAIT_H
#define GREEN_CORE_WAIT_H

#include "thread.h"

#include <stdint.h>
#include <time.h>

/* Park the current green thread on key until green_wait_wake() picks it, or until clk reaches
 * *deadline (NULL: no deadline). why names the object kind for reports. bits: a futex bitset
 * (~0u for "any"). Returns 0 when woken, -ETIMEDOUT, -EINTR (a handled signal, when
 * interruptible), or -ECANCELED when the caller is in a cancellation point and a cancel is
 * due. Green thread only; parks. */
int green_wait_park(const void *key, uint32_t bits, enum green_wait why, clockid_t clk,
		    const struct timespec *deadline);

/* Park on several keys at once until any of them is woken (poll on many fds). Same returns as
 * green_wait_park, or -ENOMEM. Green thread only; parks. */
int green_wait_park_many(const void *const *keys, int n, enum green_wait why, clockid_t clk,
			 const struct timespec *deadline);

/* Park until something sets *woken (and readies the thread), an interrupt or clk reaching
 * *deadline (NULL: none). Returns 0 once *woken, else -ETIMEDOUT, -EINTR (a handled signal,
 * when interruptible) or -ECANCELED (in a cancellation point). Green thread only; parks. */
int green_wait_flag(const bool *woken, enum green_wait why, const void *obj, clockid_t clk,
		    const struct timespec *deadline);

/* Wake up to n waiters parked on key whose bitset intersects bits, oldest first. Returns how
 * many were woken. Hub OS thread (green thread or hub); never parks. */
int green_wait_wake(const void *key, uint32_t bits, int n);


/* Park for a short, growing interval (50 us doubling to 2 ms, by *round) while waiting for a
 * change that only another OS thread or process can make (it cannot wake our queues).
 * Returns -ETIMEDOUT if clk passed *deadline (NULL: none), -ECANCELED as above, else 0.
 * Green thread only; parks. */
int green_wait_backoff(unsigned *round, enum green_wait why, const void *obj, clockid_t clk,
		    const struct timespec *deadline);

/* Whether only this OS thread exists (glibc's __libc_single_threaded): then no real thread
 * can wait on, or change, a lock word behind our back. Any thread. */
bool green_wait_single_os_thread(void);

/* Wake up to n real threads or processes in a kernel FUTEX_WAIT on addr. A process-shared
 * futex (shared) is always woken; a private one only when other OS threads exist. Any thread;
 * at most one system call. */
void green_wait_kernel_wake(const void *addr, int n, bool shared);

/* Wait on a futex word while *word == val, for a wake whose bitset meets bits from anyone:
 * green_wait_word_wake here, or a kernel FUTEX_WAKE from another process (shared) or OS
 * thread. The kernel holds the wait where it can (kwait.h); else this process's wakers wake
 * it at once and a change made elsewhere is seen within a short backoff (a wake that leaves
 * the word unchanged is then missed: spurious returns are allowed either way). Returns 0
 * (woken, or the word differs), -ETIMEDOUT when clk reaches *deadline, -EINTR after a
 * handled signal when interruptible, -ECANCELED, or the kernel's -EFAULT/-EINVAL. Green
 * thread only; parks. */
int green_wait_word(const uint32_t *word, uint32_t val, uint32_t bits, bool shared,
		    enum green_wait why, clockid_t clk, const struct timespec *deadline);

/* Wake up to n waiters of a futex word: this process's polling green waiters first, then the
 * kernel's (kernel-held green waits, other processes, real threads). Returns how many, or the
 * kernel's -errno when none. Hub OS thread; never parks. */
long green_wait_word_wake(const uint32_t *word, uint32_t bits, int n, bool shared);

/* In a fork child: forget every waiter (they were other threads). */
void green_wait_forked(void);

#endif
