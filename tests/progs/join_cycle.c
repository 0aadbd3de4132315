/* A real deadlock: main joins A, A joins B, B joins main. Natively this hangs for ever; under
 * libgreen the deadlock report names every thread and what it joins. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_t main_t, a, b;

static void *thread_b(void *arg)
{
	(void)arg;
	usleep(10000);
	pthread_join(main_t, NULL);
	return NULL;
}

static void *thread_a(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "joiner-a");
	pthread_join(b, NULL);
	return NULL;
}

int main(void)
{
	main_t = pthread_self();
	pthread_create(&b, NULL, thread_b, NULL);
	pthread_create(&a, NULL, thread_a, NULL);
	printf("main joins A\n");
	fflush(stdout);
	pthread_join(a, NULL);
	printf("not reached\n");
	return 0;
}
