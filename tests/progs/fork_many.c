/* fork from a thread of a program with 100 threads: the child has only the forking thread
 * (POSIX), which can create, sleep in and join threads of its own and resolve names; when it
 * returns from its start routine the child process ends with status 0, as natively. */
#include <pthread.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "os_threads.h"

static volatile int parent_done;

static void *parked(void *arg)
{
	while (!parent_done)
		usleep(20000);
	return arg;
}

static void *nap(void *arg)
{
	usleep(100000);
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
		pthread_t t[10];
		struct timespec a, b;
		long sum = 0;
		struct passwd *pw;
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (long i = 0; i < 10; i++)
			pthread_create(&t[i], NULL, nap, (void *)i);
		for (int i = 0; i < 10; i++) {
			void *r;
			pthread_join(t[i], &r);
			sum += (long)r;
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		pw = getpwuid(0);
		printf("child: 10 threads napped together %d, sum %ld, getpwuid(0) %s\n",
		       (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < 500, sum,
		       pw ? pw->pw_name : "?");
		fflush(stdout);
		return NULL; /* the child's only thread ends: the child exits 0 */
	}
	waitpid(pid, &st, 0);
	printf("parent: child exited normally %d with %d\n", WIFEXITED(st), WEXITSTATUS(st));
	return NULL;
}

int main(void)
{
	pthread_t t[100], f;

	for (int i = 0; i < 100; i++)
		pthread_create(&t[i], NULL, parked, NULL);
	usleep(10000);
	pthread_create(&f, NULL, forker, NULL);
	pthread_join(f, NULL);
	parent_done = 1;
	for (int i = 0; i < 100; i++)
		pthread_join(t[i], NULL);
	printf("parent: joined its 100 threads\n");
	return 0;
}
