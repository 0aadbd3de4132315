/* Load generator (runs natively, never under libgreen): opens C connections to 127.0.0.1:PORT,
 * then every connection does request/response round trips of 64 bytes for SECONDS, driven by
 * one epoll loop. Verifies every echoed byte. Prints "rtt_per_sec=X connections=C errors=E".
 * Past 4,000 connections the source addresses 127.0.0.2... are used, 4,000 each.
 * Usage: echo_client PORT C SECONDS */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MSG 64

struct conn {
	int fd;
	int got;          /* bytes of the current reply received */
	unsigned char seq; /* payload pattern of the current request */
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int send_request(struct conn *c)
{
	unsigned char buf[MSG];

	memset(buf, ++c->seq, sizeof buf);
	c->got = 0;
	return write(c->fd, buf, MSG) == MSG ? 0 : -1;
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 0, n = argc > 2 ? atoi(argv[2]) : 100;
	double secs = argc > 3 ? atof(argv[3]) : 3, start, end;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				 .sin_port = htons((uint16_t)port) };
	struct conn *conns = calloc((size_t)n, sizeof *conns);
	struct epoll_event ev, evs[256];
	struct rlimit rl;
	long trips = 0, errors = 0;
	int ep = epoll_create1(0), one = 1;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	for (int i = 0; i < n; i++) {
		/* One source address has ~28k ephemeral ports towards one server port, and the
		 * kernel's search for a free one slows down as they fill: past 4,000 connections,
		 * spread them over 127.0.0.2, 127.0.0.3, ... (all loopback), 4,000 each. */
		struct sockaddr_in src = { .sin_family = AF_INET,
					   .sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1 + (uint32_t)(i / 4000)) };
		conns[i].fd = socket(AF_INET, SOCK_STREAM, 0);
		if (conns[i].fd >= 0 && n > 4000 &&
		    (setsockopt(conns[i].fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one) ||
		     bind(conns[i].fd, (struct sockaddr *)&src, sizeof src))) {
			fprintf(stderr, "echo_client: bind: %s\n", strerror(errno));
			return 1;
		}
		if (conns[i].fd < 0 || connect(conns[i].fd, (struct sockaddr *)&a, sizeof a)) {
			fprintf(stderr, "echo_client: connection %d: %s\n", i, strerror(errno));
			return 1;
		}
		setsockopt(conns[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		ev.events = EPOLLIN;
		ev.data.ptr = &conns[i];
		epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
	}
	start = now();
	end = start + secs;
	for (int i = 0; i < n; i++)
		send_request(&conns[i]);
	while (now() < end) {
		int k = epoll_wait(ep, evs, 256, 100);
		for (int i = 0; i < k; i++) {
			struct conn *c = evs[i].data.ptr;
			unsigned char buf[MSG];
			ssize_t r = read(c->fd, buf, (size_t)(MSG - c->got));
			if (r <= 0) {
				errors++;
				continue;
			}
			for (ssize_t j = 0; j < r; j++)
				errors += buf[j] != c->seq;
			c->got += (int)r;
			if (c->got == MSG) {
				trips++;
				send_request(c);
			}
		}
	}
	printf("rtt_per_sec=%.0f connections=%d errors=%ld\n", trips / (now() - start), n, errors);
	for (int i = 0; i < n; i++)
		close(conns[i].fd);
	return errors != 0;
}
