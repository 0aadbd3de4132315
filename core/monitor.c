/* SPDX-License-Identifier: MIT
 * The monitor thread samples the scheduler's switch counter every half period; an unchanged
 * counter while a green thread (not the idle hub) is current means that thread has held the
 * OS thread for at least the period. It reads scheduler fields racily, which is fine for a
 * report: thread objects are never unmapped.
 */
#include "monitor.h"

#include "clock.h"
#include "log.h"
#include "sched.h"
#include "../preload/config.h"
#include "../preload/real.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

static void *monitor_main(void *unused)
{
	long period = green_config.monitor_ms;
	struct timespec half = { period / 2000, (period % 2000) * 500000 };
	uint64_t last = (uint64_t)-1, since = 0, reported = (uint64_t)-1;

	(void)unused;
	for (;;) {
		uint64_t now_switches, now = green_clock_coarse_ns();
		struct green_thread *g;

		green_real()->nanosleep(&half, NULL);
		now_switches = __atomic_load_n(&green_sched.switches, __ATOMIC_RELAXED);
		g = __atomic_load_n(&green_sched.current, __ATOMIC_RELAXED);
		if (now_switches != last || !g || g == green_sched.hub) {
			last = now_switches;
			since = green_clock_coarse_ns();
			continue;
		}
		now = green_clock_coarse_ns();
		if (now - since >= (uint64_t)period * 1000000u && reported != now_switches) {
			char name[16];
			memcpy(name, g->name, sizeof name);
			name[15] = '\0';
			green_log_write("green thread %llu (%s) blocked the hub for %llu ms (other green threads "
					"cannot run: a busy loop, or a call libgreen passed through)",
					(unsigned long long)g->id, name,
					(unsigned long long)((now - since) / 1000000u));
			reported = now_switches;
		}
	}
	return NULL;
}

int green_monitor_start(void)
{
	pthread_attr_t a;
	pthread_t t;
	int r;

	if (green_config.monitor_ms <= 0)
		return 0;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&a, 64 << 10);
	r = green_real()->pthread_create(&t, &a, monitor_main, NULL);
	pthread_attr_destroy(&a);
	return -r;
}
