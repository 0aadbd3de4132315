/* Shared by test programs: the absolute time ms milliseconds from now on clock clk, as the
 * timed waits (timedjoin, timedlock, sem_timedwait...) take it. */
#ifndef TESTS_PROGS_DEADLINE_H
#define TESTS_PROGS_DEADLINE_H

#include <time.h>

static inline struct timespec in_ms(clockid_t clk, long ms)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000;
	ts.tv_sec += ts.tv_nsec / 1000000000;
	ts.tv_nsec %= 1000000000;
	return ts;
}

#endif
