/* O_NONBLOCK and SO_RCVTIMEO/SO_SNDTIMEO belong to the open file description, not to the fd
 * number: set or cleared through a dup, FIONBIO, a raw system call or a child process, they
 * must act on every fd of the description, from green threads, as natively. A negative socket
 * timeout answers at once. Each case prints what the calls returned and how long they took,
 * in coarse buckets, so the output is the same natively and under libgreen. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ticker.h"

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* "at once" (< 50 ms), "~200 ms" (150..1000) or "late". */
static const char *took(long ms)
{
	return ms < 50 ? "at once" : ms >= 150 && ms < 1000 ? "after ~200 ms" : "late";
}

static void show(const char *what, long r, int err, long t0)
{
	printf("%-58s -> %ld %s, %s\n", what, r, r < 0 ? strerrorname_np(err) : "ok", took(now_ms() - t0));
}

#define TRY(what, call)                        \
	do {                                   \
		long t0_ = now_ms(), r_;       \
		errno = 0;                     \
		r_ = (long)(call);             \
		show(what, r_, errno, t0_);    \
	} while (0)

/* Writes one byte to fd after 200 ms: proves the reader parked only itself. */
struct later {
	int fd;
	pthread_t t;
};

static void *write_later_run(void *arg)
{
	struct later *l = arg;
	struct timespec d = { 0, 200 * 1000000 };

	nanosleep(&d, NULL);
	if (write(l->fd, "x", 1) != 1)
		perror("write");
	return NULL;
}

static void write_later(struct later *l, int fd)
{
	l->fd = fd;
	pthread_create(&l->t, NULL, write_later_run, l);
}

static void *cases(void *arg)
{
	int p[2], sv[2], d, one = 1, zero = 0;
	char c;
	struct later l;
	struct timeval tv;

	(void)arg;
	/* 1. set through a dup */
	pipe(p);
	d = dup(p[0]);
	fcntl(d, F_SETFL, O_NONBLOCK);
	TRY("read, O_NONBLOCK set through a dup", read(p[0], &c, 1));
	/* 2. cleared through a dup: the read blocks until the writer thread writes */
	fcntl(d, F_SETFL, 0);
	write_later(&l, p[1]);
	TRY("read, O_NONBLOCK cleared through a dup (a writer comes)", read(p[0], &c, 1));
	pthread_join(l.t, NULL);
	close(d);
	/* 3. FIONBIO through a raw system call */
	syscall(SYS_ioctl, p[0], FIONBIO, &one);
	TRY("read, FIONBIO set by a raw ioctl", read(p[0], &c, 1));
	syscall(SYS_ioctl, p[0], FIONBIO, &zero);
	write_later(&l, p[1]);
	TRY("read, FIONBIO cleared by a raw ioctl (a writer comes)", read(p[0], &c, 1));
	pthread_join(l.t, NULL);
	/* 4. raw fcntl */
	syscall(SYS_fcntl, p[0], F_SETFL, O_NONBLOCK);
	TRY("read, O_NONBLOCK set by a raw fcntl", read(p[0], &c, 1));
	TRY("readv, same", ({ struct iovec v = { &c, 1 }; readv(p[0], &v, 1); }));
	syscall(SYS_fcntl, p[0], F_SETFL, 0);
	close(p[0]);
	close(p[1]);
	/* 5. pipe2(O_NONBLOCK), cleared by a child process */
	pipe2(p, O_NONBLOCK);
	if (fork() == 0) {
		fcntl(p[0], F_SETFL, 0);
		_exit(0);
	}
	wait(NULL);
	write_later(&l, p[1]);
	TRY("read, O_NONBLOCK cleared by a child process", read(p[0], &c, 1));
	pthread_join(l.t, NULL);
	close(p[0]);
	close(p[1]);

	/* 6. sockets: set by a child, through a dup */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	if (fork() == 0) {
		fcntl(sv[0], F_SETFL, O_NONBLOCK);
		_exit(0);
	}
	wait(NULL);
	TRY("recv, O_NONBLOCK set by a child process", recv(sv[0], &c, 1, 0));
	fcntl(sv[0], F_SETFL, 0);
	d = dup(sv[0]);
	tv = (struct timeval){ 0, 200000 };
	setsockopt(d, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	TRY("recv, SO_RCVTIMEO 200 ms set through a dup", recv(sv[0], &c, 1, 0));
	TRY("read, same", read(sv[0], &c, 1));
	tv = (struct timeval){ 0, 0 };
	setsockopt(d, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	close(d);
	tv = (struct timeval){ 0, 200000 };
	syscall(SYS_setsockopt, sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	TRY("recv, SO_RCVTIMEO set by a raw setsockopt", recv(sv[0], &c, 1, 0));
	{
		int64_t t64[2] = { 0, 200000 };
		tv = (struct timeval){ 0, 0 };
		setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		TRY("setsockopt SO_RCVTIMEO_NEW 200 ms", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO_NEW, t64, sizeof t64));
		TRY("recv, SO_RCVTIMEO_NEW", recv(sv[0], &c, 1, 0));
		t64[0] = -1;
		t64[1] = 0;
		TRY("setsockopt SO_RCVTIMEO_NEW -1 s", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO_NEW, t64, sizeof t64));
		TRY("recv, negative SO_RCVTIMEO_NEW", recv(sv[0], &c, 1, 0));
	}
	/* 7. negative timeouts */
	tv = (struct timeval){ -1, 0 };
	TRY("setsockopt SO_RCVTIMEO -1 s", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
	TRY("recv, negative SO_RCVTIMEO", recv(sv[0], &c, 1, 0));
	TRY("read, same", read(sv[0], &c, 1));
	d = dup(sv[0]);
	TRY("recv through a dup, same", recv(d, &c, 1, 0));
	close(d);
	tv = (struct timeval){ 0, 0 };
	setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	write_later(&l, sv[1]);
	TRY("recv, timeout cleared again (a writer comes)", recv(sv[0], &c, 1, 0));
	pthread_join(l.t, NULL);
	{
		static char big[1 << 16];
		int n = 4096;
		long sent = 0, r;
		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &n, sizeof n);
		tv = (struct timeval){ -1, 0 };
		setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		while ((r = send(sv[0], big, sizeof big, 0)) > 0)
			sent += r;
		printf("%-58s -> %s after some bytes\n", "send, negative SO_SNDTIMEO, until full", r < 0 ? strerrorname_np(errno) : "0");
	}
	close(sv[0]);
	close(sv[1]);

	/* 8. a listening socket made non-blocking through a dup: accept answers at once */
	{
		int s = socket(AF_UNIX, SOCK_STREAM, 0);
		struct sockaddr_un_ {
			sa_family_t f;
			char path[108];
		} a = { AF_UNIX, "" };
		snprintf(a.path + 1, sizeof a.path - 1, "ofd_flags.%d", (int)getpid());
		bind(s, (struct sockaddr *)&a, sizeof a);
		listen(s, 4);
		d = dup(s);
		fcntl(d, F_SETFL, O_NONBLOCK);
		TRY("accept, O_NONBLOCK set through a dup", accept(s, NULL, NULL));
		close(d);
		close(s);
	}
	/* 9. stdio on a pipe made non-blocking through a dup */
	{
		FILE *fp;
		char line[16];
		pipe(p);
		fp = fdopen(p[0], "r");
		d = dup(p[0]);
		fcntl(d, F_SETFL, O_NONBLOCK);
		TRY("fgets, O_NONBLOCK set through a dup", fgets(line, sizeof line, fp) ? 1 : -1);
		close(d);
		fclose(fp);
		close(p[1]);
	}
	return NULL;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(30); /* a hang guard: natively nothing here blocks for long */
	fprintf(stderr, "ticks=%d\n", ticker_beside(cases, NULL, 10000));
	return 0;
}
