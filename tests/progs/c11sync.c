/* C11 synchronisation: mtx (plain, recursive, timed), cnd (wait, timedwait, signal,
 * broadcast), tss with destructors, call_once with a blocking function. */
#include <stdio.h>
#include <threads.h>
#include <time.h>

static mtx_t m, rec;
static cnd_t c;
static int ready, counter, once_runs, dtor_runs;
static tss_t key;
static once_flag flag = ONCE_FLAG_INIT;

static void init_once(void)
{
	thrd_sleep(&(struct timespec){ 0, 50000000 }, NULL);
	once_runs++;
}

static void dtor(void *v)
{
	(void)v;
	__atomic_add_fetch(&dtor_runs, 1, __ATOMIC_SEQ_CST);
}

static int worker(void *arg)
{
	call_once(&flag, init_once);
	tss_set(key, arg);
	mtx_lock(&m);
	while (!ready)
		cnd_wait(&c, &m);
	counter++;
	mtx_unlock(&m);
	thrd_yield();
	return tss_get(key) == arg;
}

static const char *res(int r)
{
	switch (r) {
	case thrd_success: return "thrd_success";
	case thrd_busy: return "thrd_busy";
	case thrd_timedout: return "thrd_timedout";
	case thrd_nomem: return "thrd_nomem";
	default: return "thrd_error";
	}
}

int main(void)
{
	thrd_t t[10];
	int r, own = 0;
	struct timespec ts;

	mtx_init(&m, mtx_timed);
	mtx_init(&rec, mtx_plain | mtx_recursive);
	cnd_init(&c);
	tss_create(&key, dtor);
	for (long i = 0; i < 10; i++)
		thrd_create(&t[i], worker, (void *)(i + 1));
	thrd_sleep(&(struct timespec){ 0, 100000000 }, NULL);
	mtx_lock(&m);
	ready = 1;
	cnd_broadcast(&c);
	mtx_unlock(&m);
	for (int i = 0; i < 10; i++) {
		thrd_join(t[i], &r);
		own += r;
	}
	printf("counter %d, once ran %d, own tss values %d, destructors %d\n", counter, once_runs, own, dtor_runs);
	printf("recursive: %s", res(mtx_lock(&rec)));
	printf(" %s", res(mtx_lock(&rec)));
	printf(" %s", res(mtx_unlock(&rec)));
	printf(" %s\n", res(mtx_unlock(&rec)));
	mtx_lock(&m);
	timespec_get(&ts, TIME_UTC);
	ts.tv_nsec += 20000000;
	ts.tv_sec += ts.tv_nsec / 1000000000;
	ts.tv_nsec %= 1000000000;
	printf("cnd_timedwait 20 ms: %s\n", res(cnd_timedwait(&c, &m, &ts)));
	mtx_unlock(&m);
	printf("cnd_signal with no waiter: %s\n", res(cnd_signal(&c)));
	return 0;
}
