/* Semaphores: a semaphore of 5 bounds 20 workers (never more than 5 inside); every error
 * return; a process-shared semaphore in shared memory and a named semaphore, each posted by
 * another process while a ticker thread keeps running. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ticker.h"
#include "deadline.h"

static sem_t slots;
static int inside, max_inside, done;
static const char *en(int r)
{
	return r ? strerrorname_np(errno) : "0";
}

#define SHOW(label, call) printf("%s: %s\n", label, en(call))

static void *worker(void *arg)
{
	for (int i = 0; i < 5; i++) {
		int now;
		sem_wait(&slots);
		now = __atomic_add_fetch(&inside, 1, __ATOMIC_SEQ_CST);
		for (int m = __atomic_load_n(&max_inside, __ATOMIC_SEQ_CST); now > m &&
		     !__atomic_compare_exchange_n(&max_inside, &m, now, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);)
			;
		usleep(2000);
		__atomic_sub_fetch(&inside, 1, __ATOMIC_SEQ_CST);
		sem_post(&slots);
	}
	__atomic_add_fetch(&done, 1, __ATOMIC_RELAXED);
	return arg;
}

/* Wait on s while a child process posts it after 200 ms; report whether the ticker ran. */
static void cross_process(const char *label, sem_t *s)
{
	pthread_t tk;
	pid_t pid;
	int st, before;

	ticking = 1;
	ticks = 0;
	pthread_create(&tk, NULL, ticker, (void *)10000);
	pid = fork();
	if (pid == 0) {
		usleep(200000);
		sem_post(s);
		_exit(0);
	}
	before = ticks;
	SHOW(label, sem_wait(s));
	printf("%s: ticker kept running while waiting: %d\n", label, ticks - before >= 5);
	ticking = 0;
	pthread_join(tk, NULL);
	waitpid(pid, &st, 0);
}

int main(void)
{
	pthread_t t[20];
	sem_t s;
	struct timespec ts;
	int v;

	sem_init(&slots, 0, 5);
	for (int i = 0; i < 20; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < 20; i++)
		pthread_join(t[i], NULL);
	sem_getvalue(&slots, &v);
	printf("20 workers through a semaphore of 5: done %d, max inside %d, value after %d\n", done,
	       max_inside, v);

	sem_init(&s, 0, 0);
	SHOW("trywait at 0", sem_trywait(&s));
	ts = in_ms(CLOCK_REALTIME, 30);
	SHOW("timedwait 30 ms", sem_timedwait(&s, &ts));
	ts = in_ms(CLOCK_MONOTONIC, 30);
	SHOW("clockwait MONOTONIC 30 ms", sem_clockwait(&s, CLOCK_MONOTONIC, &ts));
	SHOW("clockwait bad clock", sem_clockwait(&s, CLOCK_THREAD_CPUTIME_ID, &ts));
	ts.tv_nsec = -1;
	SHOW("timedwait bad nsec", sem_timedwait(&s, &ts));
	SHOW("post", sem_post(&s));
	ts.tv_nsec = -1;
	SHOW("timedwait bad nsec with value 1", sem_timedwait(&s, &ts));
	SHOW("trywait at 1", sem_trywait(&s));
	sem_init(&s, 0, SEM_VALUE_MAX);
	SHOW("post at SEM_VALUE_MAX", sem_post(&s));
	SHOW("init above SEM_VALUE_MAX", sem_init(&s, 0, (unsigned)SEM_VALUE_MAX + 1));

	{
		sem_t *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		sem_init(shared, 1, 0);
		cross_process("process-shared semaphore posted by a child", shared);
	}
	{
		char name[64];
		sem_t *named;
		snprintf(name, sizeof name, "/libgreen-test-%d", (int)getpid());
		named = sem_open(name, O_CREAT | O_EXCL, 0600, 0);
		sem_unlink(name);
		cross_process("named semaphore posted by a child", named);
		sem_close(named);
	}
	return 0;
}
