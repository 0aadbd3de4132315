/* POSIX message queues between green threads while a ticker runs: a receive that waits for a
 * sender, a send that waits for room, timeouts (ETIMEDOUT), a non-blocking queue (EAGAIN),
 * a bad timeout (EFAULT, EINVAL even when a message is there). */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ticker.h"

static mqd_t q;
static void *volatile bad = (void *)8;

static struct timespec in_ms(int ms)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec += (long)ms * 1000000;
	t.tv_sec += t.tv_nsec / 1000000000;
	t.tv_nsec %= 1000000000;
	return t;
}

static void show(const char *what, long r)
{
	printf("%-48s -> %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "");
}

static void *sender(void *arg)
{
	usleep(100000);
	for (int i = 0; i < 5; i++) { /* the last ones wait for room (mq_maxmsg 3) */
		char m[3] = { 'm', (char)('0' + i), 0 };
		if (mq_send(q, m, 3, 1))
			perror("mq_send");
	}
	return arg;
}

int main(void)
{
	struct mq_attr a = { .mq_maxmsg = 3, .mq_msgsize = 16 };
	char name[64], buf[16];
	unsigned prio;
	pthread_t t, tk;
	struct timespec ts;
	long r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(20);
	snprintf(name, sizeof name, "/green-mq-%d", (int)getpid());
	q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	if (q < 0) {
		perror("mq_open");
		return 1;
	}
	pthread_create(&tk, NULL, ticker, (void *)5000);
	ts = in_ms(50);
	show("mq_timedreceive, empty, 50 ms", mq_timedreceive(q, buf, sizeof buf, &prio, &ts));
	show("mq_timedreceive, empty, bad timeout", mq_timedreceive(q, buf, sizeof buf, &prio, bad));
	ts = (struct timespec){ 0, -1 };
	show("mq_timedreceive, empty, invalid timeout", mq_timedreceive(q, buf, sizeof buf, &prio, &ts));
	pthread_create(&t, NULL, sender, NULL);
	r = mq_receive(q, buf, sizeof buf, &prio);
	show("mq_receive waits for the sender", r);
	printf("first message: %s\n", buf);
	usleep(100000); /* the sender fills the queue and waits for room */
	for (int i = 0; i < 4; i++) {
		r = mq_receive(q, buf, sizeof buf, &prio);
		printf("then: %ld bytes, %s, priority %u\n", r, r > 0 ? buf : "-", prio);
	}
	pthread_join(t, NULL);
	ts = (struct timespec){ 0, -1 };
	if (mq_send(q, "x", 1, 7) == 0)
		show("mq_timedreceive, a message there, invalid timeout", mq_timedreceive(q, buf, sizeof buf, &prio, &ts));
	show("mq_receive, buffer smaller than mq_msgsize", mq_receive(q, buf, 4, &prio));
	mq_close(q);
	q = mq_open(name, O_RDWR | O_NONBLOCK);
	show("mq_receive, O_NONBLOCK queue, the message left", mq_receive(q, buf, sizeof buf, &prio));
	show("mq_receive, O_NONBLOCK queue, empty", mq_receive(q, buf, sizeof buf, &prio));
	mq_close(q);
	mq_unlink(name);
	ticking = 0;
	pthread_join(tk, NULL);
	fprintf(stderr, "ticks=%d\n", ticks);
	return 0;
}
