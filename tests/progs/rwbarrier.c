/* Reader-writer locks (shared readers, exclusive writers, errors, writer preference), barriers,
 * spinlocks whose holder sleeps, pthread_once with a blocking init routine, and thread keys
 * with destructors (re-run while they set values, up to PTHREAD_DESTRUCTOR_ITERATIONS). */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SHOW(label, call) printf("%s: %s\n", label, en(call))

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static int readers_in, max_readers_in, writer_in, overlap;
static pthread_barrier_t barrier;
static int serial, before_barrier, after_barrier_bad;
static pthread_spinlock_t spin;
static long spin_counter;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs, once_seen_done;
static pthread_key_t key;
static int destructor_calls;

static const char *en(int e)
{
	return e ? strerrorname_np(e) : "0";
}

static void *reader(void *arg)
{
	for (int i = 0; i < 10; i++) {
		int now;
		pthread_rwlock_rdlock(&rw);
		now = __atomic_add_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
		if (now > __atomic_load_n(&max_readers_in, __ATOMIC_SEQ_CST))
			__atomic_store_n(&max_readers_in, now, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&writer_in, __ATOMIC_SEQ_CST))
			__atomic_add_fetch(&overlap, 1, __ATOMIC_SEQ_CST);
		usleep(1000);
		__atomic_sub_fetch(&readers_in, 1, __ATOMIC_SEQ_CST);
		pthread_rwlock_unlock(&rw);
	}
	return arg;
}

static void *writer(void *arg)
{
	for (int i = 0; i < 10; i++) {
		pthread_rwlock_wrlock(&rw);
		if (__atomic_load_n(&writer_in, __ATOMIC_SEQ_CST) || __atomic_load_n(&readers_in, __ATOMIC_SEQ_CST))
			__atomic_add_fetch(&overlap, 1, __ATOMIC_SEQ_CST);
		writer_in = 1;
		usleep(500);
		writer_in = 0;
		pthread_rwlock_unlock(&rw);
		usleep(500);
	}
	return arg;
}

static void *barrier_worker(void *arg)
{
	for (int round = 0; round < 3; round++) {
		__atomic_add_fetch(&before_barrier, 1, __ATOMIC_SEQ_CST);
		usleep((useconds_t)((uintptr_t)arg * 300));
		if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
			serial++;
		if (before_barrier < (round + 1) * 8)
			after_barrier_bad++;
		pthread_barrier_wait(&barrier);
	}
	return arg;
}

static void *spinner(void *arg)
{
	for (int i = 0; i < 100; i++) {
		pthread_spin_lock(&spin);
		long v = spin_counter;
		if (i % 25 == 0)
			usleep(1000); /* the holder blocks: spinners must let it run */
		spin_counter = v + 1;
		pthread_spin_unlock(&spin);
	}
	return arg;
}

static void init_once(void)
{
	once_runs++;
	usleep(100000); /* a blocking init routine */
}

static void *call_once_fn(void *arg)
{
	pthread_once(&once, init_once);
	if (once_runs == 1)
		__atomic_add_fetch(&once_seen_done, 1, __ATOMIC_SEQ_CST);
	return arg;
}

static void destructor(void *v)
{
	__atomic_add_fetch(&destructor_calls, 1, __ATOMIC_SEQ_CST);
	/* Setting a value again makes glibc run another round (at most 4). */
	if ((intptr_t)v < 3)
		pthread_setspecific(key, (void *)((intptr_t)v + 1));
}

static void *keyed(void *arg)
{
	pthread_setspecific(key, arg);
	usleep(1000);
	return (void *)(intptr_t)(pthread_getspecific(key) == arg);
}

int main(void)
{
	pthread_t t[16];
	pthread_rwlock_t pref;
	pthread_rwlockattr_t ra;
	struct timespec ts;
	void *r;
	int ok = 1;

	for (int i = 0; i < 6; i++)
		pthread_create(&t[i], NULL, i < 4 ? reader : writer, NULL);
	for (int i = 0; i < 6; i++)
		pthread_join(t[i], NULL);
	printf("rwlock: readers shared %d, writer exclusive %d\n", max_readers_in > 1, overlap == 0);
	SHOW("wrlock", pthread_rwlock_wrlock(&rw));
	SHOW("rdlock while holding write", pthread_rwlock_rdlock(&rw));
	SHOW("wrlock while holding write", pthread_rwlock_wrlock(&rw));
	SHOW("tryrdlock while holding write", pthread_rwlock_tryrdlock(&rw));
	SHOW("unlock", pthread_rwlock_unlock(&rw));
	SHOW("rdlock", pthread_rwlock_rdlock(&rw));
	SHOW("second rdlock", pthread_rwlock_rdlock(&rw));
	SHOW("trywrlock with readers", pthread_rwlock_trywrlock(&rw));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 30000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	SHOW("clockwrlock MONOTONIC 30 ms with readers", pthread_rwlock_clockwrlock(&rw, CLOCK_MONOTONIC, &ts));
	SHOW("clockrdlock bad clock", pthread_rwlock_clockrdlock(&rw, 12345, &ts));
	SHOW("unlock", pthread_rwlock_unlock(&rw));
	SHOW("unlock", pthread_rwlock_unlock(&rw));

	pthread_rwlockattr_init(&ra);
	pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&pref, &ra);
	SHOW("writer-preferring: rdlock", pthread_rwlock_rdlock(&pref));
	SHOW("writer-preferring: tryrdlock again", pthread_rwlock_tryrdlock(&pref));
	SHOW("unlock", pthread_rwlock_unlock(&pref));
	SHOW("unlock", pthread_rwlock_unlock(&pref));

	SHOW("barrier init 0", pthread_barrier_init(&barrier, NULL, 0));
	pthread_barrier_init(&barrier, NULL, 8);
	for (long i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, barrier_worker, (void *)i);
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	printf("barrier: serial threads %d (3 rounds), nobody passed early %d\n", serial, after_barrier_bad == 0);
	SHOW("barrier destroy", pthread_barrier_destroy(&barrier));

	pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, spinner, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("spinlock: counter %ld of 400\n", spin_counter);
	SHOW("spin trylock", pthread_spin_trylock(&spin));
	SHOW("spin trylock held", pthread_spin_trylock(&spin));
	SHOW("spin unlock", pthread_spin_unlock(&spin));

	for (int i = 0; i < 10; i++)
		pthread_create(&t[i], NULL, call_once_fn, NULL);
	for (int i = 0; i < 10; i++)
		pthread_join(t[i], NULL);
	printf("once: init ran %d time(s), %d threads returned after it finished\n", once_runs, once_seen_done);

	SHOW("key create", pthread_key_create(&key, destructor));
	for (long i = 0; i < 10; i++)
		pthread_create(&t[i], NULL, keyed, (void *)(i + 1));
	for (int i = 0; i < 10; i++) {
		pthread_join(t[i], &r);
		ok &= r != NULL;
	}
	printf("keys: each thread saw its own value %d, destructor calls %d\n", ok, destructor_calls);
	printf("main's value: %p\n", pthread_getspecific(key));
	SHOW("setspecific", pthread_setspecific(key, (void *)99));
	printf("main's value now: %ld\n", (long)pthread_getspecific(key));
	SHOW("key delete", pthread_key_delete(key));
	SHOW("setspecific on a deleted key", pthread_setspecific(key, (void *)1));
	return 0;
}
