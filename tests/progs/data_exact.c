/* Data the kernel moves exactly, from green threads: MSG_PEEK|MSG_WAITALL peeks the whole
 * amount once, writev with empty iovecs, packet-mode (O_DIRECT) pipes keep one writev as one
 * packet, iov_len beyond SSIZE_MAX is EINVAL, and an EPIPE in a thread that blocked SIGPIPE
 * leaves the signal with that thread (other threads carry on). Prints each result. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static void nap(int ms)
{
	struct timespec d = { 0, ms * 1000000L };

	nanosleep(&d, NULL);
}

static void show(const char *what, long r, const char *data)
{
	printf("%-52s -> %ld %s%s%s\n", what, r, r < 0 ? strerrorname_np(errno) : "",
	       data ? " " : "", data ? data : "");
}

static int sv[2];

static void *late_writer(void *arg)
{
	(void)arg;
	nap(100);
	if (write(sv[1], "def", 3) != 3)
		perror("write");
	return NULL;
}

static void *peeker(void *arg)
{
	char buf[16] = "";
	pthread_t w;
	long r;

	(void)arg;
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	if (write(sv[1], "abc", 3) != 3)
		perror("write");
	pthread_create(&w, NULL, late_writer, NULL);
	r = recv(sv[0], buf, 6, MSG_PEEK | MSG_WAITALL);
	buf[r > 0 ? r : 0] = '\0';
	show("recv(6, MSG_PEEK|MSG_WAITALL), 3 bytes come later", r, buf);
	memset(buf, 0, sizeof buf);
	r = recv(sv[0], buf, 6, 0);
	show("recv(6) after it", r, buf);
	pthread_join(w, NULL);
	close(sv[0]);
	close(sv[1]);
	return NULL;
}

static void *vectors(void *arg)
{
	int p[2];
	char buf[64] = "";
	long r;
	static char big[16];
	struct iovec v[3];

	(void)arg;
	/* an empty first iovec */
	pipe(p);
	v[0] = (struct iovec){ NULL, 0 };
	v[1] = (struct iovec){ "abc", 3 };
	r = writev(p[1], v, 2);
	show("writev(pipe, {empty, \"abc\"})", r, NULL);
	v[0] = (struct iovec){ "x", 0 };
	v[1] = (struct iovec){ NULL, 0 };
	r = writev(p[1], v, 2);
	show("writev(pipe, {empty, empty})", r, NULL);
	r = read(p[0], buf, sizeof buf - 1);
	buf[r > 0 ? r : 0] = '\0';
	show("read(pipe)", r, buf);
	/* beyond SSIZE_MAX */
	v[0] = (struct iovec){ big, (size_t)SSIZE_MAX + 1 };
	r = writev(p[1], v, 1);
	show("writev(pipe, iov_len SSIZE_MAX + 1)", r, NULL);
	v[0] = (struct iovec){ big, (size_t)SSIZE_MAX / 2 + 1 };
	v[1] = (struct iovec){ big, (size_t)SSIZE_MAX / 2 + 1 };
	r = writev(p[1], v, 2);
	show("writev(pipe, two iovecs summing past SSIZE_MAX)", r, NULL);
	r = readv(p[0], v, 2);
	show("readv(pipe, the same)", r, NULL);
	close(p[0]);
	close(p[1]);
	/* a packet-mode pipe: one writev is one packet */
	if (pipe2(p, O_DIRECT) == 0) {
		v[0] = (struct iovec){ "ab", 2 };
		v[1] = (struct iovec){ "cd", 2 };
		v[2] = (struct iovec){ "ef", 2 };
		r = writev(p[1], v, 3);
		show("writev(O_DIRECT pipe, 3 iovecs)", r, NULL);
		r = read(p[0], buf, sizeof buf - 1);
		buf[r > 0 ? r : 0] = '\0';
		show("read(O_DIRECT pipe): one packet", r, buf);
		close(p[0]);
		close(p[1]);
	}
	/* a socketpair too */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	v[0] = (struct iovec){ NULL, 0 };
	v[1] = (struct iovec){ "xyz", 3 };
	r = writev(sv[0], v, 2);
	show("writev(socket, {empty, \"xyz\"})", r, NULL);
	v[0] = (struct iovec){ big, (size_t)SSIZE_MAX + 1 };
	r = writev(sv[0], v, 1);
	show("writev(socket, iov_len SSIZE_MAX + 1)", r, NULL);
	close(sv[0]);
	close(sv[1]);
	return NULL;
}

static void *blocked_sigpipe(void *arg)
{
	sigset_t s;
	int p[2];
	long r;

	(void)arg;
	sigemptyset(&s);
	sigaddset(&s, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	pipe(p);
	close(p[0]);
	r = write(p[1], "x", 1);
	show("write to a pipe with no reader, SIGPIPE blocked", r, NULL);
	close(p[1]);
	return NULL;
}

static void *bystander(void *arg)
{
	int p[2];
	char c;

	(void)arg;
	nap(50); /* runs after the EPIPE, with SIGPIPE unblocked */
	pipe(p);
	if (write(p[1], "y", 1) != 1 || read(p[0], &c, 1) != 1)
		perror("pipe");
	close(p[0]);
	close(p[1]);
	return NULL;
}

int main(void)
{
	pthread_t t[2];

	setvbuf(stdout, NULL, _IOLBF, 0);
	pthread_create(&t[0], NULL, peeker, NULL);
	pthread_join(t[0], NULL);
	pthread_create(&t[0], NULL, vectors, NULL);
	pthread_join(t[0], NULL);
	pthread_create(&t[0], NULL, blocked_sigpipe, NULL);
	pthread_create(&t[1], NULL, bystander, NULL);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	nap(20);
	printf("the process carried on after the blocked SIGPIPE\n");
	return 0;
}
