/* Threads waiting for io_uring completions while other threads submit them: liburing's
 * io_uring_wait_cqe, io_uring_wait_cqe_timeout and io_uring_submit_and_wait, and a raw
 * io_uring_enter(GETEVENTS) through syscall(2); a timeout gives -ETIME, a signal -EINTR (even
 * with SA_RESTART), and a ticker keeps ticking through each wait. */
#include <errno.h>
#include <liburing.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ticker.h"

static struct io_uring ring;
static pthread_mutex_t sq_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t waiter;

static void on_usr1(int sig)
{
	(void)sig;
}

/* Submit a NOP with user_data ud after a pause, as another thread of a server would. */
static void *submit_nop(void *ud)
{
	usleep(100000);
	pthread_mutex_lock(&sq_lock);
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, (uintptr_t)ud);
	io_uring_submit(&ring);
	pthread_mutex_unlock(&sq_lock);
	return NULL;
}

static void *wait_cqe(void *arg)
{
	struct io_uring_cqe *cqe;
	pthread_t t;

	(void)arg;
	pthread_create(&t, NULL, submit_nop, (void *)7);
	int r = io_uring_wait_cqe(&ring, &cqe);
	printf("io_uring_wait_cqe while another thread submits: %d, user_data %llu\n", r,
	       r ? 0ULL : (unsigned long long)cqe->user_data);
	if (!r)
		io_uring_cqe_seen(&ring, cqe);
	pthread_join(t, NULL);
	return NULL;
}

static void *wait_timeout(void *arg)
{
	struct io_uring_cqe *cqe;
	struct __kernel_timespec ts = { 0, 200000000 };

	(void)arg;
	int r = io_uring_wait_cqe_timeout(&ring, &cqe, &ts);
	printf("io_uring_wait_cqe_timeout 200 ms, nothing submitted: %s\n", r == -ETIME ? "-ETIME" : strerror(-r));
	return NULL;
}

static void *submit_and_wait(void *arg)
{
	struct __kernel_timespec ts = { 0, 100000000 };
	struct io_uring_cqe *cqe;

	(void)arg;
	pthread_mutex_lock(&sq_lock);
	io_uring_prep_timeout(io_uring_get_sqe(&ring), &ts, 0, 0);
	int r = io_uring_submit_and_wait(&ring, 1);
	pthread_mutex_unlock(&sq_lock);
	io_uring_peek_cqe(&ring, &cqe);
	printf("io_uring_submit_and_wait for a 100 ms timeout: %d submitted, res %s\n", r, cqe->res == -ETIME ? "-ETIME" : "?");
	io_uring_cqe_seen(&ring, cqe);
	return NULL;
}

static int pipefd[2];

static void *write_later(void *arg)
{
	(void)arg;
	usleep(100000);
	write(pipefd[1], "hello", 5);
	return NULL;
}

static void *raw_enter(void *arg)
{
	char buf[16] = { 0 };
	struct io_uring_cqe *cqe;
	pthread_t t;

	(void)arg;
	pipe(pipefd);
	pthread_mutex_lock(&sq_lock);
	io_uring_prep_read(io_uring_get_sqe(&ring), pipefd[0], buf, sizeof buf, 0);
	io_uring_submit(&ring);
	pthread_mutex_unlock(&sq_lock);
	pthread_create(&t, NULL, write_later, NULL);
	long r = syscall(SYS_io_uring_enter, ring.ring_fd, 0, 1, IORING_ENTER_GETEVENTS, NULL, 0);
	io_uring_peek_cqe(&ring, &cqe);
	printf("syscall(SYS_io_uring_enter, GETEVENTS, 1) for a pipe read: %ld, res %d \"%s\"\n", r, cqe->res, buf);
	io_uring_cqe_seen(&ring, cqe);
	pthread_join(t, NULL);
	return NULL;
}

static void *interrupt_later(void *arg)
{
	(void)arg;
	usleep(100000);
	pthread_kill(waiter, SIGUSR1);
	return NULL;
}

static void *wait_interrupted(void *arg)
{
	struct io_uring_cqe *cqe;
	pthread_t t;

	(void)arg;
	waiter = pthread_self();
	pthread_create(&t, NULL, interrupt_later, NULL);
	int r = io_uring_wait_cqe(&ring, &cqe);
	printf("io_uring_wait_cqe, SA_RESTART handler ran: %s\n", r == -EINTR ? "-EINTR" : strerror(-r));
	pthread_join(t, NULL);
	return NULL;
}

int main(void)
{
	void *(*cases[])(void *) = { wait_cqe, wait_timeout, submit_and_wait, raw_enter, wait_interrupted };
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };

	sigaction(SIGUSR1, &sa, NULL);
	alarm(20); /* a wait that blocks the one OS thread would hang: die instead */
	int r = io_uring_queue_init(8, &ring, 0);
	if (r) {
		printf("io_uring_queue_init: %s\n", strerror(-r));
		return 0;
	}
	for (unsigned i = 0; i < sizeof cases / sizeof *cases; i++) {
		ticking = 1;
		ticks = 0;
		int n = ticker_beside(cases[i], NULL, 10000);
		printf("  ticker kept ticking: %s\n", n >= 3 ? "yes" : "no");
	}
	io_uring_queue_exit(&ring);
	return 0;
}
