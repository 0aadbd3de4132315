/* SPDX-License-Identifier: MIT
 * The deadlock report: when nothing is runnable and the hub has no event that could ever wake
 * a thread, say so and show every green thread with what it waits for.
 */
#include "deadlock.h"
#include "sys.h"

#include "backtrace.h"
#include "clock.h"
#include "log.h"
#include "preempt.h"
#include "report.h"
#include "sched.h"
#include "../preload/config.h"
#include "../preload/real.h"

#include <pthread.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Is an interval timer or a POSIX timer of the process armed? (/proc/self/timers lists the
 * POSIX timers' ids; their state comes from timer_gettime.) Raw system calls. */
static bool deadlock_timer_armed(void)
{
	struct itimerval it;
	char buf[4096];
	long fd, n;

	for (int which = ITIMER_REAL; which <= ITIMER_PROF; which++)
		if (green_sys(SYS_getitimer, which, &it) == 0 && (it.it_value.tv_sec || it.it_value.tv_usec))
			return true;
	fd = green_sys(SYS_openat, AT_FDCWD, "/proc/self/timers", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = green_sys(SYS_read, fd, buf, sizeof buf - 1);
	green_sys(SYS_close, fd);
	buf[n > 0 ? n : 0] = '\0';
	for (char *p = buf; (p = strstr(p, "ID: ")); p += 4) {
		struct itimerspec ts;
		long id = strtol(p + 4, NULL, 10);
		if (id == green_preempt_timer_id()) /* ours: never a wake-up for the program */
			continue;
		if (green_sys(SYS_timer_gettime, id, &ts) == 0 &&
		    (ts.it_value.tv_sec || ts.it_value.tv_nsec))
			return true;
	}
	return false;
}

void green_deadlock_found(void)
{
	struct green_thread *g;
	int shown = 0;

	if (deadlock_timer_armed()) {
		green_sys(SYS_pause); /* its signal comes: the hub then looks again */
		return;
	}
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
