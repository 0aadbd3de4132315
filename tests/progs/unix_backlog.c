/* AF_UNIX connects to a listener whose backlog (1) is full, from four threads of a forked
 * client process, while the server (the parent) takes connections in a level-triggered
 * epoll_wait loop: each blocking connect waits for room, as the kernel queues it, and every
 * connection is served. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define CLIENTS 4
#define EACH 2000

static struct sockaddr_un sa = { .sun_family = AF_UNIX };

static void *client(void *arg)
{
	long ok = 0;

	(void)arg;
	for (int i = 0; i < EACH; i++) {
		int s = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(s, (struct sockaddr *)&sa, sizeof sa)) {
			perror("connect");
			exit(1);
		}
		if (write(s, "x", 1) == 1) /* no answer awaited: connects pile up in the backlog */
			ok++;
		close(s);
	}
	return (void *)ok;
}

int main(void)
{
	int total = 0, status;
	pid_t pid;

	alarm(60);
	snprintf(sa.sun_path, sizeof sa.sun_path, "/tmp/unix_backlog.%d", (int)getpid());
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (bind(l, (struct sockaddr *)&sa, sizeof sa) || listen(l, 1)) {
		perror("listen");
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		pthread_t t[CLIENTS];
		long served = 0;
		void *ok;
		for (int i = 0; i < CLIENTS; i++)
			pthread_create(&t[i], NULL, client, NULL);
		for (int i = 0; i < CLIENTS; i++) {
			pthread_join(t[i], &ok);
			served += (long)ok;
		}
		printf("client: %ld of %d connections made\n", served, CLIENTS * EACH);
		fflush(stdout);
		exit(0);
	}
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = l };
	epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
	while (total < CLIENTS * EACH) {
		struct epoll_event e[4];
		int n = epoll_wait(ep, e, 4, 10000);
		if (n <= 0) {
			printf("server: epoll_wait answered %d with %d served\n", n, total);
			break;
		}
		int c = accept(l, NULL, NULL); /* one per wake: the backlog stays full meanwhile */
		char x;
		if (c >= 0 && read(c, &x, 1) == 1 && x == 'x')
			total++;
		close(c);
	}
	waitpid(pid, &status, 0);
	printf("server: %d connections served, client exit %d\n", total, WEXITSTATUS(status));
	unlink(sa.sun_path);
	return 0;
}
