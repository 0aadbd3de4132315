/* Mutex kinds and every error return: static initialisers (incl. the _NP recursive and
 * errorcheck ones), recursion, EDEADLK/EPERM, trylock EBUSY, timed/clock locks ETIMEDOUT and
 * EINVAL, robust mutexes (EOWNERDEAD, consistent, ENOTRECOVERABLE), adaptive, destroy EBUSY. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"

static pthread_mutex_t normal = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t recursive = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static pthread_mutex_t errorcheck = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;
static pthread_mutex_t adaptive = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
static pthread_mutex_t robust;

static const char *en(int e)
{
	return e ? strerrorname_np(e) : "0";
}

static void *hold_for_200ms(void *m)
{
	pthread_mutex_lock(m);
	usleep(200000);
	pthread_mutex_unlock(m);
	return NULL;
}

static void *try_from_other(void *m)
{
	return (void *)(long)pthread_mutex_trylock(m);
}

static void *unlock_from_other(void *m)
{
	return (void *)(long)pthread_mutex_unlock(m);
}

static void *die_holding(void *m)
{
	pthread_mutex_lock(m);
	return NULL; /* exits while holding the robust mutex */
}

static long in_thread(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	void *r;

	pthread_create(&t, NULL, fn, arg);
	pthread_join(t, &r);
	return (long)r;
}

/* Print one call's result on its own line: arguments of one printf are evaluated in no
 * particular order, so every call is its own statement. */
#define SHOW(label, call) printf("%s: %s\n", label, en(call))

int main(void)
{
	pthread_t t;
	pthread_mutexattr_t a;
	struct timespec ts;

	SHOW("recursive lock", pthread_mutex_lock(&recursive));
	SHOW("recursive relock", pthread_mutex_lock(&recursive));
	SHOW("recursive trylock by owner", pthread_mutex_trylock(&recursive));
	SHOW("recursive trylock from another thread", (int)in_thread(try_from_other, &recursive));
	SHOW("recursive unlock from another thread", (int)in_thread(unlock_from_other, &recursive));
	for (int i = 0; i < 4; i++)
		SHOW("recursive unlock", pthread_mutex_unlock(&recursive));

	SHOW("errorcheck lock", pthread_mutex_lock(&errorcheck));
	SHOW("errorcheck relock", pthread_mutex_lock(&errorcheck));
	SHOW("errorcheck trylock by owner", pthread_mutex_trylock(&errorcheck));
	SHOW("errorcheck unlock from another thread", (int)in_thread(unlock_from_other, &errorcheck));
	SHOW("errorcheck unlock", pthread_mutex_unlock(&errorcheck));
	SHOW("errorcheck unlock again", pthread_mutex_unlock(&errorcheck));

	pthread_create(&t, NULL, hold_for_200ms, &normal);
	usleep(20000);
	SHOW("trylock held", pthread_mutex_trylock(&normal));
	ts = in_ms(CLOCK_REALTIME, 30);
	SHOW("timedlock 30 ms", pthread_mutex_timedlock(&normal, &ts));
	ts = in_ms(CLOCK_MONOTONIC, 30);
	SHOW("clocklock MONOTONIC 30 ms", pthread_mutex_clocklock(&normal, CLOCK_MONOTONIC, &ts));
	SHOW("clocklock bad clock", pthread_mutex_clocklock(&normal, CLOCK_PROCESS_CPUTIME_ID, &ts));
	ts.tv_nsec = 2000000000;
	SHOW("timedlock bad nsec", pthread_mutex_timedlock(&normal, &ts));
	ts = in_ms(CLOCK_REALTIME, 2000);
	SHOW("timedlock 2 s", pthread_mutex_timedlock(&normal, &ts));
	SHOW("destroy while locked", pthread_mutex_destroy(&normal));
	SHOW("unlock", pthread_mutex_unlock(&normal));
	pthread_join(t, NULL);

	pthread_create(&t, NULL, hold_for_200ms, &adaptive);
	usleep(20000);
	SHOW("adaptive lock waits for holder", pthread_mutex_lock(&adaptive));
	SHOW("adaptive unlock", pthread_mutex_unlock(&adaptive));
	pthread_join(t, NULL);

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust, &a);
	pthread_mutexattr_destroy(&a);
	in_thread(die_holding, &robust);
	SHOW("robust lock after owner died", pthread_mutex_lock(&robust));
	SHOW("consistent", pthread_mutex_consistent(&robust));
	SHOW("unlock", pthread_mutex_unlock(&robust));
	SHOW("relock", pthread_mutex_lock(&robust));
	SHOW("unlock", pthread_mutex_unlock(&robust));
	SHOW("consistent on a healthy robust mutex", pthread_mutex_consistent(&robust));
	in_thread(die_holding, &robust);
	SHOW("robust lock after owner died again", pthread_mutex_lock(&robust));
	SHOW("unlock without consistent", pthread_mutex_unlock(&robust));
	SHOW("lock after that", pthread_mutex_lock(&robust));
	SHOW("robust unlock by non-owner", (int)in_thread(unlock_from_other, &robust));
	return 0;
}
