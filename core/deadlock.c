/* SPDX-License-Identifier: MIT
 * The deadlock report: when nothing is runnable and the hub has no event that could ever wake
 * a thread, say so and show every green thread with what it waits for.
 */
#include "deadlock.h"
#include "sys.h"

#include "backtrace.h"
#include "clock.h"
#include "log.h"
#include "report.h"
#include "sched.h"
#include "../preload/config.h"
#include "../preload/real.h"

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

_Noreturn void green_deadlock_found(void)
{
	struct green_thread *g;
	int shown = 0;

	if (green_config.deadlock == GREEN_DEADLOCK_HANG) {
		for (;;)
			green_sys(SYS_pause);
	}
	green_backtrace_init(); /* not in a signal handler: may load libunwind now */
	green_log_write("deadlock: no green thread can run and nothing can wake one");
	for (g = green_thread_first(); g; g = green_thread_next(g))
		if (g != green_sched.hub && g->state != GREEN_DONE)
			green_report_thread("  ", g, shown++ < 64); /* backtraces for the first 64 */
	green_real()->fflush(NULL);
	_exit(70);
}
