/* A signal storm against threads doing blocking I/O: PAIRS pairs of threads ping-pong
 * ROUNDS numbered bytes over pipes (or socketpairs) while setitimer delivers SIGALRM every
 * millisecond and a storm thread sends SIGUSR1 to the process. With "restart" the handlers
 * are installed with SA_RESTART (the calls must carry on by themselves); with "norestart"
 * each read and write may fail with EINTR, which the program retries, as real programs do.
 * Every byte is verified; the output is the same natively and green, whatever the number of
 * signals. Usage: sigstorm restart|norestart pipe|socket [pairs] [rounds] */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int pairs = 50, rounds = 2000;
static volatile sig_atomic_t alarms, usr1s;
static long eintrs;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int done;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1s++;
}

struct pair {
	int ping[2], pong[2];
	long bad;
};

/* Move exactly len bytes, retrying EINTR and partial transfers as a careful program does. */
static int xfer(int fd, unsigned char *buf, size_t len, int out)
{
	size_t done_ = 0;

	while (done_ < len) {
		ssize_t r = out ? write(fd, buf + done_, len - done_) : read(fd, buf + done_, len - done_);
		if (r < 0 && errno == EINTR) {
			pthread_mutex_lock(&count_lock);
			eintrs++;
			pthread_mutex_unlock(&count_lock);
			continue;
		}
		if (r <= 0)
			return -1;
		done_ += (size_t)r;
	}
	return 0;
}

static void *pinger(void *arg)
{
	struct pair *p = arg;

	for (int i = 0; i < rounds; i++) {
		unsigned char b[3] = { (unsigned char)i, (unsigned char)(i >> 8), 0x5a }, c[3];
		if (xfer(p->ping[1], b, 3, 1) || xfer(p->pong[0], c, 3, 0)) {
			p->bad++;
			break;
		}
		if (c[0] != (unsigned char)~b[0] || c[1] != (unsigned char)~b[1] || c[2] != 0xa5)
			p->bad++;
	}
	return NULL;
}

static void *ponger(void *arg)
{
	struct pair *p = arg;

	for (int i = 0; i < rounds; i++) {
		unsigned char b[3];
		if (xfer(p->ping[0], b, 3, 0)) {
			p->bad++;
			break;
		}
		if (b[0] != (unsigned char)i || b[1] != (unsigned char)(i >> 8) || b[2] != 0x5a)
			p->bad++;
		b[0] = (unsigned char)~b[0];
		b[1] = (unsigned char)~b[1];
		b[2] = 0xa5;
		if (xfer(p->pong[1], b, 3, 1)) {
			p->bad++;
			break;
		}
	}
	return NULL;
}

static void *storm(void *arg)
{
	struct timespec gap = { 0, 200000 };

	(void)arg;
	while (!done) {
		kill(getpid(), SIGUSR1);
		nanosleep(&gap, NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int restart = argc > 1 && !strcmp(argv[1], "restart");
	int sockets = argc > 2 && !strcmp(argv[2], "socket");
	struct sigaction sa;
	struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
	pthread_t *t, st;
	struct pair *p;
	long bad = 0;

	if (argc > 3)
		pairs = atoi(argv[3]);
	if (argc > 4)
		rounds = atoi(argv[4]);
	memset(&sa, 0, sizeof sa);
	sa.sa_flags = restart ? SA_RESTART : 0;
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	p = calloc((size_t)pairs, sizeof *p);
	t = calloc((size_t)pairs * 2, sizeof *t);
	for (int i = 0; i < pairs; i++) {
		if (sockets ? socketpair(AF_UNIX, SOCK_STREAM, 0, p[i].ping) || socketpair(AF_UNIX, SOCK_STREAM, 0, p[i].pong)
			    : pipe(p[i].ping) || pipe(p[i].pong)) {
			perror("pipe");
			return 1;
		}
	}
	setitimer(ITIMER_REAL, &it, NULL);
	pthread_create(&st, NULL, storm, NULL);
	for (int i = 0; i < pairs; i++) {
		pthread_create(&t[2 * i], NULL, pinger, &p[i]);
		pthread_create(&t[2 * i + 1], NULL, ponger, &p[i]);
	}
	for (int i = 0; i < pairs * 2; i++)
		pthread_join(t[i], NULL);
	done = 1;
	pthread_join(st, NULL);
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 0; i < pairs; i++)
		bad += p[i].bad;
	printf("%s %s: %d pairs x %d round trips, bad=%ld\n", restart ? "SA_RESTART" : "no SA_RESTART",
	       sockets ? "socketpairs" : "pipes", pairs, rounds, bad);
	fprintf(stderr, "alarms=%d usr1=%d eintr=%ld\n", (int)alarms, (int)usr1s, eintrs);
	return bad != 0;
}
