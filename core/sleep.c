/* SPDX-License-Identifier: MIT
 * The sleep family's core: a timed park on the hub's precise timer, re-checked against the
 * requested clock so that no sleep ever ends early (HAZARDS H15).
 */
#include "sleep.h"

#include "clock.h"
#include "sched.h"
#include "signal.h"

#include <errno.h>

int green_sleep_until(clockid_t clk, const struct timespec *deadline)
{
	/* Only another event could end the park early, and nothing else wakes a sleeper yet:
	 * park_until returns -ETIMEDOUT once clk has reached the deadline. */
	if (!green_clock_before(green_clock_now(clk), *deadline)) {
		green_sched_yield(); /* a zero sleep is a scheduling point, as in gevent */
		return 0;
	}
	/* Sleeps are never restarted after a signal handler (signal(7)). */
	green_signal_interruptible(true);
	for (;;) {
		/* 0: woken by something else than the timer: sleep on. */
		int r = green_sched_park_until(GREEN_WAIT_SLEEP, NULL, clk, deadline);
		if (r == 0)
			continue;
		if (r == -ETIMEDOUT)
			r = 0;
		if (r == -EINTR)
			green_signal_restart();
		green_signal_interruptible(false);
		return r; /* 0, -EINTR, -ECANCELED, or -ENOMEM: no timer could be had */
	}
}
