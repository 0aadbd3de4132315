/* SPDX-License-Identifier: MIT
 * The sleep family: each parks only the calling green thread on the hub's precise timer.
 * Anything the kernel would refuse (bad pointer, invalid timespec, unsupported clock) is
 * declined to the real call, which answers at once with the native error.
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
	return green_hook_copy_in(ts, req, sizeof *ts);
}

/* Sleep until clk reaches *deadline. Returns 0, -EINTR (a signal handler ran; *left = the time
 * still to go), -ECANCELED, or -ENOMEM (the caller declines: a native sleep). */
static int sleep_until(clockid_t clk, const struct timespec *deadline, struct timespec *left)
{
	int r = green_sleep_until(clk, deadline);

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

long green_hook_nanosleep(const struct timespec *req, struct timespec *rem)
{
	struct timespec ts, left;
	int r;

	if (sleep_copy_req(&ts, req) || !green_clock_valid(&ts))
		return GREEN_PASS; /* EFAULT or EINVAL at once, from the kernel */
	r = sleep_rel(ts, &left);
	if (r == -ENOMEM)
		return GREEN_PASS;
	if (r == -EINTR && rem) /* the kernel writes the time left only when interrupted */
		*rem = left;
	return r;
}

long green_hook_clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem)
{
	struct timespec ts, left;
	bool rel = !(flags & TIMER_ABSTIME);
	int r;

	if (!sleep_clock_ok(clk) || sleep_copy_req(&ts, req) || !green_clock_valid(&ts))
		return GREEN_PASS;
	/* A relative sleep on clk: the deadline is now + ts on that clock. */
	if (rel)
		ts = green_clock_add(green_clock_now(clk), ts);
	r = sleep_until(clk, &ts, &left);
	if (r == -ENOMEM)
		return GREEN_PASS;
	if (r == -EINTR && rel && rem)
		*rem = left;
	return r;
}

long green_hook_sleep(unsigned int seconds)
{
	struct timespec ts = { (time_t)seconds, 0 }, left;
	int r = sleep_rel(ts, &left);

	if (r == -ENOMEM)
		return GREEN_PASS;
	if (r == -ECANCELED)
		return r;
	/* glibc: the whole seconds not yet slept when interrupted. */
	return r == -EINTR ? (long)left.tv_sec : 0;
}

long green_hook_usleep(useconds_t usec)
{
	struct timespec ts = { (time_t)(usec / 1000000), (long)(usec % 1000000) * 1000 };
	int r = sleep_rel(ts, NULL);

	return r == -ENOMEM ? GREEN_PASS : r;
}
