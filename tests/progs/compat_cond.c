/* A binary linked against the old condition variable ABI (pthread_cond_*@GLIBC_2.2.5, as
 * programs built before glibc 2.3.2 are): producer/consumer handoff works the same. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

__asm__(".symver pthread_cond_init, pthread_cond_init@GLIBC_2.2.5");
__asm__(".symver pthread_cond_wait, pthread_cond_wait@GLIBC_2.2.5");
__asm__(".symver pthread_cond_signal, pthread_cond_signal@GLIBC_2.2.5");
__asm__(".symver pthread_cond_broadcast, pthread_cond_broadcast@GLIBC_2.2.5");

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c;
static int value, taken;

static void *consumer(void *arg)
{
	for (int i = 0; i < 100; i++) {
		pthread_mutex_lock(&m);
		while (!value)
			pthread_cond_wait(&c, &m);
		taken += value;
		value = 0;
		pthread_cond_broadcast(&c);
		pthread_mutex_unlock(&m);
	}
	return arg;
}

int main(void)
{
	pthread_t t;

	pthread_cond_init(&c, NULL);
	pthread_create(&t, NULL, consumer, NULL);
	for (int i = 1; i <= 100; i++) {
		pthread_mutex_lock(&m);
		while (value)
			pthread_cond_wait(&c, &m);
		value = i;
		pthread_cond_signal(&c);
		pthread_mutex_unlock(&m);
		if (i % 10 == 0)
			usleep(1000);
	}
	pthread_join(t, NULL);
	printf("old-ABI condvar handoff: taken %d\n", taken);
	return 0;
}
