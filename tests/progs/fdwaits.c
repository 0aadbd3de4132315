/* fd waits that must behave as natively: pipes between threads (large writes, partial reads,
 * EOF, EPIPE), poll/select/epoll_wait with readiness and timeouts, a thread running its own
 * epoll loop while others block, SO_RCVTIMEO/SO_SNDTIMEO, the program's own non-blocking mode
 * (fcntl, SOCK_NONBLOCK, FIONBIO, pipe2) with EAGAIN at once and F_GETFL as set, connect
 * errors, and bad input. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static const char *en(long r)
{
	return r < 0 ? strerrorname_np(errno) : "ok";
}

#define SHOW(label, call)                                  \
	do {                                               \
		long r_ = (long)(call);                    \
		printf("%s: %ld %s\n", label, r_, en(r_)); \
	} while (0)

/* Bad input the compiler cannot see through (it would refuse to build the calls). */
static void *volatile bad_ptr = (void *)8;
static volatile size_t huge_len = (size_t)-1;

static long ms_since(struct timespec a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
}

/* ---- pipes ---- */
static int pipefd[2];

static void *pipe_writer(void *arg)
{
	(void)arg;
	size_t len = 1 << 20;
	char *buf = malloc(len);

	for (size_t i = 0; i < len; i++)
		buf[i] = (char)(i * 7);
	/* 1 MiB in one blocking write: far beyond the 64 KiB pipe, so it waits for the reader */
	ssize_t w = write(pipefd[1], buf, len);
	usleep(20000);
	w += write(pipefd[1], "tail", 4);
	close(pipefd[1]);
	free(buf);
	return (void *)w;
}

static void pipes(void)
{
	pthread_t t;
	char buf[5000];
	size_t total = 0, bad = 0, reads = 0;
	ssize_t n;
	void *w;

	pipe(pipefd);
	pthread_create(&t, NULL, pipe_writer, NULL);
	while ((n = read(pipefd[0], buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n && total + (size_t)i < (1 << 20); i++)
			bad += buf[i] != (char)((total + (size_t)i) * 7);
		total += (size_t)n;
		reads++;
	}
	pthread_join(t, &w);
	printf("pipe: writer wrote %ld, reader got %zu bytes in several reads %d, corrupt %zu, EOF %ld\n",
	       (long)w, total, reads > 10, bad, (long)n);
	close(pipefd[0]);
	pipe(pipefd);
	close(pipefd[0]);
	signal(SIGPIPE, SIG_IGN);
	SHOW("write to a pipe without readers", write(pipefd[1], "x", 1));
	close(pipefd[1]);
}

/* ---- poll / select / epoll ---- */
static int sv[2];

static void *late_writer(void *arg)
{
	usleep((useconds_t)(uintptr_t)arg * 1000);
	write(sv[1], "ping", 4);
	return NULL;
}

static void waits(void)
{
	struct pollfd p[2];
	struct timespec a;
	pthread_t t;
	fd_set rs;
	struct timeval tv;
	int ep;
	struct epoll_event ev = { .events = EPOLLIN }, out[4];
	char buf[16];

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	p[0] = (struct pollfd){ sv[0], POLLIN, 0 };
	p[1] = (struct pollfd){ sv[0], POLLOUT, 0 };
	SHOW("poll: writable now", poll(&p[1], 1, 1000));
	printf("poll: revents POLLOUT %d\n", (p[1].revents & POLLOUT) != 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	SHOW("poll: nothing to read, 50 ms timeout", poll(p, 1, 50));
	printf("poll: waited >= 50 ms %d\n", ms_since(a) >= 50);
	pthread_create(&t, NULL, late_writer, (void *)30);
	SHOW("poll: data after 30 ms, no timeout", poll(p, 1, -1));
	printf("poll: revents POLLIN %d\n", (p[0].revents & POLLIN) != 0);
	pthread_join(t, NULL);
	read(sv[0], buf, sizeof buf);

	FD_ZERO(&rs);
	FD_SET(sv[0], &rs);
	tv = (struct timeval){ 0, 50000 };
	SHOW("select: 50 ms timeout", select(sv[0] + 1, &rs, NULL, NULL, &tv));
	printf("select: set cleared %d, timeval left zero %d\n", !FD_ISSET(sv[0], &rs), tv.tv_sec == 0 && tv.tv_usec == 0);
	FD_SET(sv[0], &rs);
	pthread_create(&t, NULL, late_writer, (void *)30);
	SHOW("select: data after 30 ms", select(sv[0] + 1, &rs, NULL, NULL, NULL));
	printf("select: fd set %d\n", FD_ISSET(sv[0], &rs) != 0);
	pthread_join(t, NULL);
	read(sv[0], buf, sizeof buf);

	ep = epoll_create1(0);
	ev.data.fd = sv[0];
	epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev);
	SHOW("epoll_wait: 50 ms timeout", epoll_wait(ep, out, 4, 50));
	pthread_create(&t, NULL, late_writer, (void *)30);
	SHOW("epoll_wait: data after 30 ms", epoll_wait(ep, out, 4, -1));
	printf("epoll_wait: event for the socket %d\n", out[0].data.fd == sv[0] && (out[0].events & EPOLLIN));
	pthread_join(t, NULL);
	read(sv[0], buf, sizeof buf);
	close(ep);
	SHOW("poll: invalid fd gets POLLNVAL", poll(&(struct pollfd){ 999, POLLIN, 0 }, 1, 10));
	SHOW("poll: bad pointer", poll(bad_ptr, 1, 10));
	SHOW("epoll_wait: not an epoll fd", epoll_wait(sv[0], out, 4, 10));
	SHOW("select: nfds -1", select(-1, NULL, NULL, NULL, &(struct timeval){ 0, 1000 }));
}

/* ---- a private epoll loop in one thread while others block ---- */
static volatile int loop_events;

static void *epoll_loop(void *arg)
{
	int ep = epoll_create1(0), fds[2];
	struct epoll_event ev = { .events = EPOLLIN }, out[4];
	char c;

	socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
	ev.data.fd = fds[0];
	epoll_ctl(ep, EPOLL_CTL_ADD, fds[0], &ev);
	*(int *)arg = fds[1];
	while (loop_events < 5) {
		int n = epoll_wait(ep, out, 4, 1000);
		for (int i = 0; i < n; i++)
			if (read(out[i].data.fd, &c, 1) == 1)
				loop_events++;
	}
	close(ep);
	close(fds[0]);
	return NULL;
}

static void *blocked_reader(void *arg)
{
	char c;
	return (void *)(intptr_t)read(*(int *)arg, &c, 1);
}

static void private_loop(void)
{
	pthread_t loop, reader;
	int feed = -1, other[2];
	void *r;

	socketpair(AF_UNIX, SOCK_STREAM, 0, other);
	pthread_create(&reader, NULL, blocked_reader, &other[0]);
	pthread_create(&loop, NULL, epoll_loop, &feed);
	while (feed < 0)
		usleep(1000);
	for (int i = 0; i < 5; i++) {
		write(feed, "e", 1);
		usleep(5000);
	}
	pthread_join(loop, NULL);
	write(other[1], "r", 1);
	pthread_join(reader, &r);
	printf("private epoll loop: %d events while another thread blocked in read, which then got %ld\n",
	       loop_events, (long)(intptr_t)r);
}

/* ---- socket timeouts, non-blocking mode, errors ---- */
static void timeouts_and_modes(void)
{
	int s[2], fl, on = 1;
	struct timeval tv = { 0, 100000 };
	struct timespec a;
	char buf[65536];
	long sent = 0;
	ssize_t r;

	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	setsockopt(s[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	clock_gettime(CLOCK_MONOTONIC, &a);
	SHOW("recv with SO_RCVTIMEO 100 ms", recv(s[0], buf, 10, 0));
	printf("recv timeout took >= 100 ms %d\n", ms_since(a) >= 100);
	SHOW("read with SO_RCVTIMEO 100 ms", read(s[0], buf, 10));
	setsockopt(s[1], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	memset(buf, 'x', sizeof buf);
	while ((r = send(s[1], buf, sizeof buf, 0)) > 0)
		sent += r;
	printf("send with SO_SNDTIMEO stops when full: %s after sending some %d\n", strerrorname_np(errno), sent > 0);
	close(s[0]);
	close(s[1]);

	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	fl = fcntl(s[0], F_GETFL);
	fcntl(s[0], F_SETFL, fl | O_NONBLOCK);
	printf("F_GETFL after F_SETFL O_NONBLOCK: %d\n", (fcntl(s[0], F_GETFL) & O_NONBLOCK) != 0);
	SHOW("read on user non-blocking socket", read(s[0], buf, 10));
	fcntl(s[0], F_SETFL, fl);
	printf("F_GETFL after clearing: %d\n", (fcntl(s[0], F_GETFL) & O_NONBLOCK) != 0);
	ioctl(s[0], FIONBIO, &on);
	SHOW("recv after FIONBIO", recv(s[0], buf, 10, 0));
	SHOW("recv MSG_DONTWAIT", recv(s[1], buf, 10, MSG_DONTWAIT));
	close(s[0]);
	close(s[1]);
	socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, s);
	SHOW("read on SOCK_NONBLOCK socket", read(s[0], buf, 10));
	close(s[0]);
	close(s[1]);
	pipe2(s, O_NONBLOCK);
	SHOW("read on pipe2 O_NONBLOCK", read(s[0], buf, 10));
	printf("pipe F_GETFL O_NONBLOCK: %d\n", (fcntl(s[0], F_GETFL) & O_NONBLOCK) != 0);
	close(s[0]);
	close(s[1]);

	{
		struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "/nonexistent/libgreen.sock" };
		int l = socket(AF_INET, SOCK_STREAM, 0), c;
		socklen_t len = sizeof sin;
		bind(l, (struct sockaddr *)&sin, sizeof sin);
		getsockname(l, (struct sockaddr *)&sin, &len);
		close(l); /* the port is now closed: connect is refused */
		c = socket(AF_INET, SOCK_STREAM, 0);
		SHOW("connect to a closed port", connect(c, (struct sockaddr *)&sin, sizeof sin));
		close(c);
		c = socket(AF_UNIX, SOCK_STREAM, 0);
		SHOW("connect to a missing unix socket", connect(c, (struct sockaddr *)&sun, sizeof sun));
		close(c);
	}
	SHOW("read from fd 999", read(999, buf, 1));
	SHOW("write to fd -1", write(-1, buf, 1));
	SHOW("recv on a pipe", (pipe(s), recv(s[0], buf, 1, 0)));
	close(s[0]);
	close(s[1]);
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	SHOW("read into a bad pointer", (write(s[1], "ab", 2), read(s[0], bad_ptr, 2)));
	SHOW("write from a bad pointer", write(s[1], bad_ptr, 2));
	SHOW("read with a huge length", (write(s[1], "ab", 2), read(s[0], buf, huge_len)));
	close(s[1]);
	SHOW("read at EOF", read(s[0], buf, 10));
	close(s[0]);
	SHOW("read on a closed fd", read(s[0], buf, 10));
}

int main(void)
{
	pipes();
	waits();
	private_loop();
	timeouts_and_modes();
	return 0;
}
