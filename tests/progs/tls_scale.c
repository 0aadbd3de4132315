/* 10,000 threads at once, each keeping its own __thread values and errno across two parks
 * while all the others run. Prints how many values were wrong. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static __thread long mine;
static __thread char tag[32];
static int wrong;

static void *worker(void *arg)
{
	long id = (long)arg;

	mine = id;
	snprintf(tag, sizeof tag, "t%ld", id);
	errno = (int)(id % 1000);
	usleep(1000);
	wrong += mine != id || errno != (int)(id % 1000);
	mine = -id;
	usleep(1000);
	{
		char want[32];
		snprintf(want, sizeof want, "t%ld", id);
		wrong += mine != -id || strcmp(tag, want) != 0;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000;
	pthread_t *t = calloc((size_t)n, sizeof *t);
	pthread_attr_t a;
	int made = 0;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 << 10);
	for (long i = 0; i < n; i++)
		made += pthread_create(&t[i], &a, worker, (void *)i) == 0;
	for (int i = 0; i < made; i++)
		pthread_join(t[i], NULL);
	printf("%d threads, %d wrong values\n", made, wrong);
	return 0;
}
