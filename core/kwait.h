/* SPDX-License-Identifier: MIT
 * Futex waits the kernel holds for green threads: an io_uring IORING_OP_FUTEX_WAIT (Linux 6.7)
 * per waiter, on one ring the hub watches. The kernel then counts and wakes the waiter like a
 * thread in FUTEX_WAIT, whoever wakes the word: another process, a real OS thread, a wake that
 * leaves the word unchanged. Without that kernel support every call answers -ENOSYS and the
 * caller waits its own way.
 */
#ifndef GREEN_CORE_KWAIT_H
#define GREEN_CORE_KWAIT_H

#include "thread.h"

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* Wait in the kernel on the futex word while *word == val, for a wake whose bitset meets bits;
 * shared: a process-shared futex (else private to this process). why names the wait for
 * reports. Returns 0 (woken), -EAGAIN (the word differed when the kernel queued us), -ETIMEDOUT
 * when clk reaches *deadline (NULL: none), -EINTR after a handled signal when the caller is
 * interruptible, -ECANCELED in a cancellation point, the kernel's -EFAULT/-EINVAL, or -ENOSYS
 * (no kernel support, or the ring failed). A wake that arrives as the caller gives up is passed
 * on to the next waiter. Green thread only; parks. */
int green_kwait_futex(const uint32_t *word, uint32_t val, uint32_t bits, bool shared,
		      enum green_wait why, clockid_t clk, const struct timespec *deadline);

/* In a fork child: the ring is the parent's; forget it (the next wait makes the child's own).
 * Returns 0. */
int green_kwait_forked(void);

#endif
