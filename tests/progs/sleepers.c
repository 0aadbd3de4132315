/* N threads each block 1 s in one sleep call (sleep, usleep, nanosleep, clock_nanosleep or
 * all four in turn); main counts the process's OS threads meanwhile.
 * stdout (compared with the native run): what slept and that every call returned 0.
 * stderr: "tasks=K elapsed_ms=T". Usage: sleepers N METHOD */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "os_threads.h"

static const char *method;
static int failures;

static int sleep_1s(const char *m)
{
	struct timespec ts = { 1, 0 };

	if (!strcmp(m, "sleep"))
		return (int)sleep(1);
	if (!strcmp(m, "usleep"))
		return usleep(999999) || usleep(1);
	if (!strcmp(m, "nanosleep"))
		return nanosleep(&ts, NULL);
	if (!strcmp(m, "clock_nanosleep"))
		return clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
	fprintf(stderr, "unknown method %s\n", m);
	exit(2);
}

static void *sleeper(void *arg)
{
	static const char *all[] = { "sleep", "usleep", "nanosleep", "clock_nanosleep" };
	const char *m = strcmp(method, "all") ? method : all[(long)arg % 4];

	if (sleep_1s(m))
		__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
	return arg;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	pthread_t *t = calloc((size_t)n, sizeof *t);
	struct timespec a, b;
	long bad = 0;
	int tasks;

	method = argc > 2 ? argv[2] : "all";
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, sleeper, (void *)i)) {
			perror("pthread_create");
			return 1;
		}
	usleep(300000);
	tasks = os_threads();
	for (long i = 0; i < n; i++) {
		void *r;
		if (pthread_join(t[i], &r) || r != (void *)i)
			bad++;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%d threads slept 1 s with %s: %d failed calls, %ld bad joins\n", n, method,
	       failures, bad);
	fprintf(stderr, "tasks=%d elapsed_ms=%ld\n", tasks,
		(b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000);
	return failures || bad;
}
