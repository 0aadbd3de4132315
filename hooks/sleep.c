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

/* Sleep until clk reaches *deadline as a cancellation point. Returns 0, -EINTR (a signal
 * handler ran; *left = the time still to go), or -ENOMEM (the caller sleeps natively). */
static int sleep_until(clockid_t clk, const struct timespec *deadline, struct timespec *left)
{
	int r = GREEN_CANCEL_POINT(green_sleep_until(clk, deadline));

	if (r == -EINTR && left) {
		*left = green_clock_sub(*deadline, green_clock_now(clk));
		if (left->tv_sec < 0)
			left->tv_sec = left->tv_nsec = 0;
	}
	return r;
}

/* A relative sleep on CLOCK_MONOTONIC, as nanosleep measures it. */
static int sleep_rel(struct timespec ts, struct timespec *left)
{
	struct timespec deadline = green_clock_add(green_clock_now(CLOCK_MONOTONIC), ts);

	return sleep_until(CLOCK_MONOTONIC, &deadline, left);
}

/* nanosleep and __nanosleep. */
static int sleep_nano(const struct timespec *req, struct timespec *rem,
		      int (*real)(const struct timespec *, struct timespec *))
{
	struct timespec ts, left;
	int r;

	if (!green_boot_hooking() || sleep_copy_req(&ts, req) || !green_clock_valid(&ts))
		return real(req, rem); /* EFAULT or EINVAL at once, or a native sleep */
	r = sleep_rel(ts, &left);
	if (r == -ENOMEM)
		return real(req, rem);
	if (r == -EINTR) {
		if (rem) /* the kernel writes the time left only when interrupted */
			*rem = left;
		errno = EINTR;
		return -1;
	}
	return 0;
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
	struct timespec ts, left;
	bool rel = !(flags & TIMER_ABSTIME);
	int r;

	if (!green_boot_hooking() || !sleep_clock_ok(clk) || sleep_copy_req(&ts, req) ||
	    !green_clock_valid(&ts))
		return GREEN_REAL_CALL(clock_nanosleep)(clk, flags, req, rem);
	/* A relative sleep on clk: the deadline is now + ts on that clock. */
	if (rel)
		ts = green_clock_add(green_clock_now(clk), ts);
	r = sleep_until(clk, &ts, &left);
	if (r == -ENOMEM)
		return GREEN_REAL_CALL(clock_nanosleep)(clk, flags, req, rem);
	if (r == -EINTR && rel && rem)
		*rem = left;
	return -r; /* clock_nanosleep returns the error number itself */
}

GREEN_EXPORT unsigned int sleep(unsigned int seconds)
{
	struct timespec ts = { (time_t)seconds, 0 }, left;
	int r;

	if (!green_boot_hooking())
		return GREEN_REAL_CALL(sleep)(seconds);
	r = sleep_rel(ts, &left);
	if (r == -ENOMEM)
		return GREEN_REAL_CALL(sleep)(seconds);
	/* glibc: the whole seconds not yet slept when interrupted. */
	return r == -EINTR ? (unsigned int)left.tv_sec : 0;
}

GREEN_EXPORT int usleep(useconds_t usec)
{
	struct timespec ts = { (time_t)(usec / 1000000), (long)(usec % 1000000) * 1000 };
	int r;

	if (!green_boot_hooking())
		return GREEN_REAL_CALL(usleep)(usec);
	r = sleep_rel(ts, NULL);
	if (r == -ENOMEM)
		return GREEN_REAL_CALL(usleep)(usec);
	return green_hook_errno(r);
}
