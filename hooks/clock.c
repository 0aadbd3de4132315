/* SPDX-License-Identifier: MIT
 * Clock reads: clock_gettime, gettimeofday and time. libc's own functions (the vDSO) answer
 * every call, with their own errno; the hooks exist for the time-slice check: a thread that
 * polls a deadline in a loop (`while (now() < end)`) yields at the end of its slice here, a
 * point that is always safe, instead of waiting to be preempted. The check runs only where
 * the gate is open (a green thread on the hub's OS thread, libgreen live).
 */
#include "hook.h"

GREEN_EXPORT_RAW(int, clock_gettime, (clockid_t clk, struct timespec *ts))
{
	if (green_boot_gate)
		green_sched_slice_check();
	return GREEN_REAL_CALL(clock_gettime)(clk, ts);
}

GREEN_EXPORT_RAW(int, gettimeofday, (struct timeval *tv, void *tz))
{
	if (green_boot_gate)
		green_sched_slice_check();
	return GREEN_REAL_CALL(gettimeofday)(tv, tz);
}

GREEN_EXPORT_RAW(time_t, time, (time_t *t))
{
	if (green_boot_gate)
		green_sched_slice_check();
	return GREEN_REAL_CALL(time)(t);
}
