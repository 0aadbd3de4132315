/* SPDX-License-Identifier: MIT
 * Wait queues keyed by address: a fixed hash table of FIFO lists of nodes that live on the
 * parked green threads' stacks (no allocation, so hooks reached from malloc are safe).
 */
#include "wait.h"
#include "sys.h"

#include "cancel.h"
#include "clock.h"
#include "kwait.h"
#include "signal.h"
#include "sched.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <sys/single_threaded.h>
#include <sys/syscall.h>
#include <unistd.h>

#define WAIT_BUCKETS 4096 /* power of two */

/* One parked green thread, on its own stack while it waits. */
struct wait_node {
	const void *key;         /* what it waits on */
	uint32_t bits;           /* futex bitset it accepts */
	struct green_thread *g;  /* the waiter */
	struct wait_node *prev, *next; /* bucket list, oldest first */
	bool *woken;             /* set by green_wait_wake before readying g; shared by the
	                          * nodes of one green_wait_park_many */
	bool linked;             /* still in its bucket */
};

/* A bucket: a doubly linked FIFO. Hub OS thread only. */
struct wait_bucket {
	struct wait_node *head, *tail;
};

static struct wait_bucket wait_table[WAIT_BUCKETS];

static struct wait_bucket *wait_bucket_of(const void *key)
{
	uintptr_t k = (uintptr_t)key;

	k ^= k >> 17;
	k *= 0x9e3779b97f4a7c15ull;
	return &wait_table[(k >> 40) & (WAIT_BUCKETS - 1)];
}

static void wait_unlink(struct wait_bucket *b, struct wait_node *n)
{
	n->linked = false;
	if (n->prev)
		n->prev->next = n->next;
	else
		b->head = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		b->tail = n->prev;
	n->prev = n->next = NULL;
}

static void wait_link(struct wait_node *n)
{
	struct wait_bucket *b = wait_bucket_of(n->key);

	n->prev = b->tail;
	n->next = NULL;
	n->linked = true;
	if (b->tail)
		b->tail->next = n;
	else
		b->head = n;
	b->tail = n;
}

int green_wait_flag(const bool *woken, enum green_wait why, const void *obj, clockid_t clk,
		    const struct timespec *deadline)
{
	int r = 0;

	while (!*woken && r == 0) {
		if (green_cancel_interrupted())
			r = -ECANCELED;
		else if (green_signal_interrupted())
			r = -EINTR;
		else if (deadline)
			r = green_sched_park_until(why, obj, clk, deadline);
		else
			green_sched_park(why, obj);
	}
	return *woken ? 0 : r ? r : -ETIMEDOUT;
}

int green_wait_park(const void *key, uint32_t bits, enum green_wait why, clockid_t clk,
		    const struct timespec *deadline)
{
	bool woken = false;
	struct wait_node n = { .key = key, .bits = bits, .g = green_sched_self(), .woken = &woken };
	int r;

	GREEN_ASSERT_GREEN_THREAD();
	wait_link(&n);
	r = green_wait_flag(&woken, why, key, clk, deadline);
	if (n.linked)
		wait_unlink(wait_bucket_of(key), &n);
	return r;
}

int green_wait_park_many(const void *const *keys, int n, enum green_wait why, clockid_t clk,
			 const struct timespec *deadline)
{
	struct wait_node stack_nodes[32];
	struct wait_node *nodes = n <= 32 ? stack_nodes : calloc((size_t)n, sizeof *nodes);
	bool woken = false;
	int r;

	if (!nodes)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		nodes[i] = (struct wait_node){ .key = keys[i], .bits = ~0u, .g = green_sched_self(),
					       .woken = &woken };
		wait_link(&nodes[i]);
	}
	r = green_wait_flag(&woken, why, n ? keys[0] : NULL, clk, deadline);
	for (int i = 0; i < n; i++)
		if (nodes[i].linked)
			wait_unlink(wait_bucket_of(nodes[i].key), &nodes[i]);
	if (nodes != stack_nodes)
		free(nodes);
	return r;
}

int green_wait_wake(const void *key, uint32_t bits, int n)
{
	struct wait_bucket *b = wait_bucket_of(key);
	struct wait_node *w = b->head, *next;
	int woken = 0;

	GREEN_ASSERT_HUB_OS_THREAD();
	for (; w && woken < n; w = next) {
		next = w->next;
		if (w->key != key || !(w->bits & bits))
			continue;
		wait_unlink(b, w);
		if (*w->woken)
			continue; /* another node of the same park_many already woke it */
		*w->woken = true;
		green_sched_ready(w->g, GREEN_WAKE_EVENT);
		woken++;
	}
	return woken;
}

int green_wait_backoff(unsigned *round, enum green_wait why, const void *obj, clockid_t clk,
		    const struct timespec *deadline)
{
	long us = 50L << (*round < 6 ? *round : 6); /* 50 us .. 3.2 ms */
	int r;
	struct timespec until = green_clock_add(green_clock_now(CLOCK_MONOTONIC),
						(struct timespec){ 0, (us > 2000 ? 2000 : us) * 1000 });

	(*round)++;
	if (green_cancel_interrupted())
		return -ECANCELED;
	if (green_signal_interrupted())
		return -EINTR;
	if (deadline && !green_clock_before(green_clock_now(clk), *deadline))
		return -ETIMEDOUT;
	r = green_sched_park_until(why, obj, CLOCK_MONOTONIC, &until);
	return r == -ECANCELED || r == -EINTR ? r : 0;
}

int green_wait_word(const uint32_t *word, uint32_t val, uint32_t bits, bool shared,
		    enum green_wait why, clockid_t clk, const struct timespec *deadline)
{
	int k = green_kwait_futex(word, val, bits, shared, why, clk, deadline);

	if (k != -ENOSYS)
		return k == -EAGAIN ? 0 : k;
	for (unsigned round = 0;; round++) {
		struct timespec step = { 0, (50L << (round < 5 ? round : 5)) * 1000 }; /* 50us..1.6ms */
		int r;

		if (__atomic_load_n(word, __ATOMIC_SEQ_CST) != val)
			return 0;
		if (deadline) {
			struct timespec now = green_clock_now(clk), left;

			if (!green_clock_before(now, *deadline))
				return -ETIMEDOUT;
			left = green_clock_sub(*deadline, now);
			if (green_clock_before(left, step))
				step = left;
		}
		step = green_clock_add(green_clock_now(CLOCK_MONOTONIC), step);
		r = green_wait_park(word, bits, why, CLOCK_MONOTONIC, &step);
		if (r != -ETIMEDOUT)
			return r;
	}
}

long green_wait_word_wake(const uint32_t *word, uint32_t bits, int n, bool shared)
{
	int woken = n > 0 ? green_wait_wake(word, bits, n) : 0;
	long k;

	if (n > 0 && woken >= n)
		return woken;
	k = green_sys(SYS_futex, word, FUTEX_WAKE_BITSET | (shared ? 0 : FUTEX_PRIVATE_FLAG),
		      n > 0 ? n - woken : n, NULL, NULL, bits);
	if (k < 0)
		return woken ? woken : k;
	return woken + k;
}

bool green_wait_single_os_thread(void)
{
	return __libc_single_threaded;
}

void green_wait_kernel_wake(const void *addr, int n, bool shared)
{
	int saved = errno;

	if (shared)
		green_sys(SYS_futex, addr, FUTEX_WAKE, n, NULL, NULL, 0);
	else if (!__libc_single_threaded)
		green_sys(SYS_futex, addr, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
	errno = saved;
}

void green_wait_forked(void)
{
	/* Every node belongs to a thread that does not exist in the child. */
	memset(wait_table, 0, sizeof wait_table);
}
