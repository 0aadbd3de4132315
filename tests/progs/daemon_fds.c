/* What daemons do to their fds at start, then ordinary work: every close of fds >= 3 (a close
 * loop up to the fd limit, close_range(3, ~0U), closefrom(3), raw syscalls), dup2 of
 * /dev/null onto every number from 3 up past where libgreen keeps its own fds, and an open
 * that reuses a low number; or (count) open fds until EMFILE: as many as natively. Afterwards threads sleep, ping-pong over pipes, wait with
 * timeouts, run a child and resolve a name (the pool); the file the program opened must hold
 * only what it wrote itself. Run with a mode: loop | range | closefrom | raw | dup2 | count. The output
 * is the same natively and under libgreen. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int pp[2], qq[2];

static void *pinger(void *arg)
{
	char c = 'a';

	(void)arg;
	for (int i = 0; i < 1000; i++)
		if (write(pp[1], &c, 1) != 1 || read(qq[0], &c, 1) != 1)
			return (void *)1;
	return NULL;
}

static void *ponger(void *arg)
{
	char c;

	(void)arg;
	for (int i = 0; i < 1000; i++)
		if (read(pp[0], &c, 1) != 1 || write(qq[1], &c, 1) != 1)
			return (void *)1;
	return NULL;
}

static void *sleeper(void *arg)
{
	struct timespec d = { 0, 20 * 1000000 };
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	struct timespec until;

	(void)arg;
	for (int i = 0; i < 5; i++)
		nanosleep(&d, NULL);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 50 * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&m);
	int r = pthread_cond_timedwait(&c, &m, &until);
	pthread_mutex_unlock(&m);
	return (void *)(long)(r == ETIMEDOUT ? 0 : 1);
}

static void *worker(void *arg)
{
	struct addrinfo *ai = NULL, hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
	int r;

	(void)arg;
	r = getaddrinfo("127.0.0.1", "80", &hints, &ai);
	if (ai)
		freeaddrinfo(ai);
	printf("getaddrinfo: %s\n", r ? gai_strerror(r) : "ok");
	r = system("exit 3");
	printf("system: exit %d\n", WEXITSTATUS(r));
	return NULL;
}

/* Threads, pipes, timed waits, a child and the pool, twice. */
static int work(const char *when)
{
	pthread_t t[4];
	void *ret;
	long bad = 0;

	if (pipe(pp) || pipe(qq))
		return 1;
	pthread_create(&t[0], NULL, pinger, NULL);
	pthread_create(&t[1], NULL, ponger, NULL);
	pthread_create(&t[2], NULL, sleeper, NULL);
	pthread_create(&t[3], NULL, worker, NULL);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &ret);
		bad += ret != NULL;
	}
	close(pp[0]);
	close(pp[1]);
	close(qq[0]);
	close(qq[1]);
	printf("%s: threads, pipes, timed waits done, bad=%ld\n", when, bad);
	return bad != 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "loop";
	char path[] = "/tmp/daemon_fds.XXXXXX", buf[256];
	long max = sysconf(_SC_OPEN_MAX), closed = 0;
	int fd, rc = 0;
	ssize_t n;

	if (max > 65536)
		max = 65536;
	setvbuf(stdout, NULL, _IOLBF, 0);
	rc |= work("before");
	if (!strcmp(mode, "loop")) {
		for (int i = 3; i < max; i++)
			closed += close(i) == 0;
		printf("close loop 3..%ld: %ld closed\n", max - 1, closed);
	} else if (!strcmp(mode, "range")) {
		printf("close_range(3, ~0U): %d\n", close_range(3, ~0U, 0));
	} else if (!strcmp(mode, "closefrom")) {
		closefrom(3);
		printf("closefrom(3) done\n");
	} else if (!strcmp(mode, "raw")) {
		for (int i = 3; i < max; i++)
			closed += syscall(SYS_close, i) == 0;
		printf("raw close loop: %ld closed\n", closed);
		printf("raw close_range(3, ~0U): %ld\n", syscall(SYS_close_range, 3, ~0U, 0));
	} else if (!strcmp(mode, "count")) {
		int k = 0, last = -1;
		while ((fd = open("/dev/null", O_RDONLY)) >= 0) {
			k++;
			last = fd;
		}
		printf("opened %d fds until %s, the last was %d\n", k, strerrorname_np(errno), last);
		for (int i = 3; i <= last; i++)
			close(i);
	} else if (!strcmp(mode, "dup2")) {
		int null = open("/dev/null", O_RDWR), ok = 1;
		long top = max < 4200 ? max : 4200;
		for (int i = 3; i < top; i++)
			if (i != null && dup2(null, i) != i) {
				fprintf(stderr, "dup2 onto %d: %s\n", i, strerror(errno));
				ok = 0;
			}
		printf("dup2(/dev/null, 3..%ld): all succeeded: %d\n", top - 1, ok);
		for (int i = 3; i < top; i++)
			close(i);
	}
	/* the numbers are the program's again: an open reuses the lowest */
	fd = mkstemp(path);
	printf("mkstemp got fd %d\n", fd);
	if (write(fd, "mine\n", 5) != 5)
		rc = 1;
	rc |= work("after");
	n = pread(fd, buf, sizeof buf - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	printf("the program's file holds %zd bytes: %s", n, buf);
	{
		struct stat st;
		fstat(fd, &st);
		printf("its size: %lld\n", (long long)st.st_size);
	}
	close(fd);
	unlink(path);
	return rc;
}
