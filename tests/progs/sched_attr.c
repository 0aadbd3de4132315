/* Explicit scheduling attributes (PTHREAD_EXPLICIT_SCHED): what the creator set is what the new
 * thread's pthread_getschedparam reports; inherited ones are the creator's, main's own
 * pthread_setschedparam included. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

static void *report(void *arg)
{
	struct sched_param p;
	int policy;

	pthread_getschedparam(pthread_self(), &policy, &p);
	printf("%s: policy %s, priority %d\n", (const char *)arg,
	       policy == SCHED_OTHER ? "OTHER" : policy == SCHED_BATCH ? "BATCH" : policy == SCHED_IDLE ? "IDLE"
	       : policy == SCHED_FIFO ? "FIFO" : policy == SCHED_RR ? "RR" : "?", p.sched_priority);
	return NULL;
}

static void run(const char *what, int inherit, int policy, int prio)
{
	pthread_attr_t a;
	struct sched_param p = { .sched_priority = prio };
	pthread_t t;
	int r;

	pthread_attr_init(&a);
	pthread_attr_setinheritsched(&a, inherit);
	pthread_attr_setschedpolicy(&a, policy);
	pthread_attr_setschedparam(&a, &p);
	r = pthread_create(&t, &a, report, (void *)what);
	if (r)
		printf("%s: pthread_create %s\n", what, strerrorname_np(r));
	else
		pthread_join(t, NULL);
	pthread_attr_destroy(&a);
}

int main(void)
{
	run("inherited", PTHREAD_INHERIT_SCHED, SCHED_RR, 3);
	run("explicit OTHER", PTHREAD_EXPLICIT_SCHED, SCHED_OTHER, 0);
	run("explicit RR 3", PTHREAD_EXPLICIT_SCHED, SCHED_RR, 3);
	run("explicit FIFO 1", PTHREAD_EXPLICIT_SCHED, SCHED_FIFO, 1);
	{
		struct sched_param p = { .sched_priority = 0 };
		int r = pthread_setschedparam(pthread_self(), SCHED_BATCH, &p);

		printf("main sets BATCH: %s\n", r ? strerrorname_np(r) : "0");
		report("main");
		run("inherited from main", PTHREAD_INHERIT_SCHED, SCHED_RR, 3);
	}
	return 0;
}
