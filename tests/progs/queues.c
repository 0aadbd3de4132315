/* Bounded FIFO, LIFO and priority queues (mutex + two condition variables) between 8 producers
 * and 8 consumers: every item is consumed exactly once (count and checksum), the bound is never
 * exceeded, and a priority queue hands out its highest item. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CAP 16
#define PRODUCERS 8
#define CONSUMERS 8
#define PER_PRODUCER 5000

enum kind { FIFO, LIFO, PRIO };

struct queue {
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	long items[CAP];
	int head, count, max_count;
	enum kind kind;
	long consumed, sum, prio_violations;
	int producers_left;
};

static void put(struct queue *q, long v)
{
	pthread_mutex_lock(&q->lock);
	while (q->count == CAP)
		pthread_cond_wait(&q->not_full, &q->lock);
	if (q->kind == FIFO)
		q->items[(q->head + q->count) % CAP] = v;
	else
		q->items[q->count] = v;
	q->count++;
	if (q->count > q->max_count)
		q->max_count = q->count;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->lock);
}

/* Returns -1 when every producer is done and the queue is empty. */
static long get(struct queue *q)
{
	long v;

	pthread_mutex_lock(&q->lock);
	while (q->count == 0 && q->producers_left)
		pthread_cond_wait(&q->not_empty, &q->lock);
	if (q->count == 0) {
		pthread_mutex_unlock(&q->lock);
		return -1;
	}
	if (q->kind == FIFO) {
		v = q->items[q->head];
		q->head = (q->head + 1) % CAP;
	} else if (q->kind == LIFO) {
		v = q->items[q->count - 1];
	} else {
		int best = 0;
		for (int i = 1; i < q->count; i++)
			if (q->items[i] > q->items[best])
				best = i;
		v = q->items[best];
		for (int i = 0; i < q->count; i++)
			if (q->items[i] > v)
				q->prio_violations++;
		q->items[best] = q->items[q->count - 1];
	}
	q->count--;
	pthread_cond_signal(&q->not_full);
	pthread_mutex_unlock(&q->lock);
	return v;
}

static void *producer(void *arg)
{
	struct queue *q = arg;
	static int next_id;
	int id = __atomic_fetch_add(&next_id, 1, __ATOMIC_RELAXED) % PRODUCERS;

	for (long i = 0; i < PER_PRODUCER; i++) {
		put(q, id * PER_PRODUCER + i + 1);
		if (i % 100 == 0)
			usleep(100);
	}
	pthread_mutex_lock(&q->lock);
	if (--q->producers_left == 0)
		pthread_cond_broadcast(&q->not_empty);
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

static void *consumer(void *arg)
{
	struct queue *q = arg;
	long v, n = 0, sum = 0;

	while ((v = get(q)) >= 0) {
		n++;
		sum += v;
	}
	pthread_mutex_lock(&q->lock);
	q->consumed += n;
	q->sum += sum;
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

static void run(enum kind kind, const char *name)
{
	static const pthread_mutex_t minit = PTHREAD_MUTEX_INITIALIZER;
	static const pthread_cond_t cinit = PTHREAD_COND_INITIALIZER;
	struct queue q;
	pthread_t p[PRODUCERS], c[CONSUMERS];
	long total = (long)PRODUCERS * PER_PRODUCER;

	memset(&q, 0, sizeof q);
	q.lock = minit;
	q.not_empty = q.not_full = cinit;
	q.kind = kind;
	q.producers_left = PRODUCERS;
	for (int i = 0; i < CONSUMERS; i++)
		pthread_create(&c[i], NULL, consumer, &q);
	for (int i = 0; i < PRODUCERS; i++)
		pthread_create(&p[i], NULL, producer, &q);
	for (int i = 0; i < PRODUCERS; i++)
		pthread_join(p[i], NULL);
	for (int i = 0; i < CONSUMERS; i++)
		pthread_join(c[i], NULL);
	printf("%s: consumed %ld of %ld, checksum ok %d, bound kept %d, priority order kept %d\n",
	       name, q.consumed, total, q.sum == total * (total + 1) / 2, q.max_count <= CAP,
	       q.prio_violations == 0);
}

int main(void)
{
	run(FIFO, "fifo");
	run(LIFO, "lifo");
	run(PRIO, "priority");
	return 0;
}
