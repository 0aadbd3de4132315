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
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	pthread_attr_t attr;
	struct rlimit rl;
	int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	a.sin_port = htons((uint16_t)(argc > 1 ? atoi(argv[1]) : 0));
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 4096)) {
		perror("echo_server: bind/listen");
		return 1;
	}
	getsockname(l, (struct sockaddr *)&a, &len);
	printf("port %d\n", ntohs(a.sin_port));
	fflush(stdout);
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
