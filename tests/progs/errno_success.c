/* errno is left alone by calls that succeed after waiting: before each call errno is set to a
 * marker (EDOM); a helper thread makes the call able to finish only after it has blocked
 * (20 ms later). Covers socket and pipe reads and writes, accept, connect, poll, select,
 * epoll_wait, a contended mutex, a condition variable, a semaphore, join, sleeps, waitpid,
 * sigwait and flock.
 * stdout (compared with the native run): one line per call with its result and errno. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int sv[2], pv[2];
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static int flag;
static sem_t s;

static void report(const char *what, long r)
{
	printf("%-12s r=%ld errno=%s\n", what, r, errno == EDOM ? "untouched" : strerror(errno));
}

static void later(void)
{
	usleep(20000);
}

static void *writer(void *arg)
{
	later();
	if (write(*(int *)arg, "x", 1) != 1)
		abort();
	return NULL;
}

static void *unlocker(void *arg)
{
	(void)arg;
	later();
	pthread_mutex_unlock(&m);
	return NULL;
}

static void *signaller(void *arg)
{
	(void)arg;
	later();
	pthread_mutex_lock(&m);
	flag = 1;
	pthread_cond_signal(&c);
	pthread_mutex_unlock(&m);
	return NULL;
}

static void *poster(void *arg)
{
	(void)arg;
	later();
	sem_post(&s);
	return NULL;
}

static void *connector(void *arg)
{
	struct sockaddr_in a = *(struct sockaddr_in *)arg;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	later();
	if (connect(fd, (struct sockaddr *)&a, sizeof a))
		abort();
	close(fd);
	return NULL;
}

static void *killer(void *arg)
{
	(void)arg;
	later();
	kill(getpid(), SIGUSR1);
	return NULL;
}

static pthread_t start(void *(*fn)(void *), void *arg)
{
	pthread_t t;

	pthread_create(&t, NULL, fn, arg);
	return t;
}

int main(void)
{
	char buf[8];
	pthread_t t;
	struct pollfd p;
	fd_set rs;
	struct epoll_event ev = { .events = EPOLLIN }, out;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof a;
	struct timespec ts = { 0, 20000000 };
	sigset_t set;
	int lfd, ep, sig, st;
	pid_t pid;
	char path[] = "/tmp/errno_success.XXXXXX";
	int lockfd = mkstemp(path);

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	if (pipe(pv))
		return 1;

	t = start(writer, &sv[1]); errno = EDOM; report("recv", recv(sv[0], buf, 1, 0)); pthread_join(t, NULL);
	t = start(writer, &sv[1]); errno = EDOM; report("read socket", read(sv[0], buf, 1)); pthread_join(t, NULL);
	t = start(writer, &pv[1]); errno = EDOM; report("read pipe", read(pv[0], buf, 1)); pthread_join(t, NULL);

	t = start(writer, &sv[1]); p = (struct pollfd){ sv[0], POLLIN, 0 };
	errno = EDOM; report("poll", poll(&p, 1, 5000)); pthread_join(t, NULL); read(sv[0], buf, 1);
	t = start(writer, &sv[1]); FD_ZERO(&rs); FD_SET(sv[0], &rs);
	errno = EDOM; report("select", select(sv[0] + 1, &rs, NULL, NULL, NULL)); pthread_join(t, NULL); read(sv[0], buf, 1);
	ep = epoll_create1(0); epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev);
	t = start(writer, &sv[1]); errno = EDOM; report("epoll_wait", epoll_wait(ep, &out, 1, 5000)); pthread_join(t, NULL);
	read(sv[0], buf, 1); close(ep);

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	bind(lfd, (struct sockaddr *)&a, sizeof a);
	listen(lfd, 4);
	getsockname(lfd, (struct sockaddr *)&a, &alen);
	t = start(connector, &a); errno = EDOM; { int fd = accept(lfd, NULL, NULL); report("accept", fd >= 0); close(fd); } pthread_join(t, NULL);
	close(lfd);

	pthread_mutex_lock(&m);
	t = start(unlocker, NULL); errno = EDOM; report("mutex_lock", pthread_mutex_lock(&m)); pthread_join(t, NULL);
	pthread_mutex_unlock(&m);
	t = start(signaller, NULL); pthread_mutex_lock(&m); errno = EDOM;
	{ int r = 0; while (!flag && !r) r = pthread_cond_wait(&c, &m); report("cond_wait", r); }
	pthread_mutex_unlock(&m); pthread_join(t, NULL);
	sem_init(&s, 0, 0);
	t = start(poster, NULL); errno = EDOM; report("sem_wait", sem_wait(&s)); pthread_join(t, NULL);
	t = start(writer, &pv[1]); errno = EDOM; report("join", pthread_join(t, NULL)); read(pv[0], buf, 1);

	errno = EDOM; report("nanosleep", nanosleep(&ts, NULL));
	errno = EDOM; report("usleep", usleep(20000));
	errno = EDOM; report("clock_nanosleep", clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL));

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		usleep(20000);
		_exit(3);
	}
	errno = EDOM; report("waitpid", waitpid(pid, &st, 0) == pid && WEXITSTATUS(st) == 3);

	sigemptyset(&set); sigaddset(&set, SIGUSR1); pthread_sigmask(SIG_BLOCK, &set, NULL);
	t = start(killer, NULL); errno = EDOM; report("sigwait", sigwait(&set, &sig) == 0 && sig == SIGUSR1); pthread_join(t, NULL);

	errno = EDOM; report("flock", flock(lockfd, LOCK_EX));
	unlink(path);
	return 0;
}
