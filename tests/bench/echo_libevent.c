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

#include "../progs/loopback.h"

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
	int l = loopback_listen(argc > 1 ? atoi(argv[1]) : 0, SOCK_NONBLOCK);

	base = event_base_new();
	event_add(event_new(base, l, EV_READ | EV_PERSIST, on_accept, NULL), NULL);
	event_base_dispatch(base);
	return 0;
}
