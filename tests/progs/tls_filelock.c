/* FILE locks exclude other threads across a park: while A holds flockfile(stdout) and sleeps,
 * B's ftrylockfile answers busy, B's printf waits for A's funlockfile, and C's flockfile waits
 * too (natively the kernel blocks them; green they park, nothing hangs). The output order is
 * fixed by the lock, the same natively and green. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_barrier_t held;

static void *holder(void *arg)
{
	(void)arg;
	flockfile(stdout);
	flockfile(stdout); /* recursive */
	pthread_barrier_wait(&held);
	printf("A: holds stdout\n");
	usleep(100000); /* B and C try meanwhile */
	printf("A: still holds it after sleeping\n");
	funlockfile(stdout);
	printf("A: released one level\n");
	usleep(20000);
	printf("A: releases it\n");
	funlockfile(stdout);
	return NULL;
}

static void *trier(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&held);
	usleep(10000);
	int busy = ftrylockfile(stdout) != 0;
	if (!busy)
		funlockfile(stdout);
	printf("B: ftrylockfile was %s; this line comes after A's\n", busy ? "busy" : "free");
	return NULL;
}

static void *locker(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&held);
	usleep(50000);
	flockfile(stdout);
	printf("C: got the lock\n");
	funlockfile(stdout);
	return NULL;
}

int main(void)
{
	pthread_t a, b, c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	pthread_barrier_init(&held, NULL, 2);
	pthread_create(&a, NULL, holder, NULL);
	pthread_create(&b, NULL, trier, NULL);
	pthread_join(b, NULL);
	pthread_barrier_destroy(&held);
	pthread_barrier_init(&held, NULL, 2);
	pthread_join(a, NULL);
	/* the second scenario: flockfile waits (C) */
	pthread_create(&a, NULL, holder, NULL);
	pthread_create(&c, NULL, locker, NULL);
	pthread_join(a, NULL);
	pthread_join(c, NULL);
	return 0;
}
