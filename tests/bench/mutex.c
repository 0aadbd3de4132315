/* Uncontended pthread_mutex_lock + unlock in one thread, ITER times; prints
 * "ns_per_lock_unlock=X". Usage: mutex [ITER] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *run(void *arg)
{
	long n = (long)arg;

	for (long i = 0; i < n; i++) {
		pthread_mutex_lock(&m);
		pthread_mutex_unlock(&m);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 20000000;
	struct timespec t0, t1;
	pthread_t t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_create(&t, NULL, run, (void *)iters);
	pthread_join(t, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("ns_per_lock_unlock=%.2f\n",
	       ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / (double)iters);
	return 0;
}
