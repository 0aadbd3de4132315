/* SPDX-License-Identifier: MIT
 * Raw futex waits and wakes through syscall(2) (C++20 atomic wait, std::counting_semaphore,
 * Rust and other runtimes' own locks) become green waits on the same address-keyed queues.
 * The kernel checks the arguments first (a zero-timeout probe), so bad input gets its answer.
 */
#include "hook.h"

#include "../core/clock.h"
#include "../core/sched.h"
#include "../core/sys.h"
#include "../core/wait.h"

#include <limits.h>
#include <linux/futex.h>
#include <stdint.h>
#include <sys/syscall.h>

/* FUTEX_WAIT / FUTEX_WAIT_BITSET on a green thread. Returns 0 or -errno like the kernel. */
static long futex_wait(uint32_t *addr, int op, uint32_t val, const struct timespec *timeout,
		       uint32_t bits)
{
	struct timespec deadline, zero = { 0, 0 };
	const struct timespec *dl = NULL;
	clockid_t clk = CLOCK_MONOTONIC;
	uint32_t probe = 0;
	long r;

	/* The kernel reads the timeout before anything else: let it say EFAULT or EINVAL (a
	 * wait on our own word with another value answers EAGAIN once the timeout is good). */
	if (timeout) {
		r = green_sys(SYS_futex, &probe, FUTEX_WAIT_PRIVATE, 1, timeout, NULL, 0);
		if (r != -EAGAIN)
			return r;
		if ((op & FUTEX_CMD_MASK) == FUTEX_WAIT) /* relative, on CLOCK_MONOTONIC */
			deadline = green_clock_add(green_clock_now(CLOCK_MONOTONIC), *timeout);
		else {                                  /* absolute, MONOTONIC or REALTIME */
			deadline = *timeout;
			if (op & FUTEX_CLOCK_REALTIME)
				clk = CLOCK_REALTIME;
		}
		dl = &deadline;
	}
	/* Then the word: the same call with no time to wait answers EFAULT, EINVAL (unaligned,
	 * a bad op or bitset), EAGAIN (the value differs) or ETIMEDOUT (it matches: park). A
	 * relative zero for FUTEX_WAIT, an absolute zero (long past) for FUTEX_WAIT_BITSET. */
	r = green_sys(SYS_futex, addr, op, val, &zero, NULL, bits);
	if (r != -ETIMEDOUT)
		return r;
	/* Only green threads can wake our queues: with other OS threads or a shared futex, the
	 * kernel holds the wait (or, without io_uring futex support, the word is polled). */
	if ((op & FUTEX_PRIVATE_FLAG) && green_wait_single_os_thread())
		r = green_wait_park(addr, bits, GREEN_WAIT_FUTEX, clk, dl);
	else
		r = green_wait_word(addr, val, bits, !(op & FUTEX_PRIVATE_FLAG), GREEN_WAIT_FUTEX, clk,
				    dl);
	return r;
}

long green_syscall_futex(const long a[6])
{
	uint32_t *addr = (uint32_t *)a[0];
	int op = (int)a[1], cmd = op & FUTEX_CMD_MASK;
	uint32_t bits;
	int n, woken;
	long k;

	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		return futex_wait(addr, op, (uint32_t)a[2], (const struct timespec *)a[3],
				  cmd == FUTEX_WAIT ? ~0u : (uint32_t)a[5]);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		bits = cmd == FUTEX_WAKE ? ~0u : (uint32_t)a[5];
		n = (int)a[2];
		/* Green waiters first (they parked after the kernel checked the word); the kernel
		 * for the rest: it checks the address and bitset, and wakes the real threads and
		 * other processes that sleep on the word, with their count. */
		woken = n > 0 ? green_wait_wake(addr, bits, n) : 0;
		if (n > 0 && woken >= n)
			return woken;
		k = green_sys(SYS_futex, a[0], a[1], n > 0 ? n - woken : n, a[3], a[4], a[5]);
		if (k < 0)
			return woken ? woken : k;
		return woken + k;
	default:
		green_log_debug(1, "futex op %d passes through (may block the hub)", cmd);
		return GREEN_PASS;
	}
}
