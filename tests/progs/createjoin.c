/* Create and join N threads one after another, then N more in batches of 100 running at once;
 * every return value is checked. Usage: createjoin N */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void *echo(void *arg)
{
	return (void *)((uintptr_t)arg * 2 + 1);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000, bad = 0;
	pthread_t t[100];

	for (long i = 0; i < n; i++) {
		void *r;
		if (pthread_create(&t[0], NULL, echo, (void *)i) || pthread_join(t[0], &r))
			return 1;
		bad += r != (void *)(i * 2 + 1);
	}
	for (long i = 0; i < n; i += 100) {
		for (long j = 0; j < 100; j++)
			if (pthread_create(&t[j], NULL, echo, (void *)(i + j)))
				return 1;
		for (long j = 0; j < 100; j++) {
			void *r;
			if (pthread_join(t[j], &r))
				return 1;
			bad += r != (void *)((i + j) * 2 + 1);
		}
	}
	printf("%ld sequential and %ld batched create/join pairs, %ld wrong results\n", n, n, bad);
	return bad != 0;
}
