/* SPDX-License-Identifier: MIT
 * timespec arithmetic and clock reads used by every timed wait.
 */
#ifndef GREEN_CORE_CLOCK_H
#define GREEN_CORE_CLOCK_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "../preload/real.h"

#define GREEN_NSEC 1000000000L

/* True if ts is a valid kernel timespec (timespec64_valid: sec >= 0, 0 <= nsec < 1e9). */
static inline bool green_clock_valid(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < GREEN_NSEC;
}

/* glibc's checks of an absolute deadline for a timed wait (lock, cond, semaphore, join): -EINVAL
 * for a tv_nsec outside [0, 1e9), -ETIMEDOUT for a negative tv_sec (already past: no wait), else
 * 0. Each caller applies them where glibc does (before or after its first try). */
static inline int green_clock_check_abstime(const struct timespec *ts)
{
	if (ts->tv_nsec < 0 || ts->tv_nsec >= GREEN_NSEC)
		return -EINVAL;
	return ts->tv_sec < 0 ? -ETIMEDOUT : 0;
}

/* a + b for valid timespecs, saturating at the largest time_t. */
static inline struct timespec green_clock_add(struct timespec a, struct timespec b)
{
	struct timespec r;

	if (__builtin_add_overflow(a.tv_sec, b.tv_sec, &r.tv_sec)) {
		r.tv_sec = INT64_MAX;
		r.tv_nsec = GREEN_NSEC - 1;
		return r;
	}
	r.tv_nsec = a.tv_nsec + b.tv_nsec;
	if (r.tv_nsec >= GREEN_NSEC) {
		r.tv_nsec -= GREEN_NSEC;
		if (r.tv_sec == INT64_MAX)
			r.tv_nsec = GREEN_NSEC - 1;
		else
			r.tv_sec++;
	}
	return r;
}

/* a - b; may be negative (tv_sec < 0 then). Inputs must not overflow (clock values do not). */
static inline struct timespec green_clock_sub(struct timespec a, struct timespec b)
{
	struct timespec r = { a.tv_sec - b.tv_sec, a.tv_nsec - b.tv_nsec };

	if (r.tv_nsec < 0) {
		r.tv_nsec += GREEN_NSEC;
		r.tv_sec--;
	}
	return r;
}

/* a < b */
static inline bool green_clock_before(struct timespec a, struct timespec b)
{
	return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

/* The current time of clk (libc's function, the vDSO: no system call for the common clocks;
 * never our own clock_gettime hook). */
static inline struct timespec green_clock_now(clockid_t clk)
{
	struct timespec ts;

	GREEN_REAL_CALL(clock_gettime)(clk, &ts);
	return ts;
}

/* The current time of clk in nanoseconds. */
static inline uint64_t green_clock_ns(clockid_t clk)
{
	struct timespec ts = green_clock_now(clk);

	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Coarse CLOCK_MONOTONIC nanoseconds (a few ms resolution, cheaper than the precise clock):
 * for timestamps only shown in reports, such as when a thread parked. */
static inline uint64_t green_clock_coarse_ns(void)
{
	return green_clock_ns(CLOCK_MONOTONIC_COARSE);
}

#endif
