/* fork from a created thread while others sleep: the child has one thread, can sleep and
 * create and join threads, and exits with a status the parent's waitpid sees. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void *nap(void *arg)
{
	usleep(20000);
	return arg;
}

static void *forker(void *arg)
{
	pid_t pid;
	int st;

	(void)arg;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		pthread_t t;
		void *r;
		usleep(10000);
		pthread_create(&t, NULL, nap, (void *)5);
		pthread_join(t, &r);
		printf("child: joined %ld\n", (long)r);
		fflush(stdout);
		_exit(9);
	}
	waitpid(pid, &st, 0);
	printf("parent: child exited %d\n", WEXITSTATUS(st));
	return NULL;
}

int main(void)
{
	pthread_t s, f;

	pthread_create(&s, NULL, nap, NULL);
	pthread_create(&f, NULL, forker, NULL);
	pthread_join(f, NULL);
	pthread_join(s, NULL);
	return 0;
}
