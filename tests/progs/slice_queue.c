/* Time slices: 8 consumers take 400,000 items from a full queue under a mutex, each doing a
 * little work per item. A consumer that keeps finding items never waits, so without time
 * slices the first green thread would take everything (CPython's queue.Queue showed it);
 * natively every consumer gets a share. Prints whether every consumer got items. */
#include <pthread.h>
#include <stdio.h>

#define CONSUMERS 8
#define ITEMS 400000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long remaining = ITEMS;
static long got[CONSUMERS];

static void *consumer(void *arg)
{
	long id = (long)arg;

	for (;;) {
		volatile unsigned work = 0;
		pthread_mutex_lock(&lock);
		if (remaining == 0) {
			pthread_mutex_unlock(&lock);
			return NULL;
		}
		remaining--;
		got[id]++;
		pthread_mutex_unlock(&lock);
		for (int i = 0; i < 1500; i++) /* the item's work: about a microsecond */
			work += (unsigned)i;
	}
}

int main(void)
{
	pthread_t c[CONSUMERS];
	long total = 0;
	int served = 0;

	for (long i = 0; i < CONSUMERS; i++)
		pthread_create(&c[i], NULL, consumer, (void *)i);
	for (int i = 0; i < CONSUMERS; i++)
		pthread_join(c[i], NULL);
	for (int i = 0; i < CONSUMERS; i++) {
		total += got[i];
		served += got[i] > 0;
	}
	printf("%ld items consumed; every consumer got items: %s\n", total, served == CONSUMERS ? "yes" : "no");
	return 0;
}
