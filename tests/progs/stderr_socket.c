/* A daemon that puts a client's socket on fd 2, then runs threads: nothing of libgreen's
 * (debug lines, reports, statistics) may reach the peer. Prints what the peer received. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static void *worker(void *arg)
{
	usleep(1000);
	return arg;
}

int main(void)
{
	int sv[2];
	pthread_t t;
	char buf[4096];
	ssize_t n;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	dup2(sv[0], 2);
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	n = read(sv[1], buf, sizeof buf);
	printf("the peer received %zd bytes\n", n > 0 ? n : 0);
	return 0;
}
