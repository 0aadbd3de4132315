/* Shared by the test servers: raise the fd limit to its hard maximum, listen on
 * 127.0.0.1:port (0: any free port; flags: extra socket type flags such as SOCK_NONBLOCK),
 * print "port N" on stdout and return the listening socket, or exit(1). */
#ifndef TESTS_PROGS_LOOPBACK_H
#define TESTS_PROGS_LOOPBACK_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>

static inline int loopback_listen(int port, int flags)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				 .sin_port = htons((uint16_t)port) };
	socklen_t len = sizeof a;
	struct rlimit rl;
	int l = socket(AF_INET, SOCK_STREAM | flags, 0), one = 1;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 4096)) {
		perror("bind/listen");
		exit(1);
	}
	getsockname(l, (struct sockaddr *)&a, &len);
	printf("port %d\n", ntohs(a.sin_port));
	fflush(stdout);
	return l;
}

#endif
