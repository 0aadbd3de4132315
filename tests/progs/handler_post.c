/* A signal handler as the only waker: a timer's handler posts a semaphore a green thread waits
 * on while main waits in join (the handler runs in main, so nothing is interrupted), with and
 * without SA_RESTART, sem_wait and sem_timedwait; and main waits on a semaphore that the
 * handler of a pthread_kill to a thread parked in pthread_mutex_lock posts. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static sem_t s;
static volatile int result;
static int timed;

static void on_alarm(int sig)
{
	(void)sig;
	sem_post(&s);
}

static void *waiter(void *unused)
{
	struct timespec ts;

	(void)unused;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 10;
	result = (timed ? sem_timedwait(&s, &ts) : sem_wait(&s)) ? errno : 0;
	return NULL;
}

static void run(int flags, int is_timed)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = flags };
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };
	pthread_t t;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	timed = is_timed;
	pthread_create(&t, NULL, waiter, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	pthread_join(t, NULL);
	printf("%s%s: the handler's post woke the waiter: %s\n", is_timed ? "sem_timedwait" : "sem_wait",
	       flags ? " (SA_RESTART)" : "", strerror(result));
}

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *locker(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	pthread_t t;
	int posts = 0;

	sem_init(&s, 0, 0);
	run(SA_RESTART, 0);
	run(0, 0);
	run(SA_RESTART, 1);
	run(0, 1);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	pthread_mutex_lock(&m);
	pthread_create(&t, NULL, locker, NULL);
	for (int i = 0; i < 10; i++) {
		sched_yield();
		pthread_kill(t, SIGUSR1);
		if (sem_wait(&s) == 0)
			posts++;
	}
	pthread_mutex_unlock(&m);
	pthread_join(t, NULL);
	printf("pthread_kill to a thread in pthread_mutex_lock: its handler's posts woke main %d times\n",
	       posts);
	return 0;
}
