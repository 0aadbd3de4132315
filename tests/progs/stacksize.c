/* Prints the stack size pthread_getattr_np reports in a thread created without a size and in
 * one created with an explicit 1 MiB. */
#include <pthread.h>
#include <stdio.h>

static void *size_of_own_stack(void *arg)
{
	pthread_attr_t a;
	size_t s = 0;

	(void)arg;
	pthread_getattr_np(pthread_self(), &a);
	pthread_attr_getstacksize(&a, &s);
	pthread_attr_destroy(&a);
	return (void *)s;
}

int main(void)
{
	pthread_t t;
	pthread_attr_t a;
	void *d, *e;

	pthread_create(&t, NULL, size_of_own_stack, NULL);
	pthread_join(t, &d);
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 1 << 20);
	pthread_create(&t, &a, size_of_own_stack, NULL);
	pthread_join(t, &e);
	printf("default=%zu explicit=%zu\n", (size_t)d, (size_t)e);
	return 0;
}
