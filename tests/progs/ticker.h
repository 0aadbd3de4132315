/* Shared by test programs: a thread that counts ticks, to show other threads keep running while
 * one waits. Start it with pthread_create(&t, NULL, ticker, (void *)PERIOD_US); clear ticking
 * to stop it. */
#ifndef TESTS_PROGS_TICKER_H
#define TESTS_PROGS_TICKER_H

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

#endif
