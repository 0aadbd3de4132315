/* "Block signals in every worker, take them in one waiting thread": each waiting call that
 * takes a signal mask (ppoll, pselect, epoll_pwait, sigsuspend) is the one place the signal is
 * unblocked, while a worker that blocks it sends it to the process (kill) or to the waiter
 * (pthread_kill). The handler runs, the wait ends with EINTR, and the caller's own mask is back
 * afterwards (a second signal stays pending). */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <unistd.h>

static volatile sig_atomic_t handled;
static pthread_t waiter;
static int directed;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static void *sender(void *arg)
{
	(void)arg;
	usleep(100000);
	if (directed)
		pthread_kill(waiter, SIGUSR1);
	else
		kill(getpid(), SIGUSR1);
	return NULL;
}

/* One case: the waiter (this thread) blocks SIGUSR1, starts a sender that blocks it too, and
 * waits with a mask that unblocks it. */
static void run(const char *name, int how)
{
	sigset_t none, pending;
	int fds[2], r, e, ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN };
	pthread_t t;

	pipe(fds);
	ev.data.fd = fds[0];
	epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev);
	sigemptyset(&none);
	handled = 0;
	pthread_create(&t, NULL, sender, NULL);
	struct pollfd p = { fds[0], POLLIN, 0 };
	struct timespec ts = { 5, 0 };
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	switch (how) {
	case 0: r = ppoll(&p, 1, &ts, &none); break;
	case 1: r = pselect(fds[0] + 1, &rd, NULL, NULL, &ts, &none); break;
	case 2: r = epoll_pwait(ep, &ev, 1, 5000, &none); break;
	default: r = sigsuspend(&none); break;
	}
	e = errno;
	pthread_join(t, NULL);
	/* the caller's mask is back: a second signal stays pending */
	kill(getpid(), SIGUSR1);
	sigpending(&pending);
	int again = sigismember(&pending, SIGUSR1);
	int sig;
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigwait(&usr1, &sig);
	printf("%-12s %s: %d %s, handler ran %d, blocked again after: %d\n", name, directed ? "pthread_kill" : "kill", r,
	       r < 0 ? strerror(e) : "", (int)handled, again);
	close(fds[0]);
	close(fds[1]);
	close(ep);
}

int main(void)
{
	sigset_t usr1;
	const char *names[] = { "ppoll", "pselect", "epoll_pwait", "sigsuspend" };

	signal(SIGUSR1, on_usr1);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	waiter = pthread_self();
	alarm(30);
	for (directed = 0; directed < 2; directed++)
		for (int how = 0; how < 4; how++)
			run(names[how], how);
	return 0;
}
