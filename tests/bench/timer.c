/* THREADS threads each sleep 50 us ITER times; prints "us_per_sleep=X" (the mean time one
 * 50 us nanosleep really takes: timer add, expiry, wake-up, switch back) and
 * "us_late=Y" (how much of it is past the 50 us). Usage: timer [ITER] [THREADS] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long iters;

static void *sleeper(void *arg)
{
	struct timespec ts = { 0, 50000 };
	(void)arg;
	for (long i = 0; i < iters; i++)
		nanosleep(&ts, NULL);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 100;
	pthread_t *t = calloc((size_t)n, sizeof *t);
	struct timespec t0, t1;
	double us;

	iters = argc > 1 ? atol(argv[1]) : 2000;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, sleeper, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = ((t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3) / (double)iters;
	printf("us_per_sleep=%.1f us_late=%.1f\n", us, us - 50);
	return 0;
}
