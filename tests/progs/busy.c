/* A thread spins for 300 ms without any blocking call (a busy-wait) while another sleeps in a
 * loop: under libgreen nothing else runs meanwhile, and GREEN_MONITOR_MS reports the spinner. */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void *spinner(void *arg)
{
	double end = now() + 0.3;
	volatile long n = 0;

	pthread_setname_np(pthread_self(), "spinner");
	while (now() < end)
		n++;
	return arg;
}

static void *napper(void *arg)
{
	for (int i = 0; i < 10; i++)
		usleep(10000);
	return arg;
}

int main(void)
{
	pthread_t a, b;

	pthread_create(&b, NULL, napper, NULL);
	pthread_create(&a, NULL, spinner, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("spinner and napper finished\n");
	return 0;
}
