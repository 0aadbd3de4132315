/* The System V and BSD signal calls from green threads: sigset returns the program's own
 * handler, sighold/sigrelse block and unblock, sigignore ignores, and sigpause waits for the
 * signal while another thread sends it (it must not block the other threads). */
#define _XOPEN_SOURCE 700
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* These calls are deprecated: programs that use them are what this test is about. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	(void)sig;
	got++;
}

static void *sender(void *arg)
{
	struct timespec d = { 0, 50 * 1000000 };

	nanosleep(&d, NULL);
	kill(getpid(), SIGUSR1);
	return arg;
}

int main(void)
{
	sigset_t now;
	pthread_t t;
	sighandler_t prev;
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	prev = sigset(SIGUSR1, on_usr1);
	printf("sigset: previous is SIG_DFL: %d\n", prev == SIG_DFL);
	prev = sigset(SIGUSR1, on_usr1);
	printf("sigset again: previous is the program's handler: %d\n", prev == on_usr1);
	sighold(SIGUSR1);
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("sighold: blocked: %d\n", sigismember(&now, SIGUSR1));
	prev = sigset(SIGUSR1, SIG_HOLD);
	printf("sigset(SIG_HOLD) while held: previous is SIG_HOLD: %d\n", prev == SIG_HOLD);
	raise(SIGUSR1);
	printf("raised while held: handled %d\n", (int)got);
	sigrelse(SIGUSR1);
	printf("sigrelse: the pending one ran: %d\n", (int)got);
	sighold(SIGUSR1);
	pthread_create(&t, NULL, sender, NULL);
	r = sigpause(SIGUSR1);
	printf("sigpause: %d, handled %d\n", r, (int)got);
	pthread_join(t, NULL);
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("after sigpause still blocked: %d\n", sigismember(&now, SIGUSR1));
	sigignore(SIGUSR1);
	sigrelse(SIGUSR1);
	raise(SIGUSR1);
	printf("sigignore: still alive, handled %d\n", (int)got);
	return 0;
}
