/* Join semantics: return values, pthread_exit from a nested call, detached threads, and every
 * join error glibc reports (EDEADLK, EINVAL, EBUSY, ETIMEDOUT). */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"

static int detached_done;

static void nested_exit(int depth)
{
	if (depth <= 0)
		pthread_exit((void *)77);
	if (depth > 100)
		return;
	nested_exit(depth - 1);
	printf("not reached\n");
}

static void *exits_deep(void *arg)
{
	(void)arg;
	nested_exit(10);
	return NULL;
}

static void *returns_arg(void *arg)
{
	return arg;
}

static void *sleeps_ms(void *arg)
{
	usleep((useconds_t)(uintptr_t)arg * 1000);
	return (void *)1;
}

static void *detached_worker(void *arg)
{
	usleep(20000);
	__atomic_add_fetch(&detached_done, 1, __ATOMIC_SEQ_CST);
	return arg;
}

static void *joins_self(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)pthread_join(pthread_self(), NULL);
}

static const char *err(int e)
{
	return e ? strerrorname_np(e) : "0";
}

int main(void)
{
	pthread_t t, u;
	pthread_attr_t a;
	void *r = NULL;
	struct timespec ts;
	int e;

	pthread_create(&t, NULL, returns_arg, (void *)42);
	e = pthread_join(t, &r);
	printf("return value: %s %ld\n", err(e), (long)r);

	pthread_create(&t, NULL, exits_deep, NULL);
	e = pthread_join(t, &r);
	printf("pthread_exit from depth 10: %s %ld\n", err(e), (long)r);

	pthread_create(&t, NULL, returns_arg, NULL);
	printf("join with NULL result: %s\n", err(pthread_join(t, NULL)));

	printf("join self: %s\n", err(pthread_join(pthread_self(), NULL)));
	pthread_create(&t, NULL, joins_self, NULL);
	pthread_join(t, &r);
	printf("join self in a thread: %s\n", err((int)(intptr_t)r));

	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	for (int i = 0; i < 10; i++)
		pthread_create(&t, &a, detached_worker, NULL);
	pthread_attr_destroy(&a);
	pthread_create(&u, NULL, detached_worker, NULL);
	printf("detach: %s\n", err(pthread_detach(u)));
	while (__atomic_load_n(&detached_done, __ATOMIC_SEQ_CST) < 11)
		usleep(1000);
	printf("detached threads finished: %d\n", detached_done);

	pthread_create(&t, NULL, sleeps_ms, (void *)200);
	printf("detach twice: %s", err(pthread_detach(t)));
	printf(" %s\n", err(pthread_detach(t)));
	printf("join of a detached thread: %s\n", err(pthread_join(t, NULL)));
	usleep(250000);

	pthread_create(&t, NULL, sleeps_ms, (void *)300);
	printf("tryjoin while running: %s\n", err(pthread_tryjoin_np(t, &r)));
	ts = in_ms(CLOCK_REALTIME, 50);
	printf("timedjoin 50 ms: %s\n", err(pthread_timedjoin_np(t, &r, &ts)));
	ts = in_ms(CLOCK_MONOTONIC, 50);
	printf("clockjoin MONOTONIC 50 ms: %s\n", err(pthread_clockjoin_np(t, &r, CLOCK_MONOTONIC, &ts)));
	printf("clockjoin bad clock: %s\n", err(pthread_clockjoin_np(t, &r, CLOCK_PROCESS_CPUTIME_ID, &ts)));
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	printf("timedjoin negative time: %s\n", err(pthread_timedjoin_np(t, &r, &ts)));
	ts = in_ms(CLOCK_MONOTONIC, 2000);
	r = NULL;
	e = pthread_clockjoin_np(t, &r, CLOCK_MONOTONIC, &ts);
	printf("clockjoin 2 s: %s %ld\n", err(e), (long)r);

	pthread_create(&t, NULL, returns_arg, (void *)5);
	usleep(10000);
	r = NULL;
	e = pthread_tryjoin_np(t, &r);
	printf("tryjoin after finish: %s %ld\n", err(e), (long)r);
	return 0;
}
