/* Bad input over every hooked family, from a green thread, while a ticker thread runs: the
 * kernel answers each of these at once (EFAULT, EINVAL, EBADF, EAGAIN, EOPNOTSUPP, 0), so a
 * hook must neither crash on a pointer it should have left to the kernel nor block. Prints
 * each result; the output is the same natively and under libgreen. */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ticker.h"

/* Pointers the compiler cannot see through: NULL, a small bad address, a kernel address. */
static void *volatile bad = (void *)8;
static void *volatile null;
static void *volatile kaddr = (void *)0xffffffffff600000ul;

static void show(const char *what, long r)
{
	printf("%-56s -> %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "");
}

#define T(what, call)                        \
	do {                                 \
		long r_;                     \
		errno = 0;                   \
		r_ = (long)(call);           \
		show(what, r_);              \
	} while (0)

static void *cases(void *arg)
{
	int p[2], sv[2], ep, efd, u, s;
	char buf[16];
	struct iovec iov = { buf, 1 };
	struct msghdr h = { 0 };
	uint32_t word = 1, *odd = (uint32_t *)((char *)&word + 1);
	struct timespec ts = { 0, 1000000 };

	(void)arg;
	pipe(p);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	ep = epoll_create1(0);
	efd = eventfd(0, 0);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	s = socket(AF_INET, SOCK_STREAM, 0);

	/* EFAULT and EINVAL through user pointers */
	T("readv(pipe, NULL, 1)", readv(p[0], null, 1));
	T("readv(pipe, bad, 1)", readv(p[0], bad, 1));
	T("writev(pipe, NULL, 1)", writev(p[1], null, 1));
	T("writev(socket, bad, 1)", writev(sv[0], bad, 1));
	T("readv(socket, NULL, 1)", readv(sv[0], null, 1));
	T("recvmsg(socket, NULL)", recvmsg(sv[0], null, 0));
	T("sendmsg(socket, NULL)", sendmsg(sv[0], null, 0));
	h.msg_iov = null;
	h.msg_iovlen = 1;
	T("recvmsg(socket, msg_iov NULL)", recvmsg(sv[0], &h, 0));
	T("sendmsg(socket, msg_iov NULL)", sendmsg(sv[0], &h, 0));
	h.msg_iov = bad;
	T("recvmsg(socket, msg_iov bad)", recvmsg(sv[0], &h, 0));
	T("futex(NULL, WAIT)", syscall(SYS_futex, null, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
	T("futex(bad, WAIT)", syscall(SYS_futex, bad, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
	T("futex(kernel address, WAIT)", syscall(SYS_futex, kaddr, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
	T("futex(&word, WAIT, bad timeout)", syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, bad, NULL, 0));
	T("futex(&word, WAIT, ts.tv_nsec = -1)",
	  syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, &(struct timespec){ 0, -1 }, NULL, 0));
	T("futex(unaligned, WAIT)", syscall(SYS_futex, odd, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
	T("futex(&word, WAIT, other value)", syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0));
	T("futex(&word, WAIT, 1 ms)", syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, &ts, NULL, 0));
	T("futex(&word, WAIT_BITSET, bitset 0)", syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 1, NULL, NULL, 0));
	T("futex(bad, WAKE)", syscall(SYS_futex, bad, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	T("futex(&word, WAKE)", syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	{
		fd_set *rs = bad;
		T("select(2, bad set, 1 ms)", select(2, rs, NULL, NULL, &(struct timeval){ 0, 1000 }));
		T("poll(bad, 1, 10)", poll(bad, 1, 10));
		T("epoll_pwait2(ep, bad timeout)", epoll_pwait2(ep, (struct epoll_event[1]){ 0 }, 1, bad, NULL));
		T("epoll_wait(ep, bad events, 1, 10)", epoll_wait(ep, bad, 1, 10));
		T("nanosleep(bad)", nanosleep(bad, NULL));
		T("clock_nanosleep(bad)", clock_nanosleep(CLOCK_MONOTONIC, 0, bad, NULL));
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGUSR2);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		T("sigtimedwait(USR2, bad timeout)", sigtimedwait(&set, NULL, bad));
	}
	{
		pid_t c = fork();
		if (c == 0)
			_exit(7);
		T("waitid(child, bad infop)", waitid(P_PID, (id_t)c, bad, WEXITED));
		waitpid(c, NULL, 0);
	}

	/* answered at once */
	T("read(pipe write end)", read(p[1], buf, 1));
	T("write(pipe read end)", write(p[0], "x", 1));
	T("read(epoll fd)", read(ep, buf, 8));
	T("write(epoll fd)", write(ep, buf, 8));
	T("read(eventfd, 4 bytes)", read(efd, buf, 4));
	T("read(empty pipe, 0 bytes)", read(p[0], buf, 0));
	T("readv(empty pipe, one 0-byte iovec)", readv(p[0], &(struct iovec){ buf, 0 }, 1));
	T("read(empty socket, 0 bytes)", read(sv[0], buf, 0));
	T("accept(UDP socket)", accept(u, NULL, NULL));
	T("accept(unlistened TCP socket)", accept(s, NULL, NULL));
	T("accept(connected AF_UNIX socket)", accept(sv[0], NULL, NULL));
	T("accept4(bad flags)", accept4(s, NULL, NULL, 0x40000000));
	T("recv(MSG_ERRQUEUE) on an empty queue", recv(u, buf, sizeof buf, MSG_ERRQUEUE));
	T("recvmsg(MSG_ERRQUEUE) on an empty queue", recvmsg(u, &(struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1 }, MSG_ERRQUEUE));
	T("read(-1)", read(-1, buf, 1));
	T("read(closed fd 1000)", read(1000, buf, 1));
	T("close(-1)", close(-1));
	T("dup2(5000, 3)", dup2(5000, 3));
	{
		FILE *fp;
		char *line = NULL;
		size_t cap = 0;
		int q[2];
		pipe(q);
		if (write(q[1], "ab\ncd", 5) != 5)
			perror("write");
		fp = fdopen(q[0], "r");
		T("getdelim(delim 0x10a = '\\n' as unsigned char)", getdelim(&line, &cap, 0x10a, fp));
		free(line);
		fclose(fp);
		close(q[1]);
	}
	{
		/* nfds above FD_SETSIZE: sets the program allocated larger */
		size_t words = 2048 / (8 * sizeof(unsigned long));
		unsigned long *rs = calloc(words, sizeof *rs);
		int hi = fcntl(p[0], F_DUPFD, 1500);
		if (hi >= 0) {
			rs[hi / (8 * sizeof *rs)] |= 1ul << (hi % (8 * sizeof *rs));
			T("select(2048, a 2048-bit set, 50 ms timeout)", select(2048, (fd_set *)rs, NULL, NULL, &(struct timeval){ 0, 50000 }));
			if (write(p[1], "z", 1) != 1)
				perror("write");
			rs[hi / (8 * sizeof *rs)] |= 1ul << (hi % (8 * sizeof *rs));
			T("select(2048, the same, data there)", select(2048, (fd_set *)rs, NULL, NULL, &(struct timeval){ 1, 0 }));
			T("read(it)", read(hi, buf, 1));
			close(hi);
		}
		free(rs);
	}
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	close(ep);
	close(efd);
	close(u);
	close(s);
	return NULL;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(30); /* a hang guard */
	fprintf(stderr, "ticks=%d\n", ticker_beside(cases, NULL, 5000));
	return 0;
}
