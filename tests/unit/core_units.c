/* Unit tests of core's pieces, on the runtime itself: this program is linked with libgreen's
 * objects (not preloaded), so it boots like any program and then calls core's internal API
 * directly from green threads. Checks the address-keyed wait queues (FIFO order, futex
 * bitsets, wake counts, park_many), the mutex lock-word protocol (0 free, 1 locked, 2 locked
 * with waiters, the owner id), the stack cache (a freed stack is reused, guards honoured) and
 * the fd table (classification, forget on close, O_NONBLOCK seen at classification).
 * Exit status 0 when every check passes; "core units: N checks, F failed" on stdout. */
#include "../../core/fd.h"
#include "../../core/mutex.h"
#include "../../core/sched.h"
#include "../../core/stack.h"
#include "../../core/thread.h"
#include "../../core/wait.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int checks, failures;

#define CHECK(c)                                                               \
	do {                                                                   \
		checks++;                                                      \
		if (!(c)) {                                                    \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c);     \
			failures++;                                            \
		}                                                              \
	} while (0)

/* Wait queues: waiters record the order they were woken in. */
static int key_a, key_b;
static int woke[8], nwoke;

struct waiter {
	int id;
	const void *key;
	uint32_t bits;
	int result;
};

static void *wait_one(void *p)
{
	struct waiter *w = p;

	w->result = green_wait_park(w->key, w->bits, GREEN_WAIT_FUTEX, CLOCK_MONOTONIC, NULL);
	woke[nwoke++] = w->id;
	return NULL;
}

static void *wait_two_keys(void *p)
{
	struct waiter *w = p;
	const void *keys[2] = { &key_a, &key_b };

	w->result = green_wait_park_many(keys, 2, GREEN_WAIT_POLL, CLOCK_MONOTONIC, NULL);
	woke[nwoke++] = w->id;
	return NULL;
}

static struct green_thread *spawn(void *(*fn)(void *), void *arg)
{
	struct green_thread *g;

	CHECK(green_thread_create(&g, NULL, fn, arg, false) == 0);
	return g;
}

/* Let every runnable thread run until it parks. */
static void settle(void)
{
	for (int i = 0; i < 4; i++)
		green_sched_yield();
}

static void test_wait_queues(void)
{
	struct waiter w[4] = { { 1, &key_a, ~0u, 9 }, { 2, &key_a, 0x1, 9 }, { 3, &key_a, 0x2, 9 },
			       { 4, &key_b, ~0u, 9 } };
	struct green_thread *g[4];
	struct timespec past = { 0, 0 };

	for (int i = 0; i < 4; i++)
		g[i] = spawn(wait_one, &w[i]);
	settle();
	CHECK(nwoke == 0);
	/* bits 0x2 match waiters 1 (all bits) and 3, oldest first; n limits the count */
	CHECK(green_wait_wake(&key_a, 0x2, 1) == 1);
	settle();
	CHECK(nwoke == 1 && woke[0] == 1);
	CHECK(green_wait_wake(&key_a, 0x2, 8) == 1);
	settle();
	CHECK(nwoke == 2 && woke[1] == 3);
	/* nothing waits with bit 0x4; another key's waiter is never woken by this key */
	CHECK(green_wait_wake(&key_a, 0x4, 8) == 0);
	CHECK(green_wait_wake(&key_a, ~0u, 8) == 1);
	settle();
	CHECK(nwoke == 3 && woke[2] == 2);
	CHECK(green_wait_wake(&key_b, ~0u, 8) == 1);
	settle();
	CHECK(nwoke == 4 && woke[3] == 4);
	for (int i = 0; i < 4; i++) {
		CHECK(w[i].result == 0);
		CHECK(green_thread_join(g[i], NULL, GREEN_JOIN_BLOCK, CLOCK_REALTIME, NULL) == 0);
	}
	/* a deadline already past: -ETIMEDOUT, nothing left linked */
	CHECK(green_wait_park(&key_a, ~0u, GREEN_WAIT_FUTEX, CLOCK_MONOTONIC, &past) == -ETIMEDOUT);
	CHECK(green_wait_wake(&key_a, ~0u, 8) == 0);

	/* park_many: one wake on either key readies the thread once; the other node is unlinked */
	nwoke = 0;
	struct waiter m = { 5, NULL, 0, 9 };
	struct green_thread *gm = spawn(wait_two_keys, &m);
	settle();
	CHECK(green_wait_wake(&key_b, ~0u, 8) == 1);
	CHECK(green_wait_wake(&key_a, ~0u, 8) == 0);
	settle();
	CHECK(nwoke == 1 && woke[0] == 5 && m.result == 0);
	CHECK(green_thread_join(gm, NULL, GREEN_JOIN_BLOCK, CLOCK_REALTIME, NULL) == 0);
}

/* The mutex word: glibc's protocol, so real threads interoperate. */
static pthread_mutex_t mx = PTHREAD_MUTEX_INITIALIZER;
static int mx_got;

static void *lock_it(void *p)
{
	(void)p;
	CHECK(green_mutex_lock(&mx, GREEN_LOCK_BLOCK, CLOCK_REALTIME, NULL) == 0);
	mx_got = 1;
	CHECK(green_mutex_unlock(&mx) == 0);
	return NULL;
}

static void test_mutex_word(void)
{
	struct green_thread *g;

	CHECK(mx.__data.__lock == 0);
	CHECK(green_mutex_lock(&mx, GREEN_LOCK_BLOCK, CLOCK_REALTIME, NULL) == 0);
	CHECK(mx.__data.__lock == 1);
	CHECK(mx.__data.__owner == green_mutex_tid(green_sched_self()));
	CHECK(green_mutex_owner(mx.__data.__owner) == green_sched_self());
	CHECK(green_mutex_lock(&mx, GREEN_LOCK_TRY, CLOCK_REALTIME, NULL) == -EBUSY);
	g = spawn(lock_it, NULL);
	settle();
	CHECK(!mx_got);
	CHECK(mx.__data.__lock == 2); /* a waiter is parked: the unlock must wake */
	CHECK(green_mutex_unlock(&mx) == 0);
	settle();
	CHECK(mx_got);
	CHECK(mx.__data.__lock == 0 && mx.__data.__owner == 0);
	CHECK(green_thread_join(g, NULL, GREEN_JOIN_BLOCK, CLOCK_REALTIME, NULL) == 0);
	/* a normal mutex unlocked by a non-owner is glibc's business (no check); errorcheck is */
	pthread_mutexattr_t a;
	pthread_mutex_t ec;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&ec, &a);
	CHECK(green_mutex_unlock(&ec) == -EPERM);
	CHECK(green_mutex_lock(&ec, GREEN_LOCK_BLOCK, CLOCK_REALTIME, NULL) == 0);
	CHECK(green_mutex_lock(&ec, GREEN_LOCK_BLOCK, CLOCK_REALTIME, NULL) == -EDEADLK);
	CHECK(green_mutex_unlock(&ec) == 0);
}

static void test_stack_cache(void)
{
	struct green_stack s1, s2;
	void *lo;

	CHECK(green_stack_get(&s1, 64 * 1024, 4096) == 0);
	CHECK(s1.size >= 64 * 1024 && s1.guard >= 4096 && !s1.user);
	memset(s1.lo, 0xa5, s1.size); /* the whole usable range is writable */
	lo = s1.lo;
	green_stack_put(&s1);
	CHECK(s1.lo == NULL);
	CHECK(green_stack_get(&s2, 64 * 1024, 4096) == 0);
	CHECK(s2.lo == lo); /* the cached stack comes back: no system call */
	green_stack_put(&s2);
	CHECK(green_stack_get(&s2, 1, 0) == 0);
	CHECK(s2.size >= 4096); /* rounded up to a page */
	green_stack_put(&s2);
}

static void test_fd_table(void)
{
	int p[2], sv[2];
	struct green_fd *f;

	CHECK(pipe(p) == 0);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	green_fd_created(p[0]);
	green_fd_created(p[1]);
	green_fd_created(sv[0]);
	CHECK((f = green_fd_get(p[0])) && f->kind == GREEN_FD_STREAM && f->sole && !green_fd_nonblocking(f, p[0]));
	CHECK((f = green_fd_get(sv[0])) && f->kind == GREEN_FD_SOCKET && f->stream_socket);
	CHECK(green_fd_blocking(p[0]) != NULL);
	/* a sole description's O_NONBLOCK is cached, updated by the hooks */
	f = green_fd_get(p[1]);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	green_fd_set_nonblock(p[1], true);
	CHECK(green_fd_nonblocking(f, p[1]));
	fcntl(p[1], F_SETFL, 0);
	green_fd_set_nonblock(p[1], false);
	/* shared (a dup): read from the kernel, whatever changed it */
	{
		int d = dup(p[1]);
		green_fd_shared(p[1]);
		fcntl(d, F_SETFL, O_NONBLOCK);
		CHECK(!f->sole && green_fd_nonblocking(f, p[1]));
		fcntl(d, F_SETFL, 0);
		CHECK(!green_fd_nonblocking(f, p[1]));
		close(d);
	}
	/* a child process makes every description shared */
	f = green_fd_get(p[0]);
	green_fd_share_all();
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	CHECK(green_fd_nonblocking(f, p[0]));
	fcntl(p[0], F_SETFL, 0);
	/* socket timeouts: cached while sole; a negative one is remembered per socket */
	{
		struct timeval tv = { 2, 0 };
		struct timespec ts;
		int d;
		green_fd_created(sv[0]);
		f = green_fd_get(sv[0]);
		CHECK(f->sole && green_fd_timeout(f, sv[0], GREEN_FD_READ, &ts) == 0);
		setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		green_fd_timeout_set(sv[0], SO_RCVTIMEO, false);
		CHECK(green_fd_timeout(f, sv[0], GREEN_FD_READ, &ts) == 1);
		d = dup(sv[0]);
		green_fd_shared(sv[0]);
		tv.tv_sec = -1;
		setsockopt(d, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		green_fd_timeout_set(d, SO_RCVTIMEO, true);
		CHECK(green_fd_timeout(f, sv[0], GREEN_FD_READ, &ts) == -EAGAIN);
		CHECK(green_fd_timeout(f, sv[0], GREEN_FD_WRITE, &ts) == 0);
		tv.tv_sec = 0;
		setsockopt(d, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		green_fd_timeout_set(d, SO_RCVTIMEO, false);
		CHECK(green_fd_timeout(f, sv[0], GREEN_FD_READ, &ts) == 0);
		close(d);
	}
	CHECK(green_fd_get(-1) == NULL);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	CHECK(green_fd_get(p[0]) == NULL); /* closed: not open any more */
	{
		int fd = open("/proc/self/exe", O_RDONLY); /* a regular file: never waits */
		CHECK((f = green_fd_get(fd)) && f->kind == GREEN_FD_FILE);
		CHECK(green_fd_blocking(fd) == NULL);
		close(fd);
	}
}

int main(void)
{
	if (!green_sched.main) { /* booted like any program: main is a green thread */
		printf("core units: libgreen did not boot (GREEN_DISABLE?)\n");
		return 2;
	}
	test_wait_queues();
	test_mutex_word();
	test_stack_cache();
	test_fd_table();
	printf("core units: %d checks, %d failed\n", checks, failures);
	return failures != 0;
}
