/* Preemption latency: a thread starts another, then spins on an atomic with no call in the
 * loop until that one sets it; ROUNDS times. Prints "us_to_run=X", the median time from the
 * spinner's first spin to the other thread's first instruction (natively it runs on another
 * core at once: about 0). Usage: preempt_latency [ROUNDS] */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static atomic_int flag;
static double t_spin, t_run;

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void *setter(void *arg)
{
	(void)arg;
	t_run = now_us();
	atomic_store(&flag, 1);
	return NULL;
}

static void *spinner(void *arg)
{
	pthread_t r;

	(void)arg;
	pthread_create(&r, NULL, setter, NULL); /* runnable from here on */
	t_spin = now_us();
	while (!atomic_load(&flag))
		;
	return (void *)r;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 20;
	double *lat = calloc((size_t)rounds, sizeof *lat);

	for (int i = 0; i < rounds; i++) {
		pthread_t s;
		void *r;
		atomic_store(&flag, 0);
		t_spin = t_run = 0;
		pthread_create(&s, NULL, spinner, NULL);
		pthread_join(s, &r);
		pthread_join((pthread_t)r, NULL);
		lat[i] = t_run > t_spin ? t_run - t_spin : 0;
	}
	qsort(lat, (size_t)rounds, sizeof *lat, cmp);
	printf("us_to_run=%.0f\n", lat[rounds / 2]);
	return 0;
}
