/* Busy-waits with no hooked call in them: main hands work to four threads through an atomic
 * and spins until they are done; they take turns on a spin lock written by hand. Natively the
 * threads run on other cores; on one OS thread only preemption lets the others run.
 * argv[1] "masked": the workers block every signal first (the preemption signal must still
 * reach them); "urg": the program has a SIGURG handler of its own (libgreen's preemption
 * signal) and sends itself three SIGURGs, which its handler must see, no more. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static atomic_int stage, lock;
static long counter;
static volatile sig_atomic_t urgs;
static int masked;
static atomic_int masks_intact = 1;

static void on_urg(int sig)
{
	(void)sig;
	urgs++;
}

static void *worker(void *arg)
{
	(void)arg;
	if (masked) { /* one signal at a time first: each call must see the ones before */
		sigset_t all, one, old;
		sigemptyset(&one);
		sigaddset(&one, SIGURG);
		pthread_sigmask(SIG_BLOCK, &one, NULL);
		sigemptyset(&one);
		sigaddset(&one, SIGUSR2);
		pthread_sigmask(SIG_BLOCK, &one, NULL);
		pthread_sigmask(SIG_BLOCK, NULL, &old);
		if (sigismember(&old, SIGURG) != 1 || sigismember(&old, SIGUSR2) != 1)
			masks_intact = 0;
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, NULL);
	}
	while (atomic_load(&stage) < 1) /* waits for main's hand-off */
		;
	for (int i = 0; i < 200; i++) {
		while (atomic_exchange(&lock, 1)) /* a spin lock written by hand */
			;
		counter++;
		atomic_store(&lock, 0);
	}
	if (masked) { /* preemption must not have changed what the thread reads back */
		sigset_t now;
		pthread_sigmask(SIG_BLOCK, NULL, &now);
		if (sigismember(&now, SIGURG) != 1 || sigismember(&now, SIGUSR1) != 1)
			masks_intact = 0;
	}
	atomic_fetch_add(&stage, 1);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[4];
	int urg = argc > 1 && !strcmp(argv[1], "urg");

	masked = argc > 1 && !strcmp(argv[1], "masked");
	if (urg) {
		struct sigaction sa = { .sa_handler = on_urg };
		sigemptyset(&sa.sa_mask);
		sigaction(SIGURG, &sa, NULL);
	}
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	if (urg)
		for (int i = 0; i < 3; i++)
			pthread_kill(pthread_self(), SIGURG);
	atomic_store(&stage, 1);
	while (atomic_load(&stage) < 5) /* waits for all four without blocking */
		;
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("all four workers done, counter %ld\n", counter);
	if (urg)
		printf("the program's SIGURG handler ran %d times\n", (int)urgs);
	if (masked)
		printf("every worker still blocks every signal: %s\n", atomic_load(&masks_intact) ? "yes" : "no");
	return 0;
}
