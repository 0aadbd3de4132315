/* Asynchronous cancellation as glibc's SIGCANCEL gives it: a thread parked in
 * pthread_mutex_lock or pthread_rwlock_wrlock is cancelled there (its cleanup handler runs,
 * it joins as PTHREAD_CANCELED, it never gets the lock); a thread that cancels itself, or
 * switches to the asynchronous type or enables cancellation with one pending, is cancelled
 * at once. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static volatile int cleaned, got_lock, after;

static void cleanup(void *what)
{
	(void)what;
	cleaned++;
}

static void *lock_mutex(void *unused)
{
	(void)unused;
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
	pthread_cleanup_push(cleanup, NULL);
	pthread_mutex_lock(&m);
	got_lock = 1;
	pthread_mutex_unlock(&m);
	pthread_cleanup_pop(0);
	return NULL;
}

static void *lock_rwlock(void *unused)
{
	(void)unused;
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
	pthread_cleanup_push(cleanup, NULL);
	pthread_rwlock_wrlock(&rw);
	got_lock = 1;
	pthread_rwlock_unlock(&rw);
	pthread_cleanup_pop(0);
	return NULL;
}

static void *cancel_self(void *unused)
{
	(void)unused;
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
	pthread_cleanup_push(cleanup, NULL);
	pthread_cancel(pthread_self());
	after = 1; /* never reached */
	pthread_cleanup_pop(0);
	return NULL;
}

static void *switch_type(void *unused)
{
	(void)unused;
	pthread_cleanup_push(cleanup, NULL);
	pthread_cancel(pthread_self()); /* deferred: pending */
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
	after = 1;
	pthread_cleanup_pop(0);
	return NULL;
}

static void *enable_state(void *unused)
{
	(void)unused;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
	pthread_cleanup_push(cleanup, NULL);
	pthread_cancel(pthread_self()); /* disabled: pending */
	after = 1;                      /* reached */
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
	after = 2;
	pthread_cleanup_pop(0);
	return NULL;
}

static void run(const char *name, void *(*fn)(void *), int held)
{
	pthread_t t;
	void *res;

	cleaned = got_lock = after = 0;
	if (held == 1)
		pthread_mutex_lock(&m);
	if (held == 2)
		pthread_rwlock_rdlock(&rw);
	pthread_create(&t, NULL, fn, NULL);
	if (held) {
		usleep(100000); /* it waits for the lock now */
		pthread_cancel(t);
	}
	pthread_join(t, &res);
	if (held == 1)
		pthread_mutex_unlock(&m);
	if (held == 2)
		pthread_rwlock_unlock(&rw);
	printf("%s: %s, cleanup ran %d, got the lock %d, ran on to %d\n", name,
	       res == PTHREAD_CANCELED ? "cancelled" : "returned", cleaned, got_lock, after);
}

int main(void)
{
	run("mutex_lock", lock_mutex, 1);
	run("rwlock_wrlock", lock_rwlock, 2);
	run("self", cancel_self, 0);
	run("setcanceltype", switch_type, 0);
	run("setcancelstate", enable_state, 0);
	/* The mutex still works (glibc's rwlock does not: a writer cancelled while waiting
	 * leaves its state behind; async cancellation is only defined in async-safe calls). */
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	printf("mutex usable after\n");
	return 0;
}
