/* A signal handler is the only waker: main waits in sem_wait (and then in pause) while an
 * alarm, an interval timer or a POSIX timer is armed; the handler posts the semaphore (sem_post
 * is async-signal-safe), with or without SA_RESTART (argument "restart"). No deadlock report: the timer's signal comes, as natively. */
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static sem_t sem;
static volatile sig_atomic_t fired;

static void on_signal(int sig)
{
	(void)sig;
	fired++;
	sem_post(&sem);
}

static void wait_once(const char *what)
{
	int r;

	while ((r = sem_wait(&sem)) != 0 && errno == EINTR)
		;
	printf("%s: sem_wait returned %d after the handler ran (%d)\n", what, r, (int)fired);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	struct itimerspec ts = { { 0, 0 }, { 0, 100000000 } };
	timer_t t;

	(void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	sem_init(&sem, 0, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = argc > 1 ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	alarm(1);
	wait_once("alarm");
	setitimer(ITIMER_REAL, &it, NULL);
	wait_once("setitimer");
	timer_create(CLOCK_MONOTONIC, &ev, &t);
	timer_settime(t, 0, &ts, NULL);
	wait_once("timer_create");
	timer_settime(t, 0, &ts, NULL);
	pause();
	printf("pause returned after the POSIX timer (%d)\n", (int)fired);
	return 0;
}
