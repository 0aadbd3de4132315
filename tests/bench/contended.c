/* THREADS threads each lock + unlock one shared mutex ITER times, with a little work inside
 * (so the lock is contended); prints "ns_per_lock_unlock=X" over all acquisitions and checks
 * the counter. Usage: contended [ITER] [THREADS] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static long iters, counter;

static void *worker(void *arg)
{
	(void)arg;
	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(&m);
		counter++;
		if ((i & 63) == 0)
			sched_yield(); /* hold the lock across a switch now and then: real contention */
		pthread_mutex_unlock(&m);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 4;
	pthread_t t[64];
	struct timespec t0, t1;

	iters = argc > 1 ? atol(argv[1]) : 1000000;
	if (n > 64)
		n = 64;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (counter != iters * n)
		return 1;
	printf("ns_per_lock_unlock=%.1f\n",
	       ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / ((double)iters * n));
	return 0;
}
