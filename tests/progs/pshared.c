/* A process-shared mutex and condition-free handoff between this (possibly green) process and
 * a forked child that locks through glibc directly: each side waits for the lock the other
 * holds, and a ticker thread keeps running in the parent meanwhile. */
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ticker.h"

struct shared {
	pthread_mutex_t m;
	int counter;
};

int main(void)
{
	struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t a;
	pthread_t tk;
	pid_t pid;
	int st, before;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&s->m, &a);
	pthread_create(&tk, NULL, ticker, (void *)5000);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* Child: hold the lock 200 ms, then wait for it while the parent holds it. */
		pthread_mutex_lock(&s->m);
		usleep(200000);
		s->counter++;
		pthread_mutex_unlock(&s->m);
		usleep(50000);
		pthread_mutex_lock(&s->m); /* the parent holds it now: a kernel futex wait */
		s->counter += 10;
		pthread_mutex_unlock(&s->m);
		_exit(0);
	}
	usleep(50000);
	before = ticks;
	pthread_mutex_lock(&s->m); /* held by the child for ~150 ms more */
	printf("parent got the lock after the child: counter %d, ticker ran meanwhile %d\n", s->counter,
	       ticks - before >= 10);
	usleep(200000); /* the child now waits in the kernel */
	pthread_mutex_unlock(&s->m);
	waitpid(pid, &st, 0);
	printf("child got it after the parent's unlock: counter %d, child status %d\n", s->counter,
	       WEXITSTATUS(st));
	ticking = 0;
	pthread_join(tk, NULL);
	return 0;
}
