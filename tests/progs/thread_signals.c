/* Thread-directed signals as the kernel keeps them, per thread: pthread_kill's handler runs in
 * the target (its pthread_self), interrupting the target's sleep (EINTR) but not its mutex
 * wait; kills to several threads in sigwait each reach their own thread; a signal pending in
 * one thread (blocked there) is not seen by a thread it creates, shows in its own sigpending
 * only, and runs the moment it unblocks it; sigwaitinfo reports SI_TKILL for pthread_kill and
 * SI_QUEUE with the value for pthread_sigqueue; raise is thread-directed; real-time signals
 * queue every instance. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile pthread_t ran_in;
static volatile int handled;
static pthread_t target;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static volatile int sleeping, results[8];

static void on_usr1(int sig)
{
	(void)sig;
	ran_in = pthread_self();
	handled++;
}

static void *sleeper(void *unused)
{
	struct timespec ts = { 5, 0 };

	(void)unused;
	sleeping = 1;
	results[0] = nanosleep(&ts, NULL) ? errno : 0;
	return NULL;
}

static void *locker(void *unused)
{
	(void)unused;
	sleeping = 1;
	pthread_mutex_lock(&m); /* held by main: the handler runs, the wait goes on */
	results[1] = handled;
	pthread_mutex_unlock(&m);
	return NULL;
}

static void *waiter(void *arg)
{
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigwait(&set, &sig);
	results[2 + (int)(long)arg] = sig;
	return NULL;
}

static void *child_of_pending(void *unused)
{
	sigset_t set, pend;

	(void)unused;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL); /* the creator's pending one is not ours */
	usleep(20000);
	sigpending(&pend);
	results[6] = sigismember(&pend, SIGUSR1) * 10 + handled;
	return NULL;
}

static void *unblocked_waiter(void *unused)
{
	sigset_t set;
	siginfo_t si;

	(void)unused;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	sleeping = 1;
	results[7] = sigwaitinfo(&set, &si);
	return NULL;
}

static void wait_sleeping(void)
{
	while (!sleeping)
		usleep(1000);
	usleep(50000);
	sleeping = 0;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigset_t usr1, usr2, pend;
	pthread_t w[4], c;
	siginfo_t info;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);

	/* 1. a sleeping target: its handler, its EINTR */
	pthread_create(&target, NULL, sleeper, NULL);
	wait_sleeping();
	pthread_kill(target, SIGUSR1);
	pthread_join(target, NULL);
	printf("sleep: handler ran in the target %d, nanosleep %s\n",
	       pthread_equal(ran_in, target), strerror(results[0]));

	/* 2. a target waiting for a mutex */
	handled = 0;
	pthread_mutex_lock(&m);
	pthread_create(&target, NULL, locker, NULL);
	wait_sleeping();
	pthread_kill(target, SIGUSR1);
	usleep(50000);
	printf("mutex: handler ran in the target %d while it waited, ", pthread_equal(ran_in, target));
	pthread_mutex_unlock(&m);
	pthread_join(target, NULL);
	printf("it then got the lock (handled %d)\n", results[1]);

	/* 3. four threads in sigwait, one kill each */
	pthread_sigmask(SIG_BLOCK, &usr2, NULL);
	for (long i = 0; i < 4; i++)
		pthread_create(&w[i], NULL, waiter, (void *)i);
	usleep(50000);
	for (int i = 0; i < 4; i++)
		pthread_kill(w[i], SIGUSR2);
	for (int i = 0; i < 4; i++)
		pthread_join(w[i], NULL);
	printf("sigwait: each of 4 threads got its own: %d %d %d %d\n", results[2] == SIGUSR2,
	       results[3] == SIGUSR2, results[4] == SIGUSR2, results[5] == SIGUSR2);

	/* 4. pending in main (blocked), not in the thread it creates */
	handled = 0;
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	pthread_kill(pthread_self(), SIGUSR1);
	pthread_create(&c, NULL, child_of_pending, NULL);
	pthread_join(c, NULL);
	sigpending(&pend);
	printf("pending: new thread saw it %d, ran its handler %d; main's sigpending has it %d\n",
	       results[6] / 10, results[6] % 10, sigismember(&pend, SIGUSR1));
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	printf("pending: unblocking ran it at once in main %d\n",
	       handled == 1 && pthread_equal(ran_in, pthread_self()));

	/* 5. sigwaitinfo takes a signal its caller does not block (the handler does not run) */
	handled = 0;
	pthread_create(&target, NULL, unblocked_waiter, NULL);
	wait_sleeping();
	pthread_kill(target, SIGUSR1);
	pthread_join(target, NULL);
	printf("sigwaitinfo, unblocked: it returned the signal %d, the handler ran %d\n",
	       results[7] == SIGUSR1, handled);

	/* 6. sigwaitinfo's si_code */
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	pthread_kill(pthread_self(), SIGUSR1);
	sigwaitinfo(&usr1, &info);
	printf("sigwaitinfo: pthread_kill si_code %d (glibc folds SI_TKILL into SI_USER), si_pid ours %d\n",
	       info.si_code, info.si_pid == getpid());
	pthread_sigqueue(pthread_self(), SIGUSR1, (union sigval){ .sival_int = 42 });
	sigwaitinfo(&usr1, &info);
	printf("sigwaitinfo: pthread_sigqueue si_code SI_QUEUE %d, value %d\n",
	       info.si_code == SI_QUEUE, info.si_value.sival_int);

	/* 7. raise is thread-directed too: pending in main, not in a thread main creates */
	handled = 0;
	raise(SIGUSR1);
	pthread_create(&c, NULL, child_of_pending, NULL);
	pthread_join(c, NULL);
	sigwaitinfo(&usr1, &info);
	printf("raise: new thread saw it %d, ran its handler %d; main's sigwaitinfo si_code %d\n",
	       results[6] / 10, results[6] % 10, info.si_code);

	/* 8. a real-time signal queues each instance, in order */
	{
		sigset_t rt;
		int got[3] = { 0 };

		sigemptyset(&rt);
		sigaddset(&rt, SIGRTMIN + 2);
		pthread_sigmask(SIG_BLOCK, &rt, NULL);
		for (int i = 1; i <= 3; i++)
			pthread_sigqueue(pthread_self(), SIGRTMIN + 2, (union sigval){ .sival_int = i });
		for (int i = 0; i < 3; i++) {
			struct timespec zero = { 0, 0 };
			if (sigtimedwait(&rt, &info, &zero) == SIGRTMIN + 2)
				got[i] = info.si_value.sival_int;
		}
		sigpending(&pend);
		printf("real-time: three instances in order %d %d %d, none left %d\n", got[0], got[1],
		       got[2], !sigismember(&pend, SIGRTMIN + 2));
	}
	return 0;
}
