/* Four threads each add to a shared counter 10,000 times, yielding (sched_yield or
 * pthread_yield) after every step; the total must be exact and every thread must finish. */
#include <pthread.h>
#include <sched.h>
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <stdint.h>
#include <stdio.h>

static volatile long counter;

static void *adder(void *arg)
{
	long turns = 0;

	for (int i = 0; i < 10000; i++) {
		__atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
		if ((intptr_t)arg % 2)
			sched_yield();
		else
			pthread_yield();
		turns++;
	}
	return (void *)turns;
}

int main(void)
{
	pthread_t t[4];
	long turns = 0;

	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, adder, (void *)i);
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		turns += (long)r;
	}
	printf("counter %ld, turns %ld\n", counter, turns);
	return counter != 40000;
}
