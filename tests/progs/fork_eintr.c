/* A fork child keeps its parent's handlers, and they still interrupt its blocking calls: a
 * read on an empty pipe and a sleep in the child fail with EINTR (sleep: time left) when the
 * parent signals it; then a handler installed before fork with SA_RESTART restarts the read. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	(void)sig;
	got++;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	int p[2], ready[2], st;
	char c;
	pid_t pid;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR2, &sa, NULL);
	if (pipe(p) || pipe(ready))
		return 1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		ssize_t n;
		unsigned left;

		close(ready[0]);
		write(ready[1], "r", 1);
		n = read(p[0], &c, 1);
		printf("child: read %zd %s, handler ran %d\n", n, n < 0 ? strerrorname_np(errno) : "",
		       got);
		write(ready[1], "s", 1);
		left = sleep(10);
		printf("child: sleep interrupted %d, handler ran %d\n", left > 0, got);
		write(ready[1], "t", 1);
		n = read(p[0], &c, 1); /* SIGUSR2 (SA_RESTART) comes first, then a byte */
		printf("child: restarted read %zd '%c', handler ran %d\n", n, n == 1 ? c : '?', got);
		fflush(stdout);
		_exit(0);
	}
	close(ready[1]);
	read(ready[0], &c, 1);
	usleep(100000);
	kill(pid, SIGUSR1);
	read(ready[0], &c, 1);
	usleep(100000);
	kill(pid, SIGUSR1);
	read(ready[0], &c, 1);
	usleep(100000);
	kill(pid, SIGUSR2);
	usleep(100000);
	write(p[1], "x", 1);
	waitpid(pid, &st, 0);
	printf("parent: child exited %d\n", WEXITSTATUS(st));
	return 0;
}
