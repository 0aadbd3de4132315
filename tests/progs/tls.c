/* A program's own __thread variable and errno after another thread wrote its own: each thread's
 * (natively, and green with TLS per green thread); with GREEN_TLS=shared the green threads of
 * the OS thread share the variable, while errno is still saved per green thread. Prints what
 * thread A sees after B wrote. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static __thread int tls_value;

static void *thread_a(void *arg)
{
	(void)arg;
	tls_value = 1;
	errno = 11;
	usleep(50000); /* B runs and writes its own */
	printf("A's __thread value after B wrote 2: %d; A's errno: %d\n", tls_value, errno);
	return NULL;
}

static void *thread_b(void *arg)
{
	(void)arg;
	usleep(10000);
	tls_value = 2;
	errno = 22;
	return NULL;
}

int main(void)
{
	pthread_t a, b;

	pthread_create(&a, NULL, thread_a, NULL);
	pthread_create(&b, NULL, thread_b, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
