/* Signal masks are per thread: a new thread inherits its creator's mask; a process-directed
 * signal blocked by main is handled by the thread that unblocked it; each thread reads back
 * its own mask. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static pthread_t receiver;
static volatile pthread_t handled_by;
static volatile int inherited = -1, own_after = -1;

static void on_usr1(int sig)
{
	(void)sig;
	handled_by = pthread_self();
}

static void *receiver_fn(void *arg)
{
	sigset_t set, old;

	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, &old);
	inherited = sigismember(&old, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, NULL, &old);
	own_after = sigismember(&old, SIGUSR1);
	for (int i = 0; i < 50 && !handled_by; i++)
		usleep(10000);
	return NULL;
}

int main(void)
{
	sigset_t set, cur;

	signal(SIGUSR1, on_usr1);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_create(&receiver, NULL, receiver_fn, NULL);
	usleep(50000);
	kill(getpid(), SIGUSR1);
	pthread_join(receiver, NULL);
	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	printf("new thread inherited the blocked mask: %d; its own mask after unblocking: %d\n", inherited, own_after);
	printf("signal handled by the thread that unblocked it: %d; main still blocks it: %d\n",
	       pthread_equal(handled_by, receiver) != 0, sigismember(&cur, SIGUSR1));
	return 0;
}
