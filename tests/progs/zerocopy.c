/* sendfile of a 4 MiB file to a socket whose reader is slow (so the socket fills up), and
 * splice from a socket into a pipe and on to another socket, between threads; checksums. */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#define SIZE (4 << 20)

static int s[2], t[2];

static void *slow_reader(void *arg)
{
	char buf[8192];
	uint64_t sum = 0, total = 0;
	ssize_t n;

	(void)arg;
	usleep(50000); /* let the sender fill the socket first */
	while (total < SIZE && (n = read(s[1], buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			sum = sum * 31 + (unsigned char)buf[i];
		total += (uint64_t)n;
	}
	printf("sendfile: received %lu bytes, checksum %016lx\n", (unsigned long)total, (unsigned long)sum);
	return NULL;
}

static void *splicer(void *arg)
{
	int p[2];
	ssize_t n, total = 0;

	(void)arg;
	pipe(p);
	while (total < 100000 && (n = splice(t[1], NULL, p[1], NULL, 65536, 0)) > 0) {
		total += n;
		while (n > 0) {
			ssize_t m = splice(p[0], NULL, s[0], NULL, (size_t)n, 0);
			if (m <= 0)
				return NULL;
			n -= m;
		}
	}
	printf("splice: moved %zd bytes socket -> pipe -> socket\n", total);
	return NULL;
}

int main(void)
{
	char path[] = "/tmp/libgreen-zerocopy-XXXXXX";
	int fd = mkstemp(path);
	char *data = malloc(SIZE), buf[4096];
	pthread_t r, sp;
	off_t off = 0;
	ssize_t sent;
	long got = 0;

	unlink(path);
	for (int i = 0; i < SIZE; i++)
		data[i] = (char)(i * 13 + (i >> 11));
	write(fd, data, SIZE);
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	pthread_create(&r, NULL, slow_reader, NULL);
	sent = sendfile(s[0], fd, &off, SIZE);
	pthread_join(r, NULL);
	printf("sendfile returned %zd, offset now %ld\n", sent, (long)off);

	socketpair(AF_UNIX, SOCK_STREAM, 0, t);
	pthread_create(&sp, NULL, splicer, NULL);
	for (int i = 0; i < 25; i++) {
		write(t[0], data + i * 4000, 4000);
		usleep(1000);
	}
	while (got < 100000) {
		ssize_t n = read(s[1], buf, sizeof buf);
		if (n <= 0)
			break;
		got += n;
	}
	pthread_join(sp, NULL);
	printf("reader got %ld spliced bytes\n", got);
	return 0;
}
