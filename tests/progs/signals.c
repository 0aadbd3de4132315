/* Signals as natively: a handler without SA_RESTART interrupts main's blocking read, sleep and
 * nanosleep (time left reported) with EINTR; with SA_RESTART the read goes on; poll always
 * fails with EINTR; pthread_kill interrupts the target thread's sleep; a handler may call
 * blocking functions; sigaction reports the program's handler, SA_RESETHAND resets it. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "ticker.h"

static volatile sig_atomic_t handled;
static void on_signal(int sig)
{
	(void)sig;
	usleep(1000); /* a blocking call inside a handler must not switch threads */
	handled++;
}

static void arm(long ms)
{
	struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

static void install(int flags)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = flags };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
}

static int pipefd[2];

static void *late_write(void *arg)
{
	usleep(400000);
	write(pipefd[1], "x", 1);
	return arg;
}

static void *sleeper(void *unused)
{
	int r = (int)sleep(3);

	(void)unused;
	return (void *)(long)r;
}

int main(void)
{
	pthread_t tk, t;
	char c;
	ssize_t n;
	int before, left;
	struct timespec req = { 1, 0 }, rem = { 0, 0 };
	struct sigaction q;
	void *r;

	pthread_create(&tk, NULL, ticker, (void *)10000);
	pipe(pipefd);

	install(0);
	before = ticks;
	arm(200);
	errno = 0;
	n = read(pipefd[0], &c, 1);
	printf("read, handler without SA_RESTART: %zd %s, handled %d, ticker ran %d\n", n,
	       strerrorname_np(errno), handled, ticks - before >= 10);

	install(SA_RESTART);
	pthread_create(&t, NULL, late_write, NULL);
	arm(200);
	n = read(pipefd[0], &c, 1);
	printf("read, SA_RESTART handler: %zd '%c', handled %d\n", n, c, handled);
	pthread_join(t, NULL);

	install(0);
	arm(200);
	left = (int)sleep(5);
	printf("sleep(5) interrupted: returned %d, handled %d\n", left, handled);
	arm(200);
	errno = 0;
	n = nanosleep(&req, &rem);
	printf("nanosleep(1 s) interrupted: %zd %s, rem under 1 s and over 0.5 s %d\n", n,
	       strerrorname_np(errno), rem.tv_sec == 0 && rem.tv_nsec > 500000000);
	install(SA_RESTART);
	arm(200);
	errno = 0;
	n = poll(&(struct pollfd){ pipefd[0], POLLIN, 0 }, 1, 2000);
	printf("poll with a SA_RESTART handler: %zd %s\n", n, strerrorname_np(errno));

	signal(SIGUSR1, on_signal);
	pthread_create(&t, NULL, sleeper, NULL);
	usleep(100000);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, &r);
	printf("pthread_kill interrupted the target's sleep(3): returned %ld\n", (long)r);

	sigaction(SIGUSR1, NULL, &q);
	printf("sigaction reports the program's handler: %d\n", q.sa_handler == on_signal);
	{
		struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESETHAND };
		sigemptyset(&sa.sa_mask);
		sigaction(SIGUSR2, &sa, NULL);
		raise(SIGUSR2);
		sigaction(SIGUSR2, NULL, &q);
		printf("after SA_RESETHAND delivery: SIG_DFL %d, handled %d\n", q.sa_handler == SIG_DFL, handled);
	}
	ticking = 0;
	pthread_join(tk, NULL);
	return 0;
}
