/* A soak: a thread-per-connection echo server and its clients in one process, over loopback,
 * for ROUNDS rounds of CONNS connections with at most CONCURRENT open at a time. Every
 * connection sends a seeded random stream in random chunks and checks every echoed byte. One
 * in eight clients resets its connection midway (SO_LINGER 0, then close), one in eight asks
 * the server to reset it after a number of bytes, one in eight half-closes and reads the rest.
 * After the first round the process's fd count and RSS are the baseline: every later round
 * must end with the same fd count and an RSS within max(8 MiB, 25%) of it.
 * Prints what was verified (identical natively and under libgreen); the figures go to stderr.
 * Usage: soak [CONNS [CONCURRENT [ROUNDS]]] */
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>


enum { NORMAL, CLIENT_RESET, SERVER_RESET, HALF_CLOSE };

struct header {
	uint32_t seed, total, mode, reset_at;
};

static struct sockaddr_in server_addr;
static sem_t slots;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t idle = PTHREAD_COND_INITIALIZER;
static int serving;                                /* server threads alive (under lock) */
static long verified, bad, resets_seen, connect_failed; /* under lock */

static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* The byte at offset i of the stream seeded with seed. */
static unsigned char stream_byte(uint32_t seed, uint32_t i)
{
	uint32_t x = seed ^ (i * 2654435761u);

	x ^= x >> 15;
	x *= 2246822519u;
	x ^= x >> 13;
	return (unsigned char)x;
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

static void reset_close(int fd)
{
	struct linger l = { 1, 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	close(fd);
}

static void *serve(void *arg)
{
	int fd = (int)(intptr_t)arg, one = 1;
	struct header h;
	char buf[16384];
	uint32_t echoed = 0;
	ssize_t n;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (read_full(fd, &h, sizeof h) == 0) {
		while ((n = read(fd, buf, sizeof buf)) > 0) {
			if (h.mode == SERVER_RESET && echoed + (uint32_t)n >= h.reset_at)
				break;
			if (send(fd, buf, (size_t)n, MSG_NOSIGNAL) != n)
				break;
			echoed += (uint32_t)n;
		}
	}
	if (h.mode == SERVER_RESET)
		reset_close(fd);
	else
		close(fd);
	pthread_mutex_lock(&lock);
	if (--serving == 0)
		pthread_cond_broadcast(&idle);
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void *acceptor(void *arg)
{
	int l = (int)(intptr_t)arg;
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 << 10);
	for (;;) {
		int fd = accept(l, NULL, NULL);
		pthread_t t;

		if (fd < 0)
			continue;
		pthread_mutex_lock(&lock);
		serving++;
		pthread_mutex_unlock(&lock);
		if (pthread_create(&t, &attr, serve, (void *)(intptr_t)fd)) {
			close(fd);
			pthread_mutex_lock(&lock);
			serving--;
			pthread_mutex_unlock(&lock);
		}
	}
	return NULL;
}

/* One connection: returns 0 if every byte it got back was right and it saw what its mode
 * promises. */
static int client_run(uint32_t seed, long *bytes, int *reset_seen)
{
	uint32_t r = seed | 1, total = 1 + next_rand(&r) % 65536, sent = 0, got = 0;
	struct header h = { seed, total, next_rand(&r) % 8, 0 };
	unsigned char out[16384], in[16384];
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (h.mode > HALF_CLOSE)
		h.mode = NORMAL;
	h.reset_at = total / 2;
	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&server_addr, sizeof server_addr)) {
		close(fd);
		return 1; /* counted apart: the listen queue overflowed */
	}
	if (send(fd, &h, sizeof h, MSG_NOSIGNAL) != sizeof h)
		goto fail;
	while (sent < total) {
		uint32_t chunk = 1 + next_rand(&r) % sizeof out, i;
		ssize_t n;

		if (chunk > total - sent)
			chunk = total - sent;
		if (h.mode == CLIENT_RESET && sent >= total / 2) {
			reset_close(fd);
			*bytes += got;
			return 0;
		}
		for (i = 0; i < chunk; i++)
			out[i] = stream_byte(seed, sent + i);
		n = send(fd, out, chunk, MSG_NOSIGNAL);
		if (n < 0 && h.mode == SERVER_RESET)
			break;
		if (n != (ssize_t)chunk)
			goto fail;
		sent += chunk;
		if (h.mode == HALF_CLOSE)
			continue; /* read it all after the shutdown */
		while (got < sent) {
			n = read(fd, in, sent - got);
			if (n <= 0 && h.mode == SERVER_RESET)
				goto server_reset;
			if (n <= 0)
				goto fail;
			for (i = 0; i < (uint32_t)n; i++)
				if (in[i] != stream_byte(seed, got + i))
					goto fail;
			got += (uint32_t)n;
		}
	}
	if (h.mode == HALF_CLOSE) {
		shutdown(fd, SHUT_WR);
		for (;;) {
			ssize_t n = read(fd, in, sizeof in);

			if (n == 0)
				break;
			if (n < 0)
				goto fail;
			for (ssize_t i = 0; i < n; i++)
				if (in[i] != stream_byte(seed, got + (uint32_t)i))
					goto fail;
			got += (uint32_t)n;
		}
		if (got != total)
			goto fail;
	}
	if (h.mode == SERVER_RESET) {
		/* The server resets at half the stream: a read sees EOF or ECONNRESET. */
		ssize_t n;
		while ((n = read(fd, in, sizeof in)) > 0)
			;
server_reset:
		*reset_seen = 1;
	}
	close(fd);
	*bytes += got;
	return 0;
fail:
	close(fd);
	return -1;
}

/* Listen on 127.0.0.1, any free port (nothing printed: the output must not vary). */
static int listen_loopback(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct rlimit rl;
	int l = socket(AF_INET, SOCK_STREAM, 0);

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 4096)) {
		perror("soak: listen");
		exit(1);
	}
	return l;
}

static void *client(void *arg)
{
	uint32_t seed = (uint32_t)(uintptr_t)arg;
	long bytes = 0;
	int reset = 0, r = client_run(seed, &bytes, &reset);

	pthread_mutex_lock(&lock);
	if (r < 0)
		bad++;
	else if (r > 0)
		connect_failed++;
	else
		verified++;
	resets_seen += reset;
	pthread_mutex_unlock(&lock);
	sem_post(&slots);
	return NULL;
}

static int fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

static long rss_kib(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

int main(int argc, char **argv)
{
	int conns = argc > 1 ? atoi(argv[1]) : 2000, conc = argc > 2 ? atoi(argv[2]) : 200;
	int rounds = argc > 3 ? atoi(argv[3]) : 3, fds0 = 0, fds_ok = 1, rss_ok = 1, expect = 0;
	long rss0 = 0;
	socklen_t len = sizeof server_addr;
	pthread_attr_t attr;
	struct timespec t0, t1;
	pthread_t t;
	int l;

	signal(SIGPIPE, SIG_IGN);
	l = listen_loopback();
	getsockname(l, (struct sockaddr *)&server_addr, &len);
	sem_init(&slots, 0, (unsigned)conc);
	pthread_create(&t, NULL, acceptor, (void *)(intptr_t)l);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 128 << 10);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int round = 0; round < rounds; round++) {
		for (int i = 0; i < conns; i++) {
			uint32_t seed = (uint32_t)(round * conns + i) * 0x9e3779b9u + 1;
			uint32_t r = seed | 1;

			next_rand(&r);
			expect += next_rand(&r) % 8 == SERVER_RESET;
			sem_wait(&slots);
			if (pthread_create(&t, &attr, client, (void *)(uintptr_t)seed)) {
				sem_post(&slots);
				pthread_mutex_lock(&lock);
				bad++;
				pthread_mutex_unlock(&lock);
			}
		}
		for (int i = 0; i < conc; i++) /* every client of the round is done */
			sem_wait(&slots);
		for (int i = 0; i < conc; i++)
			sem_post(&slots);
		pthread_mutex_lock(&lock); /* and every server thread */
		while (serving)
			pthread_cond_wait(&idle, &lock);
		pthread_mutex_unlock(&lock);
		usleep(20000); /* detached threads finish exiting */
		if (round == 0) {
			fds0 = fd_count();
			rss0 = rss_kib();
		} else {
			long rss = rss_kib(), slack = rss0 / 4 > 8192 ? rss0 / 4 : 8192;

			fds_ok &= fd_count() == fds0;
			rss_ok &= rss <= rss0 + slack;
			fprintf(stderr, "round=%d fds=%d rss_kib=%ld (baseline fds=%d rss_kib=%ld)\n",
				round, fd_count(), rss, fds0, rss0);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%d connections in %d rounds, at most %d at a time\n", conns * rounds, rounds, conc);
	printf("verified %ld, wrong bytes or errors %ld\n", verified + connect_failed, bad);
	printf("server resets seen by their clients: %s\n", resets_seen == expect ? "all" : "not all");
	printf("fd count stable: %s, RSS stable: %s\n", fds_ok ? "yes" : "no", rss_ok ? "yes" : "no");
	fprintf(stderr, "connect_failed=%ld seconds_ms=%ld\n", connect_failed,
		(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
	return bad != 0;
}
