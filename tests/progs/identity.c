/* Thread identity: pthread_self distinct per thread and stable across blocking calls,
 * pthread_equal, names, pthread_kill(t, 0), scheduling parameters, CPU clock id, C11 ids. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

#define N 20
static pthread_t seen[N];
static pthread_t created[N];
static int stable = 1;

static void *who(void *arg)
{
	long i = (long)(intptr_t)arg;
	char name[16];

	seen[i] = pthread_self();
	snprintf(name, sizeof name, "worker-%ld", i);
	pthread_setname_np(pthread_self(), name);
	usleep(10000);
	if (!pthread_equal(seen[i], pthread_self()))
		stable = 0;
	sched_yield();
	if (seen[i] != pthread_self() || thrd_current() != (thrd_t)pthread_self())
		stable = 0;
	usleep(50000);
	return NULL;
}

int main(void)
{
	int distinct = 1, names = 1, kill0 = 1, equal_created = 1;
	char buf[16], tiny[4];
	struct sched_param sp;
	int policy;
	clockid_t clk;

	for (long i = 0; i < N; i++)
		pthread_create(&created[i], NULL, who, (void *)(intptr_t)i);
	usleep(20000);
	for (int i = 0; i < N; i++) {
		char want[16];
		snprintf(want, sizeof want, "worker-%d", i);
		if (pthread_getname_np(created[i], buf, sizeof buf) || strcmp(buf, want))
			names = 0;
		if (pthread_kill(created[i], 0))
			kill0 = 0;
		if (!pthread_equal(created[i], seen[i]))
			equal_created = 0;
		for (int j = 0; j < i; j++)
			if (pthread_equal(seen[i], seen[j]) || pthread_equal(seen[i], pthread_self()))
				distinct = 0;
	}
	printf("handles distinct %d, equal to pthread_create's %d, stable %d\n", distinct,
	       equal_created, stable);
	printf("names round-trip %d, pthread_kill(t, 0) == 0: %d\n", names, kill0);
	printf("setname 16 chars: %s\n", strerrorname_np(pthread_setname_np(created[0], "0123456789abcdef")));
	printf("getname into 4 bytes: %s\n", strerrorname_np(pthread_getname_np(created[0], tiny, sizeof tiny)));
	printf("pthread_kill bad signal: %s\n", strerrorname_np(pthread_kill(created[0], 999)));
	pthread_getschedparam(created[1], &policy, &sp);
	printf("sched policy %d priority %d\n", policy, sp.sched_priority);
	sp.sched_priority = 5;
	printf("setschedparam OTHER prio 5: %s\n", strerrorname_np(pthread_setschedparam(created[1], SCHED_OTHER, &sp)));
	printf("getcpuclockid: %d\n", pthread_getcpuclockid(created[2], &clk) == 0);
	for (int i = 0; i < N; i++)
		pthread_join(created[i], NULL);
	return 0;
}
