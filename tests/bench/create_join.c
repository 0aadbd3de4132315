/* pthread_create + pthread_join of a trivial thread, one pair at a time: 100 batches of 1000
 * pairs; prints "ns_per_create_join=X", the median batch's time per pair. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void *nothing(void *arg)
{
	return arg;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int batches = argc > 1 ? atoi(argv[1]) : 100;
	double *ns = calloc((size_t)batches, sizeof *ns);

	for (int b = 0; b < batches; b++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (int i = 0; i < 1000; i++) {
			pthread_t t;
			if (pthread_create(&t, NULL, nothing, NULL) || pthread_join(t, NULL))
				return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ns[b] = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1000.0;
	}
	qsort(ns, (size_t)batches, sizeof *ns, cmp);
	printf("ns_per_create_join=%.1f\n", ns[batches / 2]);
	return 0;
}
