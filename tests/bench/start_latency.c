/* New-thread start latency: main creates 1,024 threads in a row, doing a little CPU work
 * after each create; each thread records when it first ran. Prints "us_to_start=X", the mean
 * time from pthread_create's return to the thread's first instruction. Usage: start_latency */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#define N 1024
static double created[N], started[N];

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void *fn(void *a)
{
	started[(long)a] = now_us();
	return NULL;
}

int main(void)
{
	pthread_t t[N];
	volatile double x = 0;
	double s = 0;

	for (long i = 0; i < N; i++) {
		pthread_create(&t[i], NULL, fn, (void *)i);
		created[i] = now_us();
		for (int k = 0; k < 20000; k++) /* some work before the next create */
			x += k;
	}
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < N; i++)
		s += started[i] > created[i] ? started[i] - created[i] : 0;
	printf("us_to_start=%.0f\n", s / N);
	return 0;
}
