/* Process-shared objects used across a fork, each side waiting for the other: a condition
 * variable (both directions), a barrier (three rounds, one serial thread each), a reader-writer
 * lock (a writer in one process holds readers in the other back, and the reverse), mutex owner
 * ids (the child is not the parent's thread: EBUSY, ETIMEDOUT, EPERM), and raw shared futexes
 * (a wake counts the waiter in the other process). A ticker keeps running in the parent; its
 * count goes to stderr. */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ticker.h"

struct shared {
	pthread_mutex_t m;
	pthread_cond_t c;
	pthread_barrier_t b;
	pthread_rwlock_t rw;
	pthread_mutex_t rec, chk;
	int flag, step, serial[2], log[8];
	unsigned word;
};

static struct shared *s;

static void deadline_in(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_nsec += ms % 1000 * 1000000L;
	ts->tv_sec += ms / 1000 + ts->tv_nsec / 1000000000L;
	ts->tv_nsec %= 1000000000L;
}

static long futex(unsigned *w, int op, unsigned val, const struct timespec *t)
{
	return syscall(SYS_futex, w, op, val, t, NULL, 0);
}

/* Wait (mutex held) until s->step reaches n. */
static void wait_step(int n)
{
	while (s->step < n)
		pthread_cond_wait(&s->c, &s->m);
}

static void set_step(int n)
{
	pthread_mutex_lock(&s->m);
	s->step = n;
	pthread_cond_broadcast(&s->c);
	pthread_mutex_unlock(&s->m);
}

static void child(void)
{
	struct timespec ts;
	int r;

	/* cond: the parent signals, then waits for us. */
	pthread_mutex_lock(&s->m);
	wait_step(1);
	pthread_mutex_unlock(&s->m);
	usleep(50000);
	pthread_mutex_lock(&s->m);
	s->flag = 1;
	pthread_cond_signal(&s->c);
	pthread_mutex_unlock(&s->m);

	/* barrier: three rounds. */
	for (int i = 0; i < 3; i++) {
		usleep(20000);
		if (pthread_barrier_wait(&s->b) == PTHREAD_BARRIER_SERIAL_THREAD)
			s->serial[1]++;
	}

	/* rwlock: hold it for writing while the parent tries to read. */
	pthread_rwlock_wrlock(&s->rw);
	set_step(3);
	usleep(100000);
	s->log[0] = 1; /* written before the parent's read lock can be had */
	pthread_rwlock_unlock(&s->rw);
	pthread_mutex_lock(&s->m);
	wait_step(4); /* the parent holds it for reading now */
	pthread_mutex_unlock(&s->m);
	r = pthread_rwlock_trywrlock(&s->rw);
	s->log[1] = r == EBUSY;
	pthread_rwlock_wrlock(&s->rw); /* waits for the parent's unlock */
	s->log[2] = s->flag == 2;
	pthread_rwlock_unlock(&s->rw);

	/* owner ids: the parent holds both mutexes. */
	s->log[3] = pthread_mutex_trylock(&s->rec);
	s->log[4] = pthread_mutex_trylock(&s->chk);
	deadline_in(&ts, 50);
	s->log[5] = pthread_mutex_timedlock(&s->chk, &ts);
	s->log[6] = pthread_mutex_unlock(&s->chk);
	set_step(5);

	/* raw futex: wait for the parent's wake on an unchanged word. */
	ts = (struct timespec){ 5, 0 };
	r = (int)futex(&s->word, FUTEX_WAIT, 0, &ts);
	s->log[7] = r == 0 ? 0 : errno;
	_exit(0);
}

int main(void)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	pthread_barrierattr_t ba;
	pthread_rwlockattr_t ra;
	struct timespec ts;
	pthread_t tk;
	int st, r, before;
	long woken = -1;
	pid_t pid;

	s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&s->m, &ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&s->rec, &ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&s->chk, &ma);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_cond_init(&s->c, &ca);
	pthread_barrierattr_init(&ba);
	pthread_barrierattr_setpshared(&ba, PTHREAD_PROCESS_SHARED);
	pthread_barrier_init(&s->b, &ba, 2);
	pthread_rwlockattr_init(&ra);
	pthread_rwlockattr_setpshared(&ra, PTHREAD_PROCESS_SHARED);
	pthread_rwlock_init(&s->rw, &ra);

	pthread_create(&tk, NULL, ticker, (void *)2000);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		child();
	alarm(30);

	/* cond, parent to child: step 1 wakes the child; then wait for its flag. */
	before = ticks;
	set_step(1);
	pthread_mutex_lock(&s->m);
	while (!s->flag)
		pthread_cond_wait(&s->c, &s->m);
	pthread_mutex_unlock(&s->m);
	printf("cond: the child's signal woke the parent\n");

	/* barrier */
	for (int i = 0; i < 3; i++)
		if (pthread_barrier_wait(&s->b) == PTHREAD_BARRIER_SERIAL_THREAD)
			s->serial[0]++;
	usleep(10000);
	printf("barrier: 3 rounds, %d serial threads\n", s->serial[0] + s->serial[1]);

	/* rwlock */
	pthread_mutex_lock(&s->m);
	wait_step(3);
	pthread_mutex_unlock(&s->m);
	r = pthread_rwlock_tryrdlock(&s->rw);
	printf("rwlock: tryrdlock while the child writes: %s\n", strerror(r));
	deadline_in(&ts, 20);
	r = pthread_rwlock_timedrdlock(&s->rw, &ts);
	printf("rwlock: timedrdlock while the child writes: %s\n", strerror(r));
	pthread_rwlock_rdlock(&s->rw);
	printf("rwlock: the read lock came after the child's write: %d\n", s->log[0]);
	set_step(4);
	usleep(100000);
	s->flag = 2;
	/* owner ids: hold both mutexes for the child's attempts, which follow its write lock. */
	pthread_mutex_lock(&s->rec);
	pthread_mutex_lock(&s->chk);
	pthread_rwlock_unlock(&s->rw);
	pthread_mutex_lock(&s->m);
	wait_step(5);
	pthread_mutex_unlock(&s->m);
	pthread_mutex_unlock(&s->chk);
	pthread_mutex_unlock(&s->rec);
	printf("rwlock: child trywrlock %s, its write lock came after the parent's unlock %d\n",
	       s->log[1] ? "EBUSY" : "took it", s->log[2]);
	printf("owner: child trylock recursive %s, errorcheck %s, timedlock %s, unlock %s\n",
	       strerror(s->log[3]), strerror(s->log[4]), strerror(s->log[5]), strerror(s->log[6]));

	/* raw futex: wake the child's FUTEX_WAIT with the word unchanged; count it. */
	for (int i = 0; i < 500 && woken <= 0; i++) {
		usleep(10000);
		woken = futex(&s->word, FUTEX_WAKE, 1, NULL);
	}
	waitpid(pid, &st, 0);
	printf("futex: wake counted %ld, the child's wait returned %s, child status %d\n", woken,
	       s->log[7] ? strerror(s->log[7]) : "0", WEXITSTATUS(st));
	ticking = 0;
	pthread_join(tk, NULL);
	fprintf(stderr, "ticks=%d\n", ticks - before);
	return 0;
}
