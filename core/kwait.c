/* SPDX-License-Identifier: MIT
 * Kernel-held futex waits on an io_uring (see kwait.h). The ring is set up on first use: a
 * submission per wait (io_uring_enter, no completion wait), and the hub reaps completions when
 * the ring's fd is readable. Wait nodes live on the waiters' stacks, listed so that a ring
 * failure can release every waiter. Hub OS thread only.
 */
#include "kwait.h"
#include "sys.h"

#include "hub.h"
#include "log.h"
#include "ownfd.h"
#include "sched.h"
#include "signal.h"
#include "wait.h"

#include <errno.h>
#include <linux/futex.h>
#include <linux/io_uring.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

/* Linux 6.7 names (uapi) that Debian 12's headers lack. */
#define KWAIT_OP_FUTEX_WAIT 51    /* IORING_OP_FUTEX_WAIT */
#define KWAIT_FUTEX2_SIZE_U32 0x02 /* FUTEX2_SIZE_U32 */
#define KWAIT_FUTEX2_PRIVATE 128   /* FUTEX2_PRIVATE */
#define KWAIT_ENTRIES 64

/* One green thread's wait, on its stack until its completion has been reaped. */
struct kwait_node {
	struct green_thread *g;
	struct kwait_node *prev, *next; /* pending list */
	bool done;                      /* its completion arrived */
	int res;                        /* the completion's result */
};

static struct {
	int state;                 /* 0: not tried, 1: ready, -1: unavailable */
	int fd;                    /* the ring (one of our own fds) */
	void *ring, *sqe_map;      /* the SQ/CQ rings (one mapping), the SQE array */
	size_t ring_len, sqe_len;
	unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	struct kwait_node *pending; /* submitted, not yet completed */
} kw = { .fd = -1 };

static void kwait_unlink(struct kwait_node *n)
{
	if (n->prev)
		n->prev->next = n->next;
	else if (kw.pending == n)
		kw.pending = n->next;
	if (n->next)
		n->next->prev = n->prev;
	n->prev = n->next = NULL;
}

static void kwait_complete(struct kwait_node *n, int res)
{
	kwait_unlink(n);
	n->res = res;
	n->done = true;
	green_sched_ready(n->g, GREEN_WAKE_EVENT);
}

/* The ring's fd is readable: hand every completion to its waiter. */
static void kwait_reap(void *unused)
{
	unsigned head = *kw.cq_head, tail = __atomic_load_n(kw.cq_tail, __ATOMIC_ACQUIRE);

	(void)unused;
	for (; head != tail; head++) {
		struct io_uring_cqe *c = &kw.cqes[head & *kw.cq_mask];

		if (c->user_data) /* 0: a cancellation's own completion */
			kwait_complete((struct kwait_node *)(uintptr_t)c->user_data, c->res);
	}
	__atomic_store_n(kw.cq_head, head, __ATOMIC_RELEASE);
}

/* Give the ring up (a failed submission): every waiter is released with -ENOSYS. */
static void kwait_fail(int err)
{
	green_log_debug(1, "kernel-held futex waits stop (io_uring: %s); waits poll", strerror(-err));
	kw.state = -1;
	while (kw.pending)
		kwait_complete(kw.pending, -ENOSYS);
}

/* Whether this kernel's io_uring has IORING_OP_FUTEX_WAIT. */
static bool kwait_probe(int fd)
{
	union {
		struct io_uring_probe p;
		unsigned char room[sizeof(struct io_uring_probe) + 256 * sizeof(struct io_uring_probe_op)];
	} pr;

	memset(&pr, 0, sizeof pr);
	if (green_sys(SYS_io_uring_register, fd, IORING_REGISTER_PROBE, &pr, 256) < 0)
		return false;
	return pr.p.last_op >= KWAIT_OP_FUTEX_WAIT &&
	       (pr.p.ops[KWAIT_OP_FUTEX_WAIT].flags & IO_URING_OP_SUPPORTED);
}

static int kwait_start(void)
{
	struct io_uring_params p;
	int fd;

	memset(&p, 0, sizeof p);
	fd = (int)green_sys(SYS_io_uring_setup, KWAIT_ENTRIES, &p);
	if (fd < 0)
		return fd;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP) || !(p.features & IORING_FEAT_NODROP) ||
	    !kwait_probe(fd))
		goto unsupported;
	kw.ring_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	if (kw.ring_len < p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe))
		kw.ring_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	kw.sqe_len = p.sq_entries * sizeof(struct io_uring_sqe);
	kw.ring = mmap(NULL, kw.ring_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
		       IORING_OFF_SQ_RING);
	if (kw.ring == MAP_FAILED)
		goto unsupported;
	kw.sqe_map = mmap(NULL, kw.sqe_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
			  IORING_OFF_SQES);
	if (kw.sqe_map == MAP_FAILED) {
		munmap(kw.ring, kw.ring_len);
		goto unsupported;
	}
	kw.sq_tail = (unsigned *)((char *)kw.ring + p.sq_off.tail);
	kw.sq_mask = (unsigned *)((char *)kw.ring + p.sq_off.ring_mask);
	kw.sq_array = (unsigned *)((char *)kw.ring + p.sq_off.array);
	kw.cq_head = (unsigned *)((char *)kw.ring + p.cq_off.head);
	kw.cq_tail = (unsigned *)((char *)kw.ring + p.cq_off.tail);
	kw.cq_mask = (unsigned *)((char *)kw.ring + p.cq_off.ring_mask);
	kw.cqes = (struct io_uring_cqe *)((char *)kw.ring + p.cq_off.cqes);
	kw.sqes = kw.sqe_map;
	kw.fd = fd;
	if (green_hub_watch_internal(&kw.fd, kwait_reap, NULL, NULL)) {
		munmap(kw.sqe_map, kw.sqe_len);
		munmap(kw.ring, kw.ring_len);
		fd = kw.fd;
		kw.fd = -1;
		goto unsupported;
	}
	return 0;
unsupported:
	green_sys(SYS_close, fd);
	return -ENOSYS;
}

/* Queue one request and submit it. Returns 0 or -errno (the ring is then unusable). */
static int kwait_submit(const struct io_uring_sqe *sqe)
{
	unsigned tail = *kw.sq_tail, idx = tail & *kw.sq_mask;
	long r;

	kw.sqes[idx] = *sqe;
	kw.sq_array[idx] = idx;
	__atomic_store_n(kw.sq_tail, tail + 1, __ATOMIC_RELEASE);
	do
		r = green_sys(SYS_io_uring_enter, kw.fd, 1, 0, 0, NULL, 0);
	while (r == -EINTR);
	return r == 1 ? 0 : r < 0 ? (int)r : -EIO;
}

int green_kwait_futex(const uint32_t *word, uint32_t val, uint32_t bits, bool shared,
		      enum green_wait why, clockid_t clk, const struct timespec *deadline)
{
	struct kwait_node n = { .g = green_sched_self() };
	struct io_uring_sqe sqe;
	int r = 0;

	GREEN_ASSERT_GREEN_THREAD();
	if (kw.state == 0)
		kw.state = kwait_start() ? -1 : 1;
	if (kw.state < 0)
		return -ENOSYS;
	memset(&sqe, 0, sizeof sqe);
	sqe.opcode = KWAIT_OP_FUTEX_WAIT;
	sqe.fd = KWAIT_FUTEX2_SIZE_U32 | (shared ? 0 : KWAIT_FUTEX2_PRIVATE);
	sqe.addr = (uintptr_t)word;
	sqe.addr2 = val;
	sqe.addr3 = bits;
	sqe.user_data = (uintptr_t)&n;
	n.next = kw.pending;
	if (kw.pending)
		kw.pending->prev = &n;
	kw.pending = &n;
	if ((r = kwait_submit(&sqe))) {
		kwait_fail(r);
		return -ENOSYS;
	}
	/* Another process or OS thread may end it: never a deadlock. */
	green_hub_waiters_add(1);
	r = green_wait_flag(&n.done, why, word, clk, deadline);
	if (!n.done) {
		/* Withdraw the wait; its completion (cancelled, or woken after all) follows. */
		memset(&sqe, 0, sizeof sqe);
		sqe.opcode = IORING_OP_ASYNC_CANCEL;
		sqe.addr = (uintptr_t)&n;
		if (kwait_submit(&sqe) < 0)
			kwait_fail(-EIO);
		while (!n.done)
			green_sched_park(why, word);
		if (n.res == 0) /* a wake meant for a waiter: give it to the next one */
			green_sys(SYS_futex, word, FUTEX_WAKE_BITSET | (shared ? 0 : FUTEX_PRIVATE_FLAG), 1,
				  NULL, NULL, bits);
	} else {
		r = n.res;
	}
	green_hub_waiters_add(-1);
	return r;
}

int green_kwait_forked(void)
{
	if (kw.state > 0) {
		munmap(kw.sqe_map, kw.sqe_len);
		munmap(kw.ring, kw.ring_len);
		green_ownfd_close(kw.fd);
	}
	kw.fd = -1;
	kw.pending = NULL;
	kw.state = 0;
	return 0;
}
