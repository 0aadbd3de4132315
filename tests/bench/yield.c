/* Two threads call sched_yield() in turn ITER times each; prints "ns_per_yield=X", the wall
 * time per yield (one switch to the other thread). Usage: yield [ITER] */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long iters;

static void *spin(void *arg)
{
	for (long i = 0; i < iters; i++)
		sched_yield();
	return arg;
}

int main(int argc, char **argv)
{
	pthread_t a, b;
	struct timespec t0, t1;

	iters = argc > 1 ? atol(argv[1]) : 2000000;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_create(&a, NULL, spin, NULL);
	pthread_create(&b, NULL, spin, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("ns_per_yield=%.1f\n",
	       ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / (2.0 * iters));
	return 0;
}
