/* SPDX-License-Identifier: MIT
 * The deadlock report: when nothing is runnable and the hub has no event that could ever wake
 * a thread, say so and show every green thread with what it waits for.
 */
#include "deadlock.h"

#include "clock.h"
#include "log.h"
#include "mutex.h"
#include "sched.h"
#include "../preload/config.h"

#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static const char *deadlock_wait_name(enum green_wait w)
{
	switch (w) {
	case GREEN_WAIT_NONE: return "nothing";
	case GREEN_WAIT_SLEEP: return "sleep";
	case GREEN_WAIT_JOIN: return "join";
	case GREEN_WAIT_MAIN_EXIT: return "pthread_exit from main (waits for the other threads)";
	case GREEN_WAIT_HUB: return "events";
	case GREEN_WAIT_MUTEX: return "mutex";
	case GREEN_WAIT_COND: return "condition variable";
	case GREEN_WAIT_RWLOCK: return "rwlock";
	case GREEN_WAIT_BARRIER: return "barrier";
	case GREEN_WAIT_SEM: return "semaphore";
	case GREEN_WAIT_ONCE: return "once";
	case GREEN_WAIT_FUTEX: return "futex";
	case GREEN_WAIT_SPIN: return "spinlock";
	case GREEN_WAIT_FD_READ: return "read";
	case GREEN_WAIT_FD_WRITE: return "write";
	case GREEN_WAIT_POLL: return "poll";
	case GREEN_WAIT_CHILD: return "child process";
	case GREEN_WAIT_POOL: return "a call offloaded to the thread pool";
	case GREEN_WAIT_SIGNAL: return "a signal";
	}
	return "?";
}

static const char *deadlock_state_name(enum green_state s)
{
	switch (s) {
	case GREEN_RUNNABLE: return "runnable";
	case GREEN_RUNNING: return "running";
	case GREEN_PARKED: return "parked";
	case GREEN_DONE: return "finished";
	}
	return "?";
}

/* What g waits on, for the report: the object's address and, for a join or a mutex, which
 * green thread it waits for. */
static void deadlock_what(struct green_thread *g, char *out, size_t size)
{
	const void *obj = g->wait_obj;
	struct green_thread *other = NULL;

	out[0] = '\0';
	if (g->wait == GREEN_WAIT_JOIN && obj) {
		snprintf(out, size, " green thread %llu",
			 (unsigned long long)((const struct green_thread *)obj)->id);
		return;
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

void green_deadlock_describe(const char *prefix, struct green_thread *g)
{
	char what[128];

	if (g->state == GREEN_PARKED) {
		deadlock_what(g, what, sizeof what);
		green_log_write("%sgreen thread %llu (%s) %s in %s%s for %.3f s", prefix,
				(unsigned long long)g->id, g->name, deadlock_state_name(g->state),
				deadlock_wait_name(g->wait), what,
				(double)(green_clock_coarse_ns() - g->park_ns) / 1e9);
	} else {
		green_log_write("%sgreen thread %llu (%s) %s", prefix, (unsigned long long)g->id,
				g->name, deadlock_state_name(g->state));
	}
}

_Noreturn void green_deadlock_found(void)
{
	struct green_thread *g;

	if (green_config.deadlock == GREEN_DEADLOCK_HANG) {
		for (;;)
			pause();
	}
	green_log_write("deadlock: no green thread can run and nothing can wake one");
	for (g = green_thread_first(); g; g = green_thread_next(g))
		if (g != green_sched.hub && g->state != GREEN_DONE)
			green_deadlock_describe("  ", g);
	fflush(NULL);
	_exit(70);
}
