/* SPDX-License-Identifier: MIT
 * The worker pool (gevent's default resolver does the same with its threadpool). Jobs live on
 * the parked callers' stacks. The queue is shared with real threads, so the hub side uses the
 * real pthread functions; completions come back through an eventfd the hub watches.
 */
#include "pool.h"
#include "ownfd.h"
#include "sys.h"

#include "helper.h"
#include "hub.h"
#include "log.h"
#include "sched.h"
#include "../preload/config.h"
#include "../preload/real.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

/* One job, on the caller's stack while it is parked. */
struct pool_job {
	void (*fn)(void *);
	void *arg;
	struct green_thread *caller; /* readied by the hub when done */
	struct pool_job *next;       /* queue / completed-list link */
};

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_work = PTHREAD_COND_INITIALIZER;
static struct pool_job *pool_head, *pool_tail; /* waiting jobs, FIFO (under pool_lock) */
static struct pool_job *pool_done;              /* finished jobs (under pool_lock) */
static int pool_efd = -1;                       /* workers -> hub */
static int pool_state;                          /* 0 not started, 1 running, -1 unavailable */
static uint64_t pool_jobs;                      /* jobs run so far (statistics) */

static void *pool_worker(void *unused)
{
	const struct green_real *r = green_real();

	(void)unused;
	for (;;) {
		struct pool_job *j;
		uint64_t one = 1;

		r->pthread_mutex_lock(&pool_lock);
		while (!pool_head)
			r->pthread_cond_wait(&pool_work, &pool_lock);
		j = pool_head;
		pool_head = j->next;
		if (!pool_head)
			pool_tail = NULL;
		r->pthread_mutex_unlock(&pool_lock);
		j->fn(j->arg);
		r->pthread_mutex_lock(&pool_lock);
		j->next = pool_done;
		pool_done = j;
		/* under the lock: the hub may move the eventfd (green_hub_move_internal) */
		green_sys(SYS_write, pool_efd, &one, sizeof one);
		r->pthread_mutex_unlock(&pool_lock);
	}
	return NULL;
}

/* Hub: ready the callers of every finished job. */
static void pool_completed(void *unused)
{
	const struct green_real *r = green_real();
	struct pool_job *j;
	uint64_t v;

	(void)unused;
	while (r->read(pool_efd, &v, sizeof v) == sizeof v)
		;
	r->pthread_mutex_lock(&pool_lock);
	j = pool_done;
	pool_done = NULL;
	r->pthread_mutex_unlock(&pool_lock);
	for (; j; j = j->next) {
		green_hub_waiters_add(-1);
		green_sched_ready(j->caller, GREEN_WAKE_EVENT);
	}
}

/* Held while the hub moves the eventfd the workers write. */
static void pool_guard(bool hold)
{
	if (hold)
		green_real()->pthread_mutex_lock(&pool_lock);
	else
		green_real()->pthread_mutex_unlock(&pool_lock);
}

/* Start the workers on first use. Returns 0 or -ENOSYS. */
static int pool_start(void)
{
	int n = green_config.threadpool;

	if (pool_state)
		return pool_state > 0 ? 0 : -ENOSYS;
	pool_state = -1;
	if (n <= 0)
		return -ENOSYS;
	pool_efd = (int)green_sys(SYS_eventfd2, 0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (pool_efd < 0 || green_hub_watch_internal(&pool_efd, pool_completed, NULL, pool_guard))
		return -ENOSYS;
	for (int i = 0; i < n; i++)
		if (green_helper_start(pool_worker, NULL, 0) == 0)
			pool_state = 1;
	if (pool_state < 0)
		green_log_write("cannot start the thread pool; blocking calls will block every thread");
	return pool_state > 0 ? 0 : -ENOSYS;
}

int green_pool_run(void (*fn)(void *), void *arg)
{
	struct pool_job j = { fn, arg, green_sched_self(), NULL };
	const struct green_real *r = green_real();

	if (pool_start())
		return -ENOSYS;
	pool_jobs++;
	r->pthread_mutex_lock(&pool_lock);
	if (pool_tail)
		pool_tail->next = &j;
	else
		pool_head = &j;
	pool_tail = &j;
	r->pthread_cond_signal(&pool_work);
	r->pthread_mutex_unlock(&pool_lock);
	green_hub_waiters_add(1);
	/* Only pool_completed readies us with an event; anything else (a cancel, a signal) must
	 * not let the job's stack frame go while a worker still uses it. */
	do
		green_sched_park(GREEN_WAIT_POOL, fn);
	while (green_sched_self()->wake != GREEN_WAKE_EVENT);
	return 0;
}

void green_pool_forked(void)
{
	/* The workers do not exist in the child and the eventfd is the parent's: start afresh on
	 * the next job. Jobs in flight belonged to other threads. */
	if (pool_efd >= 0)
		green_ownfd_close(pool_efd);
	pool_efd = -1;
	pool_state = 0;
	pool_head = pool_tail = pool_done = NULL;
	pthread_mutex_init(&pool_lock, NULL);
	pthread_cond_init(&pool_work, NULL);
}

uint64_t green_pool_jobs(void)
{
	return pool_jobs;
}
