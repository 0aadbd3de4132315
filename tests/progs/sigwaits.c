/* Waiting for signals while a ticker runs: a thread in sigwait receives blocked signals sent by
 * kill(); sigtimedwait times out with EAGAIN and returns a queued signal's info; main in
 * pause() and sigsuspend() returns EINTR after a handler runs. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "ticker.h"

static volatile sig_atomic_t handled;

static void on_alarm(int sig)
{
	(void)sig;
	handled++;
}

static void *waiter(void *arg)
{
	sigset_t set;
	int sig = 0, got = 0;

	(void)arg;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	for (int i = 0; i < 2; i++) {
		sigwait(&set, &sig);
		got += sig == SIGUSR1 ? 1 : sig == SIGUSR2 ? 10 : 100;
	}
	return (void *)(long)got;
}

int main(void)
{
	pthread_t tk, w;
	sigset_t block, empty;
	siginfo_t info;
	struct timespec ts = { 0, 100000000 };
	struct itimerval it = { { 0, 0 }, { 0, 150000 } };
	int before, r;
	void *res;

	/* Block SIGUSR1/2 before any thread exists, as sigwait requires. */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
	pthread_create(&tk, NULL, ticker, (void *)5000);
	pthread_create(&w, NULL, waiter, NULL);
	usleep(100000);
	before = ticks;
	kill(getpid(), SIGUSR1);
	usleep(50000);
	kill(getpid(), SIGUSR2);
	pthread_join(w, &res);
	printf("sigwait got SIGUSR1 and SIGUSR2: %ld, ticker ran %d\n", (long)res, ticks - before >= 5);

	errno = 0;
	r = sigtimedwait(&block, &info, &ts);
	printf("sigtimedwait 100 ms with nothing pending: %d %s\n", r, strerrorname_np(errno));
	sigqueue(getpid(), SIGUSR2, (union sigval){ .sival_int = 42 });
	r = sigtimedwait(&block, &info, &ts);
	printf("sigtimedwait with SIGUSR2 queued: %d value %d pid ok %d\n", r == SIGUSR2,
	       info.si_value.sival_int, info.si_pid == getpid());

	signal(SIGALRM, on_alarm);
	setitimer(ITIMER_REAL, &it, NULL);
	before = ticks;
	errno = 0;
	r = pause();
	printf("pause: %d %s, handled %d, ticker ran %d\n", r, strerrorname_np(errno), handled, ticks - before >= 10);
	sigemptyset(&empty);
	setitimer(ITIMER_REAL, &it, NULL);
	errno = 0;
	r = sigsuspend(&empty);
	printf("sigsuspend: %d %s, handled %d\n", r, strerrorname_np(errno), handled);
	ticking = 0;
	pthread_join(tk, NULL);
	return 0;
}
