/* SPDX-License-Identifier: MIT
 * The GREEN_STATS line: counters the scheduler, hub and pool keep anyway.
 */
#include "stats.h"

#include "hub.h"
#include "log.h"
#include "pool.h"
#include "preempt.h"
#include "sched.h"
#include "tls.h"
#include "sys.h"

#include <fcntl.h>

#include <stdio.h>

void green_stats_print(void)
{
	char parks[512] = "";
	size_t len = 0;
	uint64_t loops, longest;
	int fd = 2;

	for (unsigned i = 0; i < GREEN_WAIT_COUNT && len < sizeof parks; i++)
		if (green_sched.parks[i])
			len += (size_t)snprintf(parks + len, sizeof parks - len, " %s=%llu", green_wait_names[i],
						(unsigned long long)green_sched.parks[i]);
	green_hub_stats(&loops, &longest);
	if (green_config.stats_path) /* raw open: our own fd, closed at once */
		fd = (int)green_sys(SYS_openat, AT_FDCWD, green_config.stats_path,
				    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
#define STATS_FMT "stats: created=%llu peak_alive=%zu switches=%llu hub_loops=%llu parks:%s " \
		  "offloaded=%llu longest_hub_stall_ms=%.1f sliced=%llu preempted=%llu marked=%llu " \
		  "preempt=%s tls=%s"
#define STATS_ARGS (unsigned long long)green_sched.created, green_sched.peak_alive,                  \
		   (unsigned long long)green_sched.switches, (unsigned long long)loops, len ? parks : " none", \
		   (unsigned long long)green_pool_jobs(), longest / 1e6,                                  \
		   (unsigned long long)green_sched.slice_yields,                                \
		   (unsigned long long)green_preempt_yields, (unsigned long long)green_preempt_marks, \
		   green_preempt_token(), green_tls_token()
	if (fd == 2) /* the log: GREEN_LOG, or the stderr the process started with */
		green_log_write(STATS_FMT, STATS_ARGS);
	else
		green_log_write_fd(fd, STATS_FMT, STATS_ARGS);
	if (fd != 2)
		green_sys(SYS_close, fd);
}
