/* errno and h_errno belong to each thread: 50 threads set distinct values, block and yield many
 * times, and check their values survived every switch. */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

static void *worker(void *arg)
{
	int mine = (int)(intptr_t)arg, bad = 0;

	for (int i = 0; i < 20; i++) {
		errno = 1000 + mine + i;
		h_errno = 2000 + mine + i;
		if (i % 2)
			usleep(1000);
		else
			sched_yield();
		bad += errno != 1000 + mine + i;
		bad += h_errno != 2000 + mine + i;
	}
	return (void *)(intptr_t)bad;
}

int main(void)
{
	pthread_t t[50];
	long bad = 0;

	errno = 0;
	for (int i = 0; i < 50; i++)
		pthread_create(&t[i], NULL, worker, (void *)(intptr_t)(i * 100));
	errno = 4242;
	usleep(5000);
	bad += errno != 4242;
	for (int i = 0; i < 50; i++) {
		void *r;
		pthread_join(t[i], &r);
		bad += (long)r;
	}
	printf("errno/h_errno mismatches across switches: %ld\n", bad);
	return bad != 0;
}
