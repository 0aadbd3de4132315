/* Two threads: one reads a line from stdin (blocking), the other ticks. Used to check that
 * stdin's file status flags are the same before and after (libgreen never sets O_NONBLOCK on
 * a description it does not own). stdout: the line and whether ticks happened while waiting. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static volatile int done, ticks;

static void *ticker(void *arg)
{
	while (!done) {
		usleep(5000);
		ticks++;
	}
	return arg;
}

int main(void)
{
	pthread_t t;
	char buf[64] = "";
	ssize_t n;
	int before = fcntl(0, F_GETFL);

	pthread_create(&t, NULL, ticker, NULL);
	n = read(0, buf, sizeof buf - 1);
	done = 1;
	pthread_join(t, NULL);
	printf("read %zd bytes: %s", n, buf);
	printf("ticker ran while stdin blocked: %d; stdin flags unchanged: %d\n", ticks > 5,
	       fcntl(0, F_GETFL) == before);
	return 0;
}
