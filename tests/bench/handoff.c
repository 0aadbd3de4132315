/* Two threads hand a token back and forth through a mutex and two condition variables
 * ITER times; prints "ns_per_handoff=X" (one wake-up of the other thread). Usage: handoff [ITER] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv[2] = { PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER };
static int turn;
static long iters;

static void *player(void *arg)
{
	int me = (int)(long)arg;

	pthread_mutex_lock(&m);
	for (long i = 0; i < iters; i++) {
		while (turn != me)
			pthread_cond_wait(&cv[me], &m);
		turn = !me;
		pthread_cond_signal(&cv[!me]);
	}
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t a, b;
	struct timespec t0, t1;

	iters = argc > 1 ? atol(argv[1]) : 200000;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_create(&a, NULL, player, (void *)0L);
	pthread_create(&b, NULL, player, (void *)1L);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("ns_per_handoff=%.1f\n",
	       ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / (2.0 * iters));
	return 0;
}
