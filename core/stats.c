/* SPDX-License-Identifier: MIT
 * The GREEN_STATS line: counters the scheduler, hub and pool keep anyway.
 */
#include "stats.h"

#include "hub.h"
#include "log.h"
#include "pool.h"
#include "sched.h"
#include "sys.h"

#include <fcntl.h>

#include <stdio.h>

void green_stats_print(void)
{
	static const char *const names[] = {
		[GREEN_WAIT_SLEEP] = "sleep", [GREEN_WAIT_JOIN] = "join", [GREEN_WAIT_MUTEX] = "mutex",
		[GREEN_WAIT_COND] = "cond", [GREEN_WAIT_RWLOCK] = "rwlock", [GREEN_WAIT_BARRIER] = "barrier",
		[GREEN_WAIT_SEM] = "sem", [GREEN_WAIT_ONCE] = "once", [GREEN_WAIT_FUTEX] = "futex",
		[GREEN_WAIT_SPIN] = "spin", [GREEN_WAIT_FD_READ] = "read", [GREEN_WAIT_FD_WRITE] = "write",
		[GREEN_WAIT_POLL] = "poll", [GREEN_WAIT_CHILD] = "child", [GREEN_WAIT_POOL] = "pool",
		[GREEN_WAIT_SIGNAL] = "signal", [GREEN_WAIT_MAIN_EXIT] = "main_exit",
	};
	char parks[512] = "";
	size_t len = 0;
	uint64_t loops, longest;
	int fd = 2;

	for (unsigned i = 0; i < sizeof names / sizeof *names && len < sizeof parks; i++)
		if (names[i] && green_sched.parks[i])
			len += (size_t)snprintf(parks + len, sizeof parks - len, " %s=%llu", names[i],
						(unsigned long long)green_sched.parks[i]);
	green_hub_stats(&loops, &longest);
	if (green_config.stats_path) /* raw open: our own fd, closed at once */
		fd = (int)green_sys(SYS_openat, AT_FDCWD, green_config.stats_path,
				    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	green_log_write_fd(fd, "stats: created=%llu peak_alive=%zu switches=%llu hub_loops=%llu parks:%s "
			"offloaded=%llu longest_hub_stall_ms=%.1f",
			(unsigned long long)green_sched.created, green_sched.peak_alive,
			(unsigned long long)green_sched.switches, (unsigned long long)loops,
			len ? parks : " none", (unsigned long long)green_pool_jobs(), longest / 1e6);
	if (fd != 2)
		green_sys(SYS_close, fd);
}
