/* An ordinary thread-per-connection HTTP/1.1 server with keep-alive: one pthread per accepted
 * connection reads requests and answers each with a small fixed body. Prints "port N"; runs
 * until killed. Usage: http_server [PORT [WORKERS]] (WORKERS pre-forked processes, default 1) */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loopback.h"

static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n"
			    "Connection: keep-alive\r\n\r\nHello, world!";

static void *serve(void *arg)
{
	int fd = (int)(intptr_t)arg, one = 1;
	char buf[8192];
	size_t have = 0;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	for (;;) {
		char *end;
		ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);
		if (n <= 0)
			break;
		have += (size_t)n;
		buf[have] = '\0';
		/* Answer every complete request (headers end with an empty line; no bodies). */
		while ((end = strstr(buf, "\r\n\r\n"))) {
			size_t used = (size_t)(end + 4 - buf);
			if (write(fd, reply, sizeof reply - 1) != (ssize_t)(sizeof reply - 1))
				goto out;
			memmove(buf, buf + used, have - used + 1);
			have -= used;
		}
		if (have == sizeof buf - 1)
			break; /* a request too large for us */
	}
out:
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_attr_t attr;
	int l = loopback_listen(argc > 1 ? atoi(argv[1]) : 0, 0);
	int workers = argc > 2 ? atoi(argv[2]) : 1;

	/* Pre-fork the gevent way: WORKERS processes accept on the same listener, each with its
	 * own threads (under libgreen: its own hub). Children end with the parent. */
	for (int i = 1; i < workers; i++)
		if (fork() == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			break;
		}

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 << 10);
	for (;;) {
		int fd = accept(l, NULL, NULL);
		pthread_t t;
		if (fd < 0)
			continue;
		if (pthread_create(&t, &attr, serve, (void *)(intptr_t)fd))
			close(fd);
	}
}
