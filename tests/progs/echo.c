/* A thread-per-connection echo server and N client threads in one ordinary program, over
 * loopback TCP: each client sends 20 messages of varying sizes (up to 64 KiB, so reads and
 * writes are partial) and verifies every byte of the echo. Usage: echo N [MODE]
 * MODE: "per-connection" (default; a thread per accepted connection) or "prethreaded"
 * (16 threads all blocked in accept on the one listening socket).
 * stdout: totals (compared with the native run). stderr: "tasks=K" while all are connected. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "os_threads.h"

#define MESSAGES 20
#define MAXMSG 65536

static int listener;
static struct sockaddr_in addr;
static long served, bytes_ok, bytes_bad, clients_done;
static pthread_mutex_t stats = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t all_connected;

static void *serve(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char buf[16384];
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) > 0) {
		ssize_t off = 0;
		while (off < n) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));
			if (w <= 0)
				goto out;
			off += w;
		}
	}
out:
	close(fd);
	pthread_mutex_lock(&stats);
	served++;
	pthread_mutex_unlock(&stats);
	return NULL;
}

static void *acceptor(void *arg)
{
	long count = (long)(intptr_t)arg;

	for (long i = 0; count < 0 || i < count; i++) {
		int fd = accept(listener, NULL, NULL);
		pthread_t t;
		pthread_attr_t a;
		if (fd < 0) {
			if (errno == EINVAL || errno == EBADF)
				return NULL; /* listener shut down */
			continue;
		}
		if (count < 0) { /* prethreaded: serve it here */
			serve((void *)(intptr_t)fd);
			continue;
		}
		pthread_attr_init(&a);
		pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
		pthread_attr_setstacksize(&a, 64 << 10);
		pthread_create(&t, &a, serve, (void *)(intptr_t)fd);
		pthread_attr_destroy(&a);
	}
	return NULL;
}

static void *client(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg * 2654435761u;
	char *out = malloc(MAXMSG), *in = malloc(MAXMSG);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	long ok = 0, bad = 0;

	if (connect(fd, (struct sockaddr *)&addr, sizeof addr)) {
		perror("connect");
		exit(1);
	}
	pthread_barrier_wait(&all_connected);
	for (int m = 0; m < MESSAGES; m++) {
		size_t len = 1 + rand_r(&seed) % (m % 5 == 4 ? MAXMSG : 2000);
		size_t got = 0, sent = 0;
		for (size_t i = 0; i < len; i++)
			out[i] = (char)rand_r(&seed);
		while (sent < len) {
			ssize_t w = send(fd, out + sent, len - sent, 0);
			if (w <= 0) {
				perror("send");
				exit(1);
			}
			sent += (size_t)w;
			/* read what has come back so neither side's buffers fill up */
			while (got < sent) {
				ssize_t r = recv(fd, in + got, len - got, 0);
				if (r <= 0) {
					perror("recv");
					exit(1);
				}
				got += (size_t)r;
			}
		}
		if (memcmp(in, out, len))
			bad += (long)len;
		else
			ok += (long)len;
	}
	close(fd);
	free(out);
	free(in);
	pthread_mutex_lock(&stats);
	bytes_ok += ok;
	bytes_bad += bad;
	clients_done++;
	pthread_mutex_unlock(&stats);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100;
	int prethreaded = argc > 2 && !strcmp(argv[2], "prethreaded");
	pthread_t *t = calloc((size_t)n + 16, sizeof *t), acc[16];
	socklen_t alen = sizeof addr;
	struct rlimit rl;
	int one = 1;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	listener = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(listener, (struct sockaddr *)&addr, sizeof addr) || listen(listener, 4096)) {
		perror("bind/listen");
		return 1;
	}
	getsockname(listener, (struct sockaddr *)&addr, &alen);
	pthread_barrier_init(&all_connected, NULL, (unsigned)n + 1);
	for (int i = 0; i < (prethreaded ? 16 : 1); i++)
		pthread_create(&acc[i], NULL, acceptor, (void *)(intptr_t)(prethreaded ? -1 : n));
	for (long i = 0; i < n; i++) {
		pthread_attr_t a;
		pthread_attr_init(&a);
		pthread_attr_setstacksize(&a, 256 << 10);
		if (pthread_create(&t[i], &a, client, (void *)i)) {
			perror("pthread_create");
			return 1;
		}
		pthread_attr_destroy(&a);
	}
	pthread_barrier_wait(&all_connected);
	fprintf(stderr, "tasks=%d\n", os_threads());
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	if (!prethreaded)
		pthread_join(acc[0], NULL);
	while (__atomic_load_n(&served, __ATOMIC_SEQ_CST) < n)
		usleep(1000);
	printf("%d clients: %ld done, %ld connections served, %ld bytes echoed exactly, %ld bad\n", n,
	       clients_done, served, bytes_ok, bytes_bad);
	return bytes_bad != 0 || clients_done != n;
}
