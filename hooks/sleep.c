/* SPDX-License-Identifier: MIT
 * The sleep family: each parks only the calling green thread on the hub's precise timer.
 * Anything the kernel would refuse (bad pointer, invalid timespec, unsupported clock) goes to
 * the real call, which answers at once with the native error.
 */
#include "hook.h"

#include "../core/clock.h"
#include "../core/mem.h"
#include "../core/sched.h"
#include "../core/sleep.h"

/* Clocks a green sleep can wait on; the others (CPU-time and alarm clocks, invalid ids) go to
 * the kernel, which refuses or serves them natively. */
static bool sleep_clock_ok(clockid_t clk)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
		return true;
	default:
		return false;
	}
}

/* Copy the program's timespec; 0 or -EFAULT. */
static int sleep_copy_req(struct timespec *ts, const struct timespec *req)
{
	const struct green_stack *st = &green_sched_self()->stack;

	return green_mem_copy_in(ts, req, sizeof *ts, st->lo, (const char *)st->lo + st->size);
}

/* Relative sleep on CLOCK_MONOTONIC for a checked timespec, a cancellation point; 0 or
 * -ENOMEM (the caller then sleeps natively). */
static int sleep_rel(struct timespec ts)
{
	return GREEN_CANCEL_POINT(green_sleep_for(&ts));
}

/* nanosleep and __nanosleep. */
static int sleep_nano(const struct timespec *req, struct timespec *rem,
		      int (*real)(const struct timespec *, struct timespec *))
{
	struct timespec ts;

	if (!green_boot_hooking() || sleep_copy_req(&ts, req) ||
	    !green_clock_valid(&ts))
		return real(req, rem); /* EFAULT or EINVAL at once, or a native sleep */
	if (sleep_rel(ts))
		return real(req, rem);
	return 0; /* rem is written only when interrupted */
}

GREEN_EXPORT int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return sleep_nano(req, rem, GREEN_REAL_CALL(nanosleep));
}

GREEN_EXPORT int __nanosleep(const struct timespec *req, struct timespec *rem)
{
	return sleep_nano(req, rem, GREEN_REAL_CALL(__nanosleep));
}

GREEN_EXPORT int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
				 struct timespec *rem)
{
	struct timespec ts;

	if (!green_boot_hooking() || !sleep_clock_ok(clk) ||
	    sleep_copy_req(&ts, req) || !green_clock_valid(&ts))
		return GREEN_REAL_CALL(clock_nanosleep)(clk, flags, req, rem);
	/* A relative sleep on clk: the deadline is now + ts on that clock. */
	if (!(flags & TIMER_ABSTIME))
		ts = green_clock_add(green_clock_now(clk), ts);
	if (GREEN_CANCEL_POINT(green_sleep_until(clk, &ts)))
		return GREEN_REAL_CALL(clock_nanosleep)(clk, flags, req, rem);
	return 0;
}

GREEN_EXPORT unsigned int sleep(unsigned int seconds)
{
	struct timespec ts = { (time_t)seconds, 0 };

	if (!green_boot_hooking() || sleep_rel(ts))
		return GREEN_REAL_CALL(sleep)(seconds);
	return 0;
}

GREEN_EXPORT int usleep(useconds_t usec)
{
	struct timespec ts = { (time_t)(usec / 1000000), (long)(usec % 1000000) * 1000 };

	if (!green_boot_hooking() || sleep_rel(ts))
		return GREEN_REAL_CALL(usleep)(usec);
	return 0;
}
