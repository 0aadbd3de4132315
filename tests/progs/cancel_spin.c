/* Asynchronous cancellation of a thread that spins without any call: the cleanup handler runs,
 * the join sees PTHREAD_CANCELED. Natively the kernel's signal interrupts the loop; under
 * libgreen the thread is cancelled at a preemption point. A second thread spins with deferred
 * cancellation and is cancelled at its next cancellation point (it polls a flag, then calls
 * pthread_testcancel). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static atomic_int stop_deferred;
static volatile unsigned long spins;

static void cleanup(void *what)
{
	printf("cleanup handler of the %s thread ran\n", (const char *)what);
}

static void *async_spinner(void *arg)
{
	(void)arg;
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
	pthread_cleanup_push(cleanup, "asynchronous");
	for (;;)
		spins++; /* no call: only an asynchronous cancel ends this */
	pthread_cleanup_pop(0);
	return NULL;
}

static void *deferred_spinner(void *arg)
{
	(void)arg;
	pthread_cleanup_push(cleanup, "deferred");
	while (!atomic_load(&stop_deferred))
		;
	pthread_testcancel();
	pthread_cleanup_pop(0);
	return NULL;
}

int main(void)
{
	pthread_t a, d;
	void *ra, *rd;
	struct timespec ms50 = { 0, 50000000 };

	pthread_create(&a, NULL, async_spinner, NULL);
	pthread_create(&d, NULL, deferred_spinner, NULL);
	nanosleep(&ms50, NULL);
	pthread_cancel(a);
	pthread_join(a, &ra);
	printf("asynchronous spinner: %s\n", ra == PTHREAD_CANCELED ? "cancelled" : "not cancelled");
	pthread_cancel(d);
	atomic_store(&stop_deferred, 1);
	pthread_join(d, &rd);
	printf("deferred spinner: %s\n", rd == PTHREAD_CANCELED ? "cancelled" : "not cancelled");
	return 0;
}
