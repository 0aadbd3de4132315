/* The reference deadlock: thread 1 holds A and wants B, thread 2 holds B and wants A. Natively
 * it hangs for ever; libgreen reports both threads and the mutexes they wait for. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

static void *one(void *arg)
{
	pthread_setname_np(pthread_self(), "holds-a");
	pthread_mutex_lock(&a);
	usleep(10000);
	pthread_mutex_lock(&b);
	return arg;
}

static void *two(void *arg)
{
	pthread_setname_np(pthread_self(), "holds-b");
	pthread_mutex_lock(&b);
	usleep(10000);
	pthread_mutex_lock(&a);
	return arg;
}

int main(void)
{
	pthread_t t1, t2;

	printf("mutex A %p, mutex B %p\n", (void *)&a, (void *)&b);
	fflush(stdout);
	pthread_create(&t1, NULL, one, NULL);
	pthread_create(&t2, NULL, two, NULL);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	printf("not reached\n");
	return 0;
}
