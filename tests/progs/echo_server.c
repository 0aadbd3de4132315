/* An ordinary thread-per-connection TCP echo server: the main thread accepts on 127.0.0.1 and
 * starts a detached thread (64 KiB stack) per connection that echoes until EOF. Prints
 * "port N" once listening; runs until killed. Usage: echo_server [PORT] */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loopback.h"

static void *serve(void *arg)
{
	int fd = (int)(intptr_t)arg, one = 1;
	char buf[4096];
	ssize_t n;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (write(fd, buf, (size_t)n) != n)
			break;
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_attr_t attr;
	int l = loopback_listen(argc > 1 ? atoi(argv[1]) : 0, 0);

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
