/* A blocking connect is interrupted by a signal handler as the kernel's: an AF_UNIX connect to
 * a listener whose backlog is full fails with EINTR when a timer's handler (no SA_RESTART)
 * runs, and with SA_RESTART it goes on waiting until the listener accepts, after the handler
 * ran three times. stress-ng's epoll client relies on the first (its connect timer). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t hits;

static void on_timer(int sig)
{
	(void)sig;
	hits++;
}

static void attempt(const struct sockaddr_un *sa, int flags)
{
	struct sigaction act;
	struct sigevent sev;
	struct itimerspec it = { { 0, 100000000 }, { 0, 100000000 } };
	timer_t t;
	int c, r, err;

	memset(&act, 0, sizeof act);
	act.sa_handler = on_timer;
	act.sa_flags = flags;
	sigaction(SIGRTMIN, &act, NULL);
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGRTMIN;
	timer_create(CLOCK_MONOTONIC, &sev, &t);
	hits = 0;
	timer_settime(t, 0, &it, NULL);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	r = connect(c, (const struct sockaddr *)sa, sizeof *sa);
	err = errno;
	timer_delete(t);
	printf("%s: connect %s, the handler ran %s\n", flags & SA_RESTART ? "SA_RESTART" : "no SA_RESTART",
	       r ? strerror(err) : "succeeded", hits >= 3 ? "3 times or more" : hits ? "at least once" : "never");
	close(c);
}

int main(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int l, fill, st;
	pid_t pid;

	snprintf(sa.sun_path, sizeof sa.sun_path, "/tmp/connect-eintr-%d", (int)getpid());
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (bind(l, (struct sockaddr *)&sa, sizeof sa) || listen(l, 0))
		return 1;
	fill = socket(AF_UNIX, SOCK_STREAM, 0);
	connect(fill, (struct sockaddr *)&sa, sizeof sa); /* the backlog is full now */
	setvbuf(stdout, NULL, _IOLBF, 0);
	attempt(&sa, 0);
	/* a child accepts (room for one more) after 350 ms: the restarted connect gets in */
	pid = fork();
	if (pid == 0) {
		usleep(350000);
		close(accept(l, NULL, NULL));
		_exit(0);
	}
	attempt(&sa, SA_RESTART);
	waitpid(pid, &st, 0);
	unlink(sa.sun_path);
	return 0;
}
