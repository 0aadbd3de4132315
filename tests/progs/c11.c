/* C11 threads: thrd_create/join with int results, thrd_exit, thrd_detach, thrd_current,
 * thrd_equal, thrd_yield, thrd_sleep. stderr: the OS thread count while 50 threads sleep. */
#include <stdio.h>
#include <threads.h>
#include <time.h>

#include "os_threads.h"

static thrd_t ids[50];

static int worker(void *arg)
{
	int i = (int)(long)arg;
	struct timespec ts = { 0, 200000000 };

	ids[i] = thrd_current();
	thrd_yield();
	thrd_sleep(&ts, NULL);
	if (i % 2)
		thrd_exit(i * 3);
	return i * 3;
}

int main(void)
{
	thrd_t t[50];
	int sum = 0, res, equal = 1;
	struct timespec ts = { 0, 50000000 };

	for (long i = 0; i < 50; i++)
		if (thrd_create(&t[i], worker, (void *)i) != thrd_success)
			return 1;
	thrd_sleep(&ts, NULL);
	fprintf(stderr, "tasks=%d\n", os_threads());
	for (int i = 0; i < 50; i++) {
		equal &= thrd_equal(t[i], ids[i]) && !thrd_equal(t[i], thrd_current());
		if (thrd_join(t[i], &res) != thrd_success)
			return 1;
		sum += res;
	}
	printf("sum of results %d, ids equal %d\n", sum, equal);
	if (thrd_create(&t[0], worker, (void *)0) != thrd_success || thrd_detach(t[0]) != thrd_success)
		return 1;
	printf("join of detached: %s\n", thrd_join(t[0], &res) == thrd_error ? "thrd_error" : "other");
	thrd_sleep(&(struct timespec){ 0, 300000000 }, NULL);
	return 0;
}
