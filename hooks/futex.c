/* SPDX-License-Identifier: MIT
 * syscall(2): raw futex waits and wakes (C++20 atomic wait, std::counting_semaphore, Rust and
 * other runtimes' own locks) become green waits on the same address-keyed queues; every other
 * system call number goes straight to the kernel.
 */
#include "hook.h"

#include "../core/clock.h"
#include "../core/sched.h"
#include "../core/wait.h"

#include <limits.h>
#include <linux/futex.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/syscall.h>

/* FUTEX_WAIT / FUTEX_WAIT_BITSET on a green thread. Returns 0 or -errno like the kernel. */
static long futex_wait(uint32_t *addr, int op, uint32_t val, const struct timespec *timeout,
		       uint32_t bits)
{
	struct timespec deadline, ts;
	const struct timespec *dl = NULL;
	clockid_t clk = CLOCK_MONOTONIC;
	unsigned round = 0;
	int r;

	if (!bits)
		return -EINVAL;
	if (timeout) {
		ts = *timeout;
		if (!green_clock_valid(&ts))
			return -EINVAL;
		if ((op & FUTEX_CMD_MASK) == FUTEX_WAIT) /* relative, on CLOCK_MONOTONIC */
			deadline = green_clock_add(green_clock_now(CLOCK_MONOTONIC), ts);
		else {                                  /* absolute, MONOTONIC or REALTIME */
			deadline = ts;
			if (op & FUTEX_CLOCK_REALTIME)
				clk = CLOCK_REALTIME;
		}
		dl = &deadline;
	}
	if (__atomic_load_n(addr, __ATOMIC_SEQ_CST) != val)
		return -EAGAIN;
	/* Only green threads can wake our queues: with other OS threads or a shared futex, poll
	 * for a change of the word (a spurious wakeup is allowed by futex(2)). */
	if ((op & FUTEX_PRIVATE_FLAG) && green_wait_single_os_thread())
		r = green_wait_park(addr, bits, GREEN_WAIT_FUTEX, clk, dl);
	else {
		do
			r = green_wait_backoff(&round, GREEN_WAIT_FUTEX, addr, clk, dl);
		while (!r && __atomic_load_n(addr, __ATOMIC_SEQ_CST) == val);
	}
	return r;
}

GREEN_EXPORT_RAW(long, syscall, (long number, ...))
{
	va_list ap;
	long a[6];

	/* Six register-sized arguments, as the kernel takes them; reading unused ones is harmless
	 * on the SysV ABIs we build for. */
	va_start(ap, number);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (number == SYS_futex && green_boot_hooking()) {
		uint32_t *addr = (uint32_t *)a[0];
		int op = (int)a[1], cmd = op & FUTEX_CMD_MASK;
		long r;

		switch (cmd) {
		case FUTEX_WAIT:
		case FUTEX_WAIT_BITSET:
			r = futex_wait(addr, op, (uint32_t)a[2], (const struct timespec *)a[3],
				       cmd == FUTEX_WAIT ? ~0u : (uint32_t)a[5]);
			return r ? (errno = (int)-r, -1) : 0;
		case FUTEX_WAKE:
		case FUTEX_WAKE_BITSET: {
			uint32_t bits = cmd == FUTEX_WAKE ? ~0u : (uint32_t)a[5];
			int n = (int)a[2], woken;
			if (!bits)
				return errno = EINVAL, -1;
			woken = green_wait_wake(addr, bits, n < 0 ? INT_MAX : n);
			/* Real threads or other processes may sleep in the kernel on the same word. */
			if (woken < n && (!(op & FUTEX_PRIVATE_FLAG) || !green_wait_single_os_thread()))
				woken += (int)GREEN_REAL_CALL(syscall)(number, a[0], a[1], n - woken,
								       a[3], a[4], a[5]) > 0;
			return woken;
		}
		default:
			green_log_debug(1, "futex op %d passes through (may block the hub)", cmd);
			break;
		}
	}
	return GREEN_REAL_CALL(syscall)(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
