/* Shared by test programs: a thread that counts ticks, to show other threads keep running while
 * one waits. Start it with pthread_create(&t, NULL, ticker, (void *)PERIOD_US); clear ticking
 * to stop it; or run a function beside one with ticker_beside. */
#ifndef TESTS_PROGS_TICKER_H
#define TESTS_PROGS_TICKER_H

#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

static volatile int ticking = 1, ticks;

static void *ticker(void *period_us)
{
	while (ticking) {
		usleep((useconds_t)(uintptr_t)period_us);
		ticks++;
	}
	return NULL;
}

/* Run fn(arg) in a thread of its own beside a ticker of period_us, join both, and return how
 * many ticks came meanwhile. */
static inline int ticker_beside(void *(*fn)(void *), void *arg, long period_us)
{
	pthread_t t, tk;

	pthread_create(&tk, NULL, ticker, (void *)(uintptr_t)period_us);
	pthread_create(&t, NULL, fn, arg);
	pthread_join(t, NULL);
	ticking = 0;
	pthread_join(tk, NULL);
	return ticks;
}

#endif
