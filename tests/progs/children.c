/* Child processes while a ticker thread runs at 100 Hz: system() (status, exit codes, NULL),
 * fork + waitpid / wait / wait4 / waitid, waitpid(-1) on two children, WNOHANG, ECHILD,
 * SIGCHLD ignored (auto-reaped children), vfork + _exit. Prints statuses and whether the
 * ticker kept running during each wait. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ticker.h"

/* A child that sleeps ms and exits with code. */
static pid_t child(int ms, int code)
{
	pid_t pid = fork();

	if (pid == 0) {
		usleep((useconds_t)ms * 1000);
		_exit(code);
	}
	return pid;
}

#define TICKED(before, min) (ticks - (before) >= (min))

int main(void)
{
	pthread_t tk;
	int st, before, r;
	pid_t a, b, p;
	siginfo_t si;
	struct rusage ru;

	pthread_create(&tk, NULL, ticker, (void *)10000);
	usleep(20000);

	before = ticks;
	st = system("sleep 0.3; exit 3");
	printf("system: exit %d, ticker ran %d\n", WEXITSTATUS(st), TICKED(before, 15));
	printf("system(NULL): %d\n", system(NULL) != 0);
	st = system("kill -TERM $$");
	printf("system killed by signal: %d %d\n", WIFSIGNALED(st), WTERMSIG(st));

	before = ticks;
	a = child(300, 7);
	p = waitpid(a, &st, 0);
	printf("waitpid: right pid %d, exit %d, ticker ran %d\n", p == a, WEXITSTATUS(st), TICKED(before, 15));

	a = child(100, 1);
	b = child(200, 2);
	p = waitpid(-1, &st, 0);
	printf("waitpid(-1): first %d exit %d\n", p == a, WEXITSTATUS(st));
	p = wait(&st);
	printf("wait: second %d exit %d\n", p == b, WEXITSTATUS(st));

	a = child(100, 4);
	printf("WNOHANG while running: %d\n", (int)waitpid(a, &st, WNOHANG));
	p = wait4(a, &st, 0, &ru);
	printf("wait4: exit %d\n", p == a ? WEXITSTATUS(st) : -1);

	a = child(100, 5);
	memset(&si, 0, sizeof si);
	r = waitid(P_PID, (id_t)a, &si, WEXITED);
	printf("waitid: %d pid %d code %d status %d\n", r, si.si_pid == a, si.si_code == CLD_EXITED, si.si_status);

	errno = 0;
	p = waitpid(999999, &st, 0);
	printf("waitpid with no such child: %d %s\n", (int)p, strerrorname_np(errno));

	signal(SIGCHLD, SIG_IGN);
	before = ticks;
	a = child(200, 6);
	errno = 0;
	p = waitpid(a, &st, 0);
	printf("SIGCHLD ignored: %d %s, ticker ran %d\n", (int)p, strerrorname_np(errno), TICKED(before, 10));
	signal(SIGCHLD, SIG_DFL);

	p = vfork();
	if (p == 0)
		_exit(9);
	waitpid(p, &st, 0);
	printf("vfork child exit %d\n", WEXITSTATUS(st));

	ticking = 0;
	pthread_join(tk, NULL);
	return 0;
}
