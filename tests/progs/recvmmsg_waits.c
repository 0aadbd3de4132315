/* recvmmsg on a UDP socket while another thread sends three datagrams 250 ms apart: without
 * flags it waits for all vlen (3), with MSG_WAITFORONE it returns the first, and with a 150 ms
 * timeout it returns once a datagram arrives after the timeout passed (the kernel looks at the
 * timeout only after each datagram), writing back no time left. */
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in addr = { .sin_family = AF_INET };

static void *sender(void *arg)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	(void)arg;
	for (int i = 0; i < 3; i++) {
		usleep(i ? 250000 : 50000);
		sendto(s, "abc", 3, 0, (struct sockaddr *)&addr, sizeof addr);
	}
	close(s);
	return NULL;
}

int main(void)
{
	int r = socket(AF_INET, SOCK_DGRAM, 0);
	socklen_t len = sizeof addr;
	struct mmsghdr vec[3];
	struct iovec iov[3];
	char buf[3][8];
	const char *names[] = { "no flags", "MSG_WAITFORONE", "150 ms timeout" };

	alarm(20);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(r, (struct sockaddr *)&addr, sizeof addr);
	getsockname(r, (struct sockaddr *)&addr, &len);
	for (int how = 0; how < 3; how++) {
		struct timespec ts = { 0, 150000000 };
		pthread_t t;
		memset(vec, 0, sizeof vec);
		for (int i = 0; i < 3; i++) {
			iov[i] = (struct iovec){ buf[i], sizeof buf[i] };
			vec[i].msg_hdr.msg_iov = &iov[i];
			vec[i].msg_hdr.msg_iovlen = 1;
		}
		pthread_create(&t, NULL, sender, NULL);
		int n = recvmmsg(r, vec, 3, how == 1 ? MSG_WAITFORONE : 0, how == 2 ? &ts : NULL);
		printf("recvmmsg, %s: %d datagrams, first %u bytes%s\n", names[how], n, n > 0 ? vec[0].msg_len : 0,
		       how == 2 ? (ts.tv_sec == 0 && ts.tv_nsec == 0 ? ", no time left" : ", time left") : "");
		pthread_join(t, NULL);
		while (recv(r, buf[0], sizeof buf[0], MSG_DONTWAIT) > 0) /* the rest */
			;
	}
	close(r);
	return 0;
}
