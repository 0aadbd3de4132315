/* A preloaded library linked with -z initfirst: loaded after libgreen.so, its constructor runs
 * before libgreen's. It sleeps and spawns threads there; stderr gets the OS thread count seen
 * while they sleep. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "os_threads.h"

static void *nap(void *arg)
{
	usleep(100000);
	return arg;
}

__attribute__((constructor)) static void ctor(void)
{
	pthread_t t[5];
	long sum = 0;

	usleep(10000);
	for (long i = 0; i < 5; i++)
		pthread_create(&t[i], NULL, nap, (void *)i);
	usleep(20000);
	fprintf(stderr, "ctorfirst tasks=%d\n", os_threads());
	for (int i = 0; i < 5; i++) {
		void *r;
		pthread_join(t[i], &r);
		sum += (long)r;
	}
	printf("initfirst constructor: slept, joined 5 threads, sum %ld\n", sum);
	fflush(stdout);
}
