/* A library a program links (DT_NEEDED): its constructor creates a thread that sleeps 50 ms and
 * joins it, before main and (without -z initfirst ordering) possibly before libgreen's. */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

int ctor_result;

static void *nap(void *arg)
{
	usleep(50000);
	return arg;
}

__attribute__((constructor)) static void ctor(void)
{
	pthread_t t;
	void *r = NULL;

	if (pthread_create(&t, NULL, nap, (void *)7) == 0 && pthread_join(t, &r) == 0)
		ctor_result = (int)(long)r;
}
