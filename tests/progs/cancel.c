/* Cancellation: threads cancelled in sleep, read-free cancellation points (nanosleep, join,
 * condition wait, sem_wait, testcancel) join with PTHREAD_CANCELED; a cancelled condition wait
 * re-acquires the mutex before its cleanup handler runs; cleanup handlers run for the right
 * thread only, innermost first; disabled cancellation is deferred until enabled. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static sem_t sem;
static char log_buf[512];

static void note(const char *s)
{
	strcat(log_buf, s);
	strcat(log_buf, " ");
}

static void cleanup_note(void *arg)
{
	note(arg);
}

static void unlock_after_checking(void *arg)
{
	/* POSIX: a cancelled condition wait holds the mutex when handlers run. */
	note(pthread_mutex_trylock(&m) == EBUSY ? "cond-handler-holds-mutex" : "cond-handler-WITHOUT-mutex");
	pthread_mutex_unlock(arg);
}

static void *in_sleep(void *arg)
{
	pthread_cleanup_push(cleanup_note, "sleep-outer");
	pthread_cleanup_push(cleanup_note, "sleep-inner");
	sleep(10);
	note("sleep-NOT-CANCELLED");
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	return arg;
}

static void *in_cond(void *arg)
{
	pthread_mutex_lock(&m);
	pthread_cleanup_push(unlock_after_checking, &m);
	for (;;)
		pthread_cond_wait(&c, &m);
	pthread_cleanup_pop(1);
	return arg;
}

static void *in_sem(void *arg)
{
	pthread_cleanup_push(cleanup_note, "sem");
	sem_wait(&sem);
	pthread_cleanup_pop(0);
	return arg;
}

static void *in_join(void *arg)
{
	pthread_cleanup_push(cleanup_note, "join");
	pthread_join(*(pthread_t *)arg, NULL);
	pthread_cleanup_pop(0);
	return NULL;
}

static void *disabled_then_test(void *arg)
{
	int old;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	usleep(50000); /* a cancel arrives meanwhile: deferred */
	note("disabled-sleep-finished");
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
	pthread_cleanup_push(cleanup_note, "testcancel");
	for (;;)
		pthread_testcancel();
	pthread_cleanup_pop(0);
	return arg;
}

static void *pops_and_runs(void *arg)
{
	pthread_cleanup_push(cleanup_note, "popped-with-execute");
	usleep(1000);
	pthread_cleanup_pop(1);
	return arg;
}

/* HAZARDS H3: A pushes h1 and sleeps; B pushes h2 and sleeps; A pops without running and
 * returns; B calls pthread_exit: only h2 runs, once, on B. */
static void *interleave_a(void *arg)
{
	pthread_cleanup_push(cleanup_note, "h1-WRONG");
	usleep(20000);
	pthread_cleanup_pop(0);
	return arg;
}

static void *interleave_b(void *arg)
{
	pthread_cleanup_push(cleanup_note, "h2");
	usleep(40000);
	pthread_exit(arg);
	pthread_cleanup_pop(0);
	return NULL;
}

static void cancel_and_join(const char *label, void *(*fn)(void *), void *arg)
{
	pthread_t t;
	void *r;

	pthread_create(&t, NULL, fn, arg);
	usleep(20000);
	int e = pthread_cancel(t);
	int j = pthread_join(t, &r);
	printf("%s: cancel %d join %d result %s\n", label, e, j, r == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "other");
}

int main(void)
{
	pthread_t forever, t;
	int old;

	sem_init(&sem, 0, 0);
	cancel_and_join("sleep", in_sleep, NULL);
	cancel_and_join("cond wait", in_cond, NULL);
	cancel_and_join("sem_wait", in_sem, NULL);
	pthread_create(&forever, NULL, in_sleep, NULL);
	cancel_and_join("join", in_join, &forever);
	pthread_cancel(forever);
	pthread_join(forever, NULL);
	cancel_and_join("disabled then testcancel", disabled_then_test, NULL);
	pthread_create(&t, NULL, pops_and_runs, NULL);
	pthread_join(t, NULL);
	{
		pthread_t a, b;
		void *r;
		pthread_create(&a, NULL, interleave_a, NULL);
		pthread_create(&b, NULL, interleave_b, (void *)5);
		pthread_join(a, NULL);
		pthread_join(b, &r);
		printf("interleaved cleanup: B exited with %ld\n", (long)r);
	}
	printf("handlers: %s\n", log_buf);
	printf("setcancelstate bad: %s\n", strerrorname_np(pthread_setcancelstate(7, &old)));
	printf("setcanceltype bad: %s\n", strerrorname_np(pthread_setcanceltype(7, &old)));
	printf("setcanceltype async: %d, old deferred %d\n", pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &old),
	       old == PTHREAD_CANCEL_DEFERRED);
	pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, &old);
	return 0;
}
