/* Blocking calls made through syscall(2) instead of libc: a read on a pipe another thread
 * writes later, accept and connect on loopback, nanosleep and clock_nanosleep, poll,
 * epoll_pwait with a mask, wait4 on a child, each beside a ticker; a signal handler with
 * SA_RESTART restarts the read but ends the nanosleep with EINTR; errno is untouched on
 * success. Also preadv2/pwritev2 at offset -1 (the current position) on a pipe, and pread on a
 * pipe (ESPIPE at once). */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ticker.h"

static int fds[2];
static pthread_t target;

static void on_usr1(int sig)
{
	(void)sig;
}

static void *write_later(void *arg)
{
	(void)arg;
	usleep(50000);
	if (arg)
		pthread_kill(target, SIGUSR1), usleep(30000);
	write(fds[1], "hello", 5);
	return NULL;
}

static void *raw_read(void *interrupt)
{
	char buf[8] = { 0 };
	pthread_t t;

	target = pthread_self();
	pipe(fds);
	pthread_create(&t, NULL, write_later, interrupt);
	errno = 1234;
	long r = syscall(SYS_read, fds[0], buf, sizeof buf);
	printf("SYS_read on a pipe%s: %ld \"%s\" errno %d\n", interrupt ? ", SA_RESTART handler ran meanwhile" : "", r, buf,
	       errno);
	pthread_join(t, NULL);
	close(fds[0]);
	close(fds[1]);
	return NULL;
}

static void *raw_sleeps(void *arg)
{
	struct timespec ts = { 0, 60000000 }, abs;

	(void)arg;
	printf("SYS_nanosleep 60 ms: %ld\n", syscall(SYS_nanosleep, &ts, NULL));
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 60000000;
	if (abs.tv_nsec >= 1000000000)
		abs.tv_sec++, abs.tv_nsec -= 1000000000;
	printf("SYS_clock_nanosleep TIMER_ABSTIME: %ld\n", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL));
	return NULL;
}

static void *raw_v2(void *arg)
{
	char buf[8] = { 0 };
	struct iovec v = { buf, 5 };
	pthread_t t;

	(void)arg;
	pipe(fds);
	pthread_create(&t, NULL, write_later, NULL);
	ssize_t n = preadv2(fds[0], &v, 1, -1, 0);
	printf("preadv2 at offset -1 on a pipe: %zd \"%s\"\n", n, buf);
	pthread_join(t, NULL);
	printf("pread on a pipe: %zd %s\n", pread(fds[0], buf, 1, 0), strerror(errno));
	printf("pwritev2 at offset -1 on a pipe: %zd\n", pwritev2(fds[1], &v, 1, -1, 0));
	close(fds[0]);
	close(fds[1]);
	return NULL;
}

static void *interrupt_later(void *arg)
{
	(void)arg;
	usleep(50000);
	pthread_kill(target, SIGUSR1);
	return NULL;
}

static void *raw_sleep_interrupted(void *arg)
{
	struct timespec ts = { 2, 0 };
	pthread_t t;

	(void)arg;
	target = pthread_self();
	pthread_create(&t, NULL, interrupt_later, NULL);
	long r = syscall(SYS_nanosleep, &ts, NULL);
	printf("SYS_nanosleep 2 s, SA_RESTART handler ran: %ld %s\n", r, r ? strerror(errno) : "");
	pthread_join(t, NULL);
	return NULL;
}

static void *raw_poll(void *arg)
{
	int ep = epoll_create1(0), p[2];
	struct epoll_event ev = { .events = EPOLLIN }, out;
	sigset_t none;

	(void)arg;
	pipe(p);
	struct pollfd pfd = { p[0], POLLIN, 0 };
	printf("SYS_poll 60 ms, nothing ready: %ld\n", syscall(SYS_poll, &pfd, 1, 60));
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	sigemptyset(&none);
	printf("SYS_epoll_pwait 60 ms with a mask: %ld\n", syscall(SYS_epoll_pwait, ep, &out, 1, 60, &none, _NSIG / 8));
	close(p[0]);
	close(p[1]);
	close(ep);
	return NULL;
}

static void *raw_net(void *arg)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0);
	char buf[4] = { 0 };

	(void)arg;
	bind(l, (struct sockaddr *)&a, sizeof a);
	listen(l, 1);
	getsockname(l, (struct sockaddr *)&a, &len);
	if (fork() == 0) {
		usleep(50000);
		int s = socket(AF_INET, SOCK_STREAM, 0);
		syscall(SYS_connect, s, &a, sizeof a);
		syscall(SYS_sendto, s, "abc", 3, 0, NULL, 0);
		_exit(0);
	}
	int s = (int)syscall(SYS_accept, l, NULL, NULL);
	long n = syscall(SYS_recvfrom, s, buf, 3, MSG_WAITALL, NULL, NULL);
	int status;
	long w = syscall(SYS_wait4, -1, &status, 0, NULL);
	printf("SYS_accept, SYS_recvfrom, SYS_wait4: %s, %ld \"%s\", child %s exit %d\n", s >= 0 ? "accepted" : "failed", n, buf,
	       w > 0 ? "reaped" : "not reaped", WEXITSTATUS(status));
	close(s);
	close(c);
	close(l);
	return NULL;
}

int main(void)
{
	void *(*cases[])(void *) = { raw_read, raw_sleeps, raw_sleep_interrupted, raw_poll, raw_net, raw_v2 };
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };

	sigaction(SIGUSR1, &sa, NULL);
	alarm(20);
	for (unsigned i = 0; i < sizeof cases / sizeof *cases; i++) {
		ticking = 1;
		ticks = 0;
		printf("  ticker kept ticking: %s\n", ticker_beside(cases[i], NULL, 10000) >= 3 ? "yes" : "no");
	}
	ticking = 1;
	ticks = 0;
	printf("  ticker kept ticking: %s\n", ticker_beside(raw_read, (void *)1, 10000) >= 3 ? "yes" : "no");
	return 0;
}
