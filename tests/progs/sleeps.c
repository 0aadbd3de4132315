/* Sleep-call semantics: return values, errno, EINVAL/EFAULT, absolute deadlines on each clock,
 * remaining time untouched, never waking early, and C11 thrd_sleep. Runs in a second thread
 * so that every call is made from a created thread as well as from main. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

static long ms_since(clockid_t clk, struct timespec a)
{
	struct timespec b;

	clock_gettime(clk, &b);
	return (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
}

static const char *en(int e)
{
	return e ? strerrorname_np(e) : "0";
}

static void check(const char *who)
{
	struct timespec ts, rem = { 99, 99 }, start;
	int r, early = 0;

	printf("[%s]\n", who);
	ts = (struct timespec){ 0, 1000000000 };
	errno = 0;
	r = nanosleep(&ts, NULL);
	printf("nanosleep nsec=1e9: %d %s\n", r, en(errno));
	ts = (struct timespec){ -1, 0 };
	errno = 0;
	r = nanosleep(&ts, NULL);
	printf("nanosleep sec=-1: %d %s\n", r, en(errno));
	errno = 0;
	r = nanosleep(NULL, NULL);
	printf("nanosleep NULL: %d %s\n", r, en(errno));
	errno = 0;
	r = nanosleep((const struct timespec *)8, NULL);
	printf("nanosleep bad pointer: %d %s\n", r, en(errno));
	ts = (struct timespec){ 0, 20000000 };
	errno = 0;
	r = nanosleep(&ts, &rem);
	printf("nanosleep 20 ms: %d errno %s rem untouched %d\n", r, en(errno), rem.tv_sec == 99 && rem.tv_nsec == 99);
	printf("clock_nanosleep THREAD_CPUTIME: %s\n", en(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &ts, NULL)));
	printf("clock_nanosleep clock 1234: %s\n", en(clock_nanosleep(1234, 0, &ts, NULL)));
	ts = (struct timespec){ 0, -1 };
	printf("clock_nanosleep nsec=-1: %s\n", en(clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL)));
	printf("clock_nanosleep bad pointer: %s\n", en(clock_nanosleep(CLOCK_MONOTONIC, 0, (void *)8, NULL)));
	ts = (struct timespec){ 0, 0 };
	printf("clock_nanosleep ABSTIME 0 (past): %s\n", en(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL)));
	{
		static const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_TAI };
		static const char *names[] = { "REALTIME", "MONOTONIC", "BOOTTIME", "TAI" };
		for (int i = 0; i < 4; i++) {
			clock_gettime(clocks[i], &start);
			ts = start;
			ts.tv_nsec += 30000000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			r = clock_nanosleep(clocks[i], TIMER_ABSTIME, &ts, NULL);
			long ms = ms_since(clocks[i], start);
			printf("clock_nanosleep %s ABSTIME +30 ms: %s, on time %d\n", names[i], en(r), ms >= 30 && ms < 1000);
			clock_gettime(clocks[i], &start);
			ts = (struct timespec){ 0, 30000000 };
			r = clock_nanosleep(clocks[i], 0, &ts, NULL);
			ms = ms_since(clocks[i], start);
			printf("clock_nanosleep %s relative 30 ms: %s, on time %d\n", names[i], en(r), ms >= 30 && ms < 1000);
		}
	}
	printf("sleep(0): %u\n", sleep(0));
	printf("usleep(0): %d\n", usleep(0));
	clock_gettime(CLOCK_MONOTONIC, &start);
	r = (int)sleep(1);
	printf("sleep(1): %d, took >= 1 s %d\n", r, ms_since(CLOCK_MONOTONIC, start) >= 1000);
	for (int i = 0; i < 200; i++) {
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		usleep(200);
		clock_gettime(CLOCK_MONOTONIC, &b);
		early += (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) < 200000;
	}
	printf("usleep(200) x 200 woke early: %d\n", early);
	ts = (struct timespec){ 0, 10000000 };
	printf("thrd_sleep 10 ms: %d\n", thrd_sleep(&ts, NULL));
	ts = (struct timespec){ 0, -5 };
	printf("thrd_sleep invalid: %d\n", thrd_sleep(&ts, NULL));
}

static void *in_thread(void *arg)
{
	check(arg);
	return NULL;
}

int main(void)
{
	pthread_t t;

	check("main");
	pthread_create(&t, NULL, in_thread, "thread");
	pthread_join(t, NULL);
	return 0;
}
