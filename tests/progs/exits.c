/* Process exit paths. Usage: exits MODE
 *   return       main returns 3 while 100 threads sleep: atexit handlers run once, status 3
 *   exit         a thread calls exit(4) while others sleep: status 4, handlers run once
 *   main_pexit   main calls pthread_exit; workers finish later; status 0 after the last
 *   atexit_join  an atexit handler creates and joins a sleeping thread */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int handler_runs;

static void at_exit(void)
{
	printf("atexit handler run %d\n", ++handler_runs);
	fflush(stdout);
}

static void *sleeper(void *arg)
{
	(void)arg;
	sleep(10);
	printf("a sleeper woke up: wrong\n");
	return NULL;
}

static void *exiter(void *arg)
{
	(void)arg;
	usleep(50000);
	exit(4);
}

static void *late_worker(void *arg)
{
	usleep((useconds_t)(uintptr_t)arg * 1000);
	printf("worker done after %lu ms\n", (unsigned long)(uintptr_t)arg);
	return NULL;
}

static void *short_nap(void *arg)
{
	usleep(100000);
	return arg;
}

static void at_exit_join(void)
{
	pthread_t t;
	void *r;

	pthread_create(&t, NULL, short_nap, (void *)9);
	pthread_join(t, &r);
	printf("atexit handler joined a thread: %ld\n", (long)r);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "return";
	pthread_t t;

	if (!strcmp(mode, "atexit_join")) {
		atexit(at_exit_join);
		printf("main returns\n");
		return 0;
	}
	atexit(at_exit);
	if (!strcmp(mode, "main_pexit")) {
		pthread_create(&t, NULL, late_worker, (void *)300);
		pthread_create(&t, NULL, late_worker, (void *)100);
		printf("main calls pthread_exit\n");
		fflush(stdout);
		pthread_exit(NULL);
	}
	for (int i = 0; i < 100; i++)
		pthread_create(&t, NULL, sleeper, NULL);
	if (!strcmp(mode, "exit")) {
		pthread_create(&t, NULL, exiter, NULL);
		pthread_join(t, NULL);
		printf("not reached\n");
	}
	usleep(20000);
	printf("main returns 3\n");
	return 3;
}
