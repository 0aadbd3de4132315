/* Address space held by the stacks of finished threads must not make new threads fail:
 * 200 threads with 8 MiB stacks finish together and are joined without a pause (their stacks
 * stay cached), then 200 threads with 9 MiB stacks are created, under an RLIMIT_AS that
 * cannot hold both sets. Natively the finished stacks are gone; under libgreen a failed
 * mapping must give the cache back and try again. */
#include <pthread.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#define N 200

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int go, done;

static void *held(void *arg)
{
	pthread_mutex_lock(&m);
	while (!go)
		pthread_cond_wait(&c, &m);
	done++;
	pthread_mutex_unlock(&m);
	return arg;
}

int main(void)
{
	struct rlimit rl;
	pthread_t t[N];
	pthread_attr_t a;
	int failed = 0, ok = 0;

	getrlimit(RLIMIT_AS, &rl);
	rl.rlim_cur = 3ull << 30;
	setrlimit(RLIMIT_AS, &rl);
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 8 << 20);
	for (int i = 0; i < N; i++)
		failed += pthread_create(&t[i], &a, held, NULL) != 0;
	pthread_mutex_lock(&m);
	go = 1;
	pthread_cond_broadcast(&c);
	while (done < N - failed) { /* every one finishes before the joins */
		pthread_mutex_unlock(&m);
		sched_yield();
		pthread_mutex_lock(&m);
	}
	pthread_mutex_unlock(&m);
	for (int i = 0; i < N - failed; i++)
		pthread_join(t[i], NULL);
	printf("first set: %d of %d created\n", N - failed, N);
	pthread_attr_setstacksize(&a, 9 << 20);
	go = 0;
	for (int i = 0; i < N; i++) /* all alive at once: 1.8 GiB */
		if (pthread_create(&t[ok], &a, held, NULL) == 0)
			ok++;
	pthread_mutex_lock(&m);
	go = 1;
	pthread_cond_broadcast(&c);
	pthread_mutex_unlock(&m);
	for (int i = 0; i < ok; i++)
		pthread_join(t[i], NULL);
	printf("second set, 9 MiB stacks, all alive: %d of %d created\n", ok, N);
	return 0;
}
