/* poll() with a zero timeout on an fd that is always ready (a pipe's write end), ITER times in
 * one thread: the kernel answers at once, so libgreen passes it through; what is left is the
 * hook's own cost, the time-slice check included. Prints "ns_per_poll=X". Usage: poll0 [ITER] */
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int fds[2];

static void *run(void *arg)
{
	long n = (long)arg, ready = 0;
	struct pollfd p = { .fd = fds[1], .events = POLLOUT };

	for (long i = 0; i < n; i++)
		ready += poll(&p, 1, 0);
	return (void *)ready;
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 2000000;
	struct timespec t0, t1;
	pthread_t t;
	void *ready;

	if (pipe(fds))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_create(&t, NULL, run, (void *)iters);
	pthread_join(t, &ready);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if ((long)ready != iters)
		return 1;
	printf("ns_per_poll=%.1f\n", ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / iters);
	return 0;
}
