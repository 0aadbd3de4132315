/* Two threads bounce one byte over a pair of pipes ITER times, each read blocking (under
 * libgreen: parking). Prints "ns_per_read=X". Run it under strace -c -f to count the system
 * calls of one parked read (tests/bench/syscalls.sh). Usage: pingpong [ITER] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int ab[2], ba[2];
static long iters;

static void *pong(void *arg)
{
	char c;
	(void)arg;
	for (long i = 0; i < iters; i++)
		if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
			exit(1);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	struct timespec t0, t1;
	char c = 'x';

	iters = argc > 1 ? atol(argv[1]) : 100000;
	if (pipe(ab) || pipe(ba))
		return 1;
	pthread_create(&t, NULL, pong, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < iters; i++)
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			return 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(t, NULL);
	printf("ns_per_read=%.1f\n",
	       ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / (2.0 * iters));
	return 0;
}
