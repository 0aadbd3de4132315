/* fork and atexit from threads with TLS of their own: a thread registers an atexit handler
 * (glibc mangles it with the thread's pointer guard), forks, and its child uses malloc, printf
 * and its thread's __thread variables; the parent's handler runs at exit. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static __thread int depth = 7;

static void at_exit(void)
{
	printf("atexit handler registered by a thread runs at exit\n");
}

static void *worker(void *arg)
{
	pid_t pid;
	int status = 0;

	(void)arg;
	depth = 42;
	atexit(at_exit);
	usleep(1000);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *p = malloc(100);
		strcpy(p, "child");
		printf("%s: its thread's __thread value %d\n", p, depth);
		free(p);
		fflush(stdout);
		_exit(depth == 42 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	printf("parent: child exited %d, __thread value %d\n", WEXITSTATUS(status), depth);
	return NULL;
}

int main(void)
{
	pthread_t t;

	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	printf("main's __thread value %d\n", depth);
	return 0;
}
