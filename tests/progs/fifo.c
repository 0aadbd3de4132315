/* Blocking opens of a FIFO wait for the other end: a reader opened first waits for the writer,
 * a writer opened first waits for the reader; a ticker thread keeps running meanwhile. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ticker.h"

static char path[64];
static void *late_writer(void *arg)
{
	int fd;

	usleep(100000);
	fd = open(path, O_WRONLY);
	write(fd, arg, strlen(arg));
	close(fd);
	return NULL;
}

static void *late_reader(void *arg)
{
	char buf[32] = "";
	int fd;

	usleep(100000);
	fd = open(path, O_RDONLY);
	read(fd, buf, sizeof buf - 1);
	close(fd);
	printf("late reader got: %s\n", buf);
	return arg;
}

int main(void)
{
	pthread_t tk, t;
	char buf[32] = "";
	int fd, before;

	snprintf(path, sizeof path, "/tmp/libgreen-fifo-%d", (int)getpid());
	mkfifo(path, 0600);
	pthread_create(&tk, NULL, ticker, (void *)5000);

	pthread_create(&t, NULL, late_writer, "from the writer");
	before = ticks;
	fd = open(path, O_RDONLY); /* waits for the writer */
	read(fd, buf, sizeof buf - 1);
	printf("reader opened first, got: %s; ticker ran meanwhile %d; blocking fd %d\n", buf,
	       ticks - before >= 10, !(fcntl(fd, F_GETFL) & O_NONBLOCK));
	close(fd);
	pthread_join(t, NULL);

	pthread_create(&t, NULL, late_reader, NULL);
	before = ticks;
	fd = open(path, O_WRONLY); /* waits for the reader */
	printf("writer opened first after the reader came: ticker ran meanwhile %d\n", ticks - before >= 10);
	write(fd, "to the reader", 13);
	close(fd);
	pthread_join(t, NULL);
	ticking = 0;
	pthread_join(tk, NULL);
	unlink(path);
	return 0;
}
