/* close() of an fd other threads wait on: under libgreen they wake with EBADF (natively they
 * would sleep on until data arrives, which is why this program never closes it natively: it
 * prints what it observed only under libgreen). Then the fd number is reused by a new socket
 * and a thread waiting on the new one gets its own data, never a stale wake-up. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fd_waited;

static void *reader(void *arg)
{
	char c;
	ssize_t r = read(fd_waited, &c, 1);

	(void)arg;
	return (void *)(intptr_t)(r < 0 ? -errno : r);
}

int main(void)
{
	int a[2], b[2];
	pthread_t t[3];
	void *r;

	socketpair(AF_UNIX, SOCK_STREAM, 0, a);
	fd_waited = a[0];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, reader, NULL);
	usleep(20000);
	close(a[0]); /* three readers wait on it */
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], &r);
		printf("reader %d: %s\n", i, (intptr_t)r < 0 ? strerrorname_np((int)-(intptr_t)r) : "data");
	}
	socketpair(AF_UNIX, SOCK_STREAM, 0, b); /* reuses the closed number */
	printf("new socket reuses the number: %d\n", b[0] == a[0]);
	fd_waited = b[0];
	pthread_create(&t[0], NULL, reader, NULL);
	usleep(20000);
	write(b[1], "x", 1);
	pthread_join(t[0], &r);
	printf("reader of the new socket got: %s\n", (intptr_t)r == 1 ? "its byte" : "something else");
	return 0;
}
