/* SPDX-License-Identifier: MIT
 * The module table: which part of the runtime starts at boot and what each does in a fork
 * child, in one place (libdill's ctx.c does the same). A module keeps its state private; the
 * table says only when it is set up and what happens to it across fork.
 */
#include "runtime.h"

#include "altstack.h"
#include "annotate.h"
#include "backtrace.h"
#include "dump.h"
#include "fd.h"
#include "filelock.h"
#include "hub.h"
#include "kwait.h"
#include "log.h"
#include "mem.h"
#include "monitor.h"
#include "preempt.h"
#include "overflow.h"
#include "pool.h"
#include "sched.h"
#include "signal.h"
#include "stats.h"
#include "wait.h"
#include "../preload/config.h"

#include <errno.h>
#include <stddef.h>

/* Adapters: every entry is int (*)(void), 0 or -errno. */
static int runtime_annotate(void)
{
	green_annotate_boot();
	return 0;
}

static int runtime_log(void)
{
	green_log_start(green_config.log_path); /* a file that cannot be opened: stderr */
	return 0;
}

static int runtime_altstack(void)
{
	if (!green_config.overflow && !green_config.dump_signal && green_config.monitor_ms <= 0)
		return 0;
	return green_altstack_install();
}

/* libunwind is needed inside signal handlers: load it now when asked for reports; for overflow
 * reports the first pthread_create loads it (single-threaded programs never pay). */
static int runtime_backtrace(void)
{
	if (green_config.dump_signal || green_config.monitor_ms > 0)
		green_backtrace_want();
	return 0;
}

static int runtime_wait_forked(void)
{
	green_wait_forked();
	return 0;
}

static int runtime_mem_forked(void)
{
	green_mem_forked();
	return 0;
}

static int runtime_signal_forked(void)
{
	green_signal_forked();
	return 0;
}

static int runtime_filelock_forked(void)
{
	green_filelock_forked();
	return 0;
}

static int runtime_pool_forked(void)
{
	green_pool_forked();
	return 0;
}

/* One module: how it starts, what it does in a fork child, and what a failure at boot means. */
static const struct runtime_module {
	const char *name;     /* for the failure message */
	int (*init)(void);    /* at boot, in table order; NULL: nothing to start */
	int (*forked)(void);  /* in a fork child, in table order; NULL: its state stays valid */
	const char *optional; /* NULL: boot fails with it; else what the program runs on without */
} runtime_modules[] = {
	/* where diagnostics go: the GREEN_LOG file, or the stderr the process started with */
	{ "log", runtime_log, NULL, NULL },
	/* the main green thread and the scheduler; in a child: only the forking thread is left */
	{ "scheduler", green_sched_boot, green_sched_forked, NULL },
	/* address-keyed wait queues: no boot; in a child every waiter is gone */
	{ "wait queues", NULL, runtime_wait_forked, NULL },
	/* user-memory probes: no boot; the child re-opens its own /proc/self/mem */
	{ "memory probes", NULL, runtime_mem_forked, NULL },
	/* signal trampoline: starts with the first handler; the child makes its own eventfd */
	{ "signals", NULL, runtime_signal_forked, NULL },
	/* FILE locks between green threads: no boot; glibc frees every FILE lock in a child */
	{ "FILE locks", NULL, runtime_filelock_forked, NULL },
	/* thread pool: starts with the first job; the child's workers do not exist */
	{ "thread pool", NULL, runtime_pool_forked, NULL },
	/* kernel-held futex waits: the ring starts with the first wait; the child's is its own */
	{ "kernel-held waits", NULL, green_kwait_forked, NULL },
	/* the hub (libevent), started by the scheduler with its green thread; the child rebuilds
	 * its epoll set lazily (event_reinit on first use) */
	{ "hub", NULL, green_hub_forked, NULL },
	/* the child's own signal eventfd, once the hub can watch it, for inherited handlers */
	{ "signal eventfd", NULL, green_signal_forked_rewatch, NULL },
	/* diagnostics: each is optional, and what it set up (handlers, the monitor thread) is
	 * left as it is in a child (the monitor thread does not exist there: it never reports) */
	{ "valgrind/ASan annotations", runtime_annotate, NULL, "no annotations" },
	{ "alternate signal stack", runtime_altstack, NULL, "overflow reports disabled" },
	{ "backtraces", runtime_backtrace, NULL, "reports without backtraces" },
	{ "SIGSEGV/SIGBUS handler", green_overflow_install, NULL, "overflow reports disabled" },
	{ "GREEN_DUMP_SIGNAL handler", green_dump_install, NULL, "no dumps" },
	{ "monitor thread (GREEN_MONITOR_MS)", green_monitor_start, NULL, "no monitor" },
	{ "preemption timer", NULL, green_preempt_forked, NULL },
};

int green_runtime_boot(void)
{
	for (size_t i = 0; i < sizeof runtime_modules / sizeof *runtime_modules; i++) {
		const struct runtime_module *m = &runtime_modules[i];
		int err = m->init ? m->init() : 0;
		if (!err)
			continue;
		if (!m->optional)
			return err;
		green_log_write("cannot start the %s (error %d): %s", m->name, -err, m->optional);
	}
	return 0;
}

int green_runtime_forked(void)
{
	for (size_t i = 0; i < sizeof runtime_modules / sizeof *runtime_modules; i++) {
		const struct runtime_module *m = &runtime_modules[i];
		int err = m->forked ? m->forked() : 0;
		if (err)
			return err;
	}
	return 0;
}

void green_runtime_forking(void)
{
	green_fd_share_all();
}

void green_runtime_exit(void)
{
	if (green_config.stats)
		green_stats_print();
}

bool green_runtime_in_hub(void)
{
	return green_sched.current == green_sched.hub;
}
