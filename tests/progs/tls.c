/* What a program's own __thread variables mean under libgreen: one copy per OS thread, shared
 * by all green threads on it (libgreen does not swap the thread pointer, HAZARDS H22). errno is
 * the exception: libgreen saves it per green thread. Prints what thread A sees after B wrote. */
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
