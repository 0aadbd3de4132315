/* Classic patterns on mutex + condition variables: an event with timed waits (condattr
 * CLOCK_MONOTONIC), a timer thread, a thread pool with futures (submit, result, map, done
 * callbacks, shutdown with wait), and dining philosophers with timed locks. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- event ---- */
struct event {
	pthread_mutex_t m;
	pthread_cond_t c;
	int set;
};

static void event_init(struct event *e)
{
	pthread_condattr_t a;

	pthread_mutex_init(&e->m, NULL);
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&e->c, &a);
	pthread_condattr_destroy(&a);
	e->set = 0;
}

/* Wait up to ms for the event: 1 if set, 0 on timeout. */
static int event_wait(struct event *e, long ms)
{
	struct timespec ts;
	int r = 0;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += ms * 1000000;
	ts.tv_sec += ts.tv_nsec / 1000000000;
	ts.tv_nsec %= 1000000000;
	pthread_mutex_lock(&e->m);
	while (!e->set && r != ETIMEDOUT)
		r = pthread_cond_timedwait(&e->c, &e->m, &ts);
	r = e->set;
	pthread_mutex_unlock(&e->m);
	return r;
}

static void event_set(struct event *e)
{
	pthread_mutex_lock(&e->m);
	e->set = 1;
	pthread_cond_broadcast(&e->c);
	pthread_mutex_unlock(&e->m);
}

static struct event started, timer_fired;

static void *timer_thread(void *arg)
{
	event_set(&started);
	usleep((useconds_t)(long)arg * 1000);
	event_set(&timer_fired);
	return NULL;
}

/* ---- thread pool with futures ---- */
struct future {
	struct event done;
	long (*fn)(long);
	long arg, result;
	void (*callback)(struct future *);
	struct future *next;
};

static struct {
	pthread_mutex_t m;
	pthread_cond_t work;
	struct future *head, *tail;
	int shutdown;
	pthread_t workers[4];
} pool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, { 0 } };

static long callbacks_run, callback_sum;

static void *pool_worker(void *arg)
{
	for (;;) {
		struct future *f;
		pthread_mutex_lock(&pool.m);
		while (!pool.head && !pool.shutdown)
			pthread_cond_wait(&pool.work, &pool.m);
		if (!pool.head) {
			pthread_mutex_unlock(&pool.m);
			return arg;
		}
		f = pool.head;
		pool.head = f->next;
		if (!pool.head)
			pool.tail = NULL;
		pthread_mutex_unlock(&pool.m);
		f->result = f->fn(f->arg);
		if (f->callback)
			f->callback(f);
		event_set(&f->done);
	}
}

static struct future *submit(long (*fn)(long), long arg, void (*cb)(struct future *))
{
	struct future *f = calloc(1, sizeof *f);

	event_init(&f->done);
	f->fn = fn;
	f->arg = arg;
	f->callback = cb;
	pthread_mutex_lock(&pool.m);
	if (pool.tail)
		pool.tail->next = f;
	else
		pool.head = f;
	pool.tail = f;
	pthread_cond_signal(&pool.work);
	pthread_mutex_unlock(&pool.m);
	return f;
}

static long result(struct future *f)
{
	while (!event_wait(&f->done, 1000))
		;
	return f->result;
}

static long slow_square(long x)
{
	usleep((useconds_t)(x % 7) * 1000);
	return x * x;
}

static void count_callback(struct future *f)
{
	__atomic_add_fetch(&callbacks_run, 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&callback_sum, f->result, __ATOMIC_SEQ_CST);
}

/* ---- dining philosophers with timed locks ---- */
#define PHIL 5
static pthread_mutex_t forks[PHIL];
static int meals[PHIL];

static void *philosopher(void *arg)
{
	long i = (long)arg;
	pthread_mutex_t *left = &forks[i], *right = &forks[(i + 1) % PHIL];

	while (meals[i] < 20) {
		struct timespec ts;
		pthread_mutex_lock(left);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 2000000;
		ts.tv_sec += ts.tv_nsec / 1000000000;
		ts.tv_nsec %= 1000000000;
		if (pthread_mutex_timedlock(right, &ts) == 0) {
			meals[i]++;
			usleep(500);
			pthread_mutex_unlock(right);
		}
		pthread_mutex_unlock(left);
		usleep((useconds_t)(100 * (i + 1)));
	}
	return NULL;
}

int main(void)
{
	pthread_t t;
	struct future *fs[50];
	long sum = 0, expect = 0;

	event_init(&started);
	event_init(&timer_fired);
	printf("event wait 30 ms before set: %d\n", event_wait(&timer_fired, 30));
	pthread_create(&t, NULL, timer_thread, (void *)100L);
	printf("started: %d\n", event_wait(&started, 1000));
	printf("timer fired within 20 ms: %d\n", event_wait(&timer_fired, 20));
	printf("timer fired within 2 s: %d\n", event_wait(&timer_fired, 2000));
	pthread_join(t, NULL);

	for (int i = 0; i < 4; i++)
		pthread_create(&pool.workers[i], NULL, pool_worker, NULL);
	for (long i = 0; i < 50; i++)
		fs[i] = submit(slow_square, i, i % 2 ? count_callback : NULL);
	for (long i = 0; i < 50; i++) { /* map: results in submission order */
		sum += result(fs[i]);
		expect += i * i;
	}
	printf("pool map of 50 squares: %s\n", sum == expect ? "correct" : "WRONG");
	printf("done callbacks: %ld, their sum %ld\n", callbacks_run, callback_sum);
	pthread_mutex_lock(&pool.m);
	pool.shutdown = 1;
	pthread_cond_broadcast(&pool.work);
	pthread_mutex_unlock(&pool.m);
	for (int i = 0; i < 4; i++)
		pthread_join(pool.workers[i], NULL);
	printf("pool shut down with wait\n");

	for (int i = 0; i < PHIL; i++)
		pthread_mutex_init(&forks[i], NULL);
	pthread_t ph[PHIL];
	for (long i = 0; i < PHIL; i++)
		pthread_create(&ph[i], NULL, philosopher, (void *)i);
	for (int i = 0; i < PHIL; i++)
		pthread_join(ph[i], NULL);
	printf("philosophers: every one ate 20 meals: %d\n",
	       meals[0] == 20 && meals[1] == 20 && meals[2] == 20 && meals[3] == 20 && meals[4] == 20);
	return 0;
}
