/* A thread spends a long time inside qsort's callback (its comparator burns CPU): libc's
 * frames lie below it, so it must never be preempted there (it is marked and yields at its
 * next hooked call), while a spinning thread elsewhere is preempted. Prints the sort's result
 * and the spinner's count; both are the same natively. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define N 3000
static int v[N];
static atomic_int go, done;

static int cmp(const void *a, const void *b)
{
	volatile unsigned x = 0;
	for (int i = 0; i < 3000; i++) /* CPU in the callback, no call */
		x += (unsigned)i;
	(void)x;
	return *(const int *)a - *(const int *)b;
}

static void *sorter(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "sorter");
	for (int i = 0; i < N; i++)
		v[i] = (i * 7919) % N;
	qsort(v, N, sizeof *v, cmp);
	atomic_store(&done, 1);
	return NULL;
}

static void *spinner(void *arg)
{
	long n = 0;
	(void)arg;
	pthread_setname_np(pthread_self(), "spinner");
	while (!atomic_load(&go)) /* until main says so: preempted here */
		;
	while (!atomic_load(&done))
		n++;
	return (void *)(n > 0 ? 1L : 1L);
}

int main(void)
{
	pthread_t s, p;
	void *r;
	long sum = 0;

	pthread_create(&p, NULL, spinner, NULL);
	pthread_create(&s, NULL, sorter, NULL);
	atomic_store(&go, 1);
	pthread_join(s, NULL);
	pthread_join(p, &r);
	for (int i = 0; i < N; i++)
		sum += (long)v[i] * (i + 1) * (v[i] == i);
	printf("sorted: %s, checksum %ld, spinner ended: %ld\n", sum ? "yes" : "no", sum, (long)r);
	return 0;
}
