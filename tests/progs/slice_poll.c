/* Time slices: a thread loops on poll() of a socket that is always writable (a load
 * generator's event loop), until another thread, which only needs to run once, sets a flag.
 * Without time slices the looping thread never parks, the other never runs, and the program
 * never ends; natively it ends at once. */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static atomic_int stop;

static void *setter(void *arg)
{
	(void)arg;
	usleep(1000);
	atomic_store(&stop, 1);
	return NULL;
}

int main(void)
{
	int sv[2];
	long loops = 0;
	pthread_t t;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pthread_create(&t, NULL, setter, NULL);
	while (!atomic_load(&stop)) {
		struct pollfd p = { sv[0], POLLOUT, 0 };
		if (poll(&p, 1, -1) != 1 || !(p.revents & POLLOUT))
			return 1;
		loops++;
	}
	pthread_join(t, NULL);
	printf("the always-ready poll loop ended when the other thread ran: %s\n", loops > 0 ? "yes" : "no");
	return 0;
}
