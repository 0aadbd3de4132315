/* A new thread starts with errno 0 whatever its creator's errno was. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

static void *report(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)errno;
}

int main(void)
{
	pthread_t t;
	void *r;

	errno = 77;
	pthread_create(&t, NULL, report, NULL);
	pthread_join(t, &r);
	printf("errno in a new thread: %ld; creator's errno after join: %d\n", (long)r, errno);
	return 0;
}
