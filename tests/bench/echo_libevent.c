/* The baseline: a hand-written single-threaded libevent echo server (what libgreen should match
 * without rewriting the program). Prints "port N"; runs until killed. Usage: echo_libevent [PORT] */
#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static struct event_base *base;

static void on_read(evutil_socket_t fd, short what, void *arg)
{
	struct event *ev = arg;
	char buf[4096];
	ssize_t n;

	(void)what;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		ssize_t off = 0;
		while (off < n) { /* echo replies are small: a short blocking retry is enough */
			ssize_t w = write(fd, buf + off, (size_t)(n - off));
			if (w > 0)
				off += w;
		}
	}
	if (n == 0 || (n < 0 && errno != EAGAIN)) {
		event_free(ev);
		close(fd);
	}
}

static void on_accept(evutil_socket_t l, short what, void *arg)
{
	int fd, one = 1;

	(void)what;
	(void)arg;
	while ((fd = accept4(l, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
		struct event *ev = event_new(base, fd, EV_READ | EV_PERSIST, on_read, NULL);
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		event_assign(ev, base, fd, EV_READ | EV_PERSIST, on_read, ev);
		event_add(ev, NULL);
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	struct rlimit rl;
	int l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	a.sin_port = htons((uint16_t)(argc > 1 ? atoi(argv[1]) : 0));
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 4096)) {
		perror("echo_libevent: bind/listen");
		return 1;
	}
	getsockname(l, (struct sockaddr *)&a, &len);
	printf("port %d\n", ntohs(a.sin_port));
	fflush(stdout);
	base = event_base_new();
	event_add(event_new(base, l, EV_READ | EV_PERSIST, on_accept, NULL), NULL);
	event_base_dispatch(base);
	return 0;
}
