/* SPDX-License-Identifier: MIT
 * Thread descriptions for the deadlock report, the dump signal, the monitor and the overflow
 * handler. Everything here may run inside a signal handler on the hub's OS thread: it only
 * reads thread objects (never unmapped) and formats into stack buffers.
 */
#include "report.h"

#include "backtrace.h"
#include "clock.h"
#include "log.h"
#include "mutex.h"
#include "sched.h"

#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>

const char *const green_wait_names[GREEN_WAIT_COUNT] = {
#define GREEN_WAIT_REASON(id, shortname, longname) [GREEN_WAIT_##id] = shortname,
#include "wait.def"
#undef GREEN_WAIT_REASON
};

const char *green_report_wait_name(enum green_wait w)
{
	static const char *const names[GREEN_WAIT_COUNT] = {
#define GREEN_WAIT_REASON(id, shortname, longname) [GREEN_WAIT_##id] = longname,
#include "wait.def"
#undef GREEN_WAIT_REASON
	};

	return (unsigned)w < GREEN_WAIT_COUNT ? names[w] : "?";
}

static const char *report_state_name(enum green_state s)
{
	switch (s) {
	case GREEN_RUNNABLE: return "runnable";
	case GREEN_RUNNING: return "running";
	case GREEN_PARKED: return "parked";
	case GREEN_DONE: return "finished";
	}
	return "?";
}

/* What g waits on: the fd and direction, the child, the object's address and, for a join or a
 * mutex, which green thread it waits for. */
static void report_what(const struct green_thread *g, char *out, size_t size)
{
	const void *obj = g->wait_obj;
	struct green_thread *other = NULL;

	out[0] = '\0';
	switch (g->wait) {
	case GREEN_WAIT_FD_READ:
	case GREEN_WAIT_FD_WRITE:
		if (g->wait_child > 0)
			snprintf(out, size, " on fd %ld (the pidfd of child process %ld)", g->wait_arg,
				 g->wait_child);
		else
			snprintf(out, size, " on fd %ld", g->wait_arg);
		return;
	case GREEN_WAIT_POLL:
		snprintf(out, size, " on %ld fds", g->wait_arg);
		return;
	case GREEN_WAIT_CHILD:
		if (g->wait_child > 0)
			snprintf(out, size, " %ld", g->wait_child);
		else
			snprintf(out, size, " (any child)");
		return;
	case GREEN_WAIT_JOIN:
		if (obj)
			snprintf(out, size, " green thread %llu",
				 (unsigned long long)((const struct green_thread *)obj)->id);
		return;
	default:
		break;
	}
	if (!obj)
		return;
	if (g->wait == GREEN_WAIT_MUTEX) {
		const struct __pthread_mutex_s *d = obj;
		other = green_mutex_owner(d->__owner ? d->__owner : d->__lock & FUTEX_TID_MASK);
	}
	if (other)
		snprintf(out, size, " %p held by green thread %llu (%s)", obj,
			 (unsigned long long)other->id, other->name);
	else
		snprintf(out, size, " %p", obj);
}

void green_report_thread(const char *prefix, const struct green_thread *g, int with_backtrace)
{
	char what[128], timeout[48] = "";

	if (g->state == GREEN_PARKED) {
		uint64_t now = green_clock_coarse_ns();
		report_what(g, what, sizeof what);
		if (g->timeout_ns) {
			uint64_t end = g->park_ns + g->timeout_ns;
			snprintf(timeout, sizeof timeout, ", timeout in %.3f s",
				 end > now ? (double)(end - now) / 1e9 : 0.0);
		}
		green_log_write("%sgreen thread %llu (%s) %s in %s%s for %.3f s%s", prefix,
				(unsigned long long)g->id, g->name, report_state_name(g->state),
				green_report_wait_name(g->wait), what, (double)(now - g->park_ns) / 1e9,
				timeout);
	} else {
		green_log_write("%sgreen thread %llu (%s) %s", prefix, (unsigned long long)g->id,
				g->name, report_state_name(g->state));
	}
	if (with_backtrace && g->state != GREEN_DONE)
		green_backtrace_parked(g, "    ");
}

void green_report_all(const char *header, void *uc)
{
	const struct green_thread *cur = green_sched.current;
	size_t n = 0;

	for (struct green_thread *g = green_thread_first(); g; g = green_thread_next(g))
		if (g != green_sched.hub && g->state != GREEN_DONE)
			n++;
	green_log_write("%s: %zu green threads, %llu switches so far", header, n,
			(unsigned long long)green_sched.switches);
	if (cur && cur != green_sched.hub) {
		green_log_write("green thread %llu (%s) running%s", (unsigned long long)cur->id,
				cur->name, green_sched.switching ? " (being switched)" : "");
		if (uc && !green_sched.switching)
			green_backtrace_signal(uc, "    ");
	} else {
		green_log_write("the hub is running (waiting for events or dispatching them)");
	}
	for (struct green_thread *g = green_thread_first(); g; g = green_thread_next(g)) {
		if (g == green_sched.hub || g == cur || g->state == GREEN_DONE)
			continue;
		/* During a switch the leaving thread's saved context is not written yet. */
		green_report_thread("", g, !green_sched.switching);
	}
}
