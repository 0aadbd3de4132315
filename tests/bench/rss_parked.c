/* N threads with 64 KiB stacks park in sleep(); prints "kib_per_thread=X", the growth of the
 * process's resident memory divided by N. Usage: rss_parked [N] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long rss_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			kib = atol(line + 6);
	if (f)
		fclose(f);
	return kib;
}

static void *park(void *arg)
{
	sleep(2);
	return arg;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000;
	pthread_t *t = calloc((size_t)n, sizeof *t);
	pthread_attr_t a;
	long before, after;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 << 10);
	before = rss_kib();
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], &a, park, NULL))
			return 1;
	usleep(500000);
	after = rss_kib();
	printf("kib_per_thread=%.2f\n", (double)(after - before) / n);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}
