/* runstat [--preload LIB] [--] CMD [ARGS...]: run CMD (with LD_PRELOAD=LIB only in the child),
 * sample its OS thread count from /proc/PID/task every 2 ms, and print on stderr
 * "runstat: wall_ms=W max_tasks=T peak_rss_kib=R status=S". CMD's own output passes through. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int count_tasks(pid_t pid)
{
	char path[64];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	if (!(d = opendir(path)))
		return 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	const char *preload = NULL;
	struct timespec a, b;
	struct rusage ru;
	int i = 1, st = 0, max_tasks = 0;
	pid_t pid;

	if (i + 1 < argc && !strcmp(argv[i], "--preload")) {
		preload = argv[i + 1];
		i += 2;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		fprintf(stderr, "usage: runstat [--preload LIB] [--] CMD [ARGS...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid == 0) {
		if (preload)
			setenv("LD_PRELOAD", preload, 1);
		execvp(argv[i], argv + i);
		perror(argv[i]);
		_exit(127);
	}
	for (;;) {
		pid_t r = wait4(pid, &st, WNOHANG, &ru);
		if (r == pid)
			break;
		int n = count_tasks(pid);
		if (n > max_tasks)
			max_tasks = n;
		usleep(2000);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(stderr, "runstat: wall_ms=%ld max_tasks=%d peak_rss_kib=%ld status=%d\n",
		(b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000, max_tasks,
		ru.ru_maxrss, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
