/* SPDX-License-Identifier: MIT
 * The mutex algorithm on glibc's struct __pthread_mutex_s: Drepper's futex mutex ("Futexes are
 * tricky", mutex 2) for the normal kinds, and the robust lock-word protocol (owner id |
 * FUTEX_WAITERS, FUTEX_OWNER_DIED) for robust ones. Green waiters park in the wait table; for a
 * lock held by another OS thread or process they wait on the word (green_wait_word), since its
 * unlock wakes only kernel waiters.
 */
#include "mutex.h"

#include "cancel.h"
#include "clock.h"
#include "sched.h"
#include "sys.h"
#include "wait.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

/* glibc's __kind bits (nptl/pthreadP.h). */
#define MUTEX_KIND_MASK 3
#define MUTEX_ROBUST 16
#define MUTEX_PSHARED 128
#define MUTEX_INCONSISTENT INT_MAX       /* __owner after EOWNERDEAD until consistent() */
#define MUTEX_NOTRECOVERABLE (INT_MAX - 1) /* __owner after unlocking an inconsistent mutex */
#define GREEN_TID_BASE 0x20000000

int green_mutex_tid(const struct green_thread *g)
{
	return g->lock_id;
}

void green_mutex_id_assign(struct green_thread *g)
{
	static uint32_t private_counter, *counter;
	uint32_t n;

	if (!counter) {
		void *page = mmap(NULL, sizeof *counter, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		counter = page == MAP_FAILED ? &private_counter : page;
		*counter = (uint32_t)green_sys(SYS_getpid) * 7919u;
	}
	/* 2^29 ids above GREEN_TID_BASE, skipping 0 (a lock word of GREEN_TID_BASE is fine, but
	 * keep every id distinct from the "free" value whatever the base). */
	do
		n = __atomic_add_fetch(counter, 1, __ATOMIC_RELAXED) & 0x1fffffffu;
	while (n == 0);
	g->lock_id = GREEN_TID_BASE + (int)n;
}

struct green_thread *green_mutex_owner(int tid)
{
	if (tid < GREEN_TID_BASE || tid >= (int)FUTEX_OWNER_DIED)
		return NULL;
	for (struct green_thread *g = green_thread_first(); g; g = green_thread_next(g))
		if (g->lock_id == tid && g != green_sched.hub)
			return g;
	return NULL;
}

static bool mutex_owner_is_green(int tid)
{
	return tid >= GREEN_TID_BASE && tid < (int)FUTEX_OWNER_DIED;
}

/* Wait for the lock word to change from seen: park in the wait table when the holder is one
 * of our green threads (its unlock wakes us), else wait on the word where its unlock's kernel
 * wake reaches us (another process, a real OS thread). Returns 0, -ETIMEDOUT or -ECANCELED
 * (an asynchronous cancel: the hook acts on it). */
static int mutex_wait(struct __pthread_mutex_s *d, int holder, int seen, bool pshared,
		      enum green_lock_mode mode, clockid_t clk, const struct timespec *abstime)
{
	const struct timespec *dl = mode == GREEN_LOCK_TIMED ? abstime : NULL;
	bool async = green_cancel_async_begin();
	int r;

	/* With one OS thread, every unlock of a private mutex is ours (whoever locked it). */
	if (!pshared && (mutex_owner_is_green(holder) || green_wait_single_os_thread()))
		r = green_wait_park(&d->__lock, ~0u, GREEN_WAIT_MUTEX, clk, dl);
	else
		r = green_wait_word((const uint32_t *)&d->__lock, (uint32_t)seen, ~0u, pshared,
				    GREEN_WAIT_MUTEX, clk, dl);
	green_cancel_async_end(async);
	return r;
}

/* Checks glibc makes before a timed lock would wait: EINVAL for a bad tv_nsec, ETIMEDOUT for
 * a negative time. Returns 0 if waiting may go on. */
static int mutex_check_abstime(enum green_lock_mode mode, const struct timespec *abstime)
{
	return mode == GREEN_LOCK_TIMED ? green_clock_check_abstime(abstime) : 0;
}

/* Link a robust mutex into the owner's held list (through glibc's __list field, which glibc
 * only uses while it holds the mutex itself). */
static void mutex_robust_link(struct green_thread *g, pthread_mutex_t *m)
{
	pthread_mutex_t *head = g->robust;

	m->__data.__list.__prev = NULL;
	m->__data.__list.__next = (struct __pthread_internal_list *)head;
	if (head)
		head->__data.__list.__prev = (struct __pthread_internal_list *)m;
	g->robust = m;
}

static void mutex_robust_unlink(struct green_thread *g, pthread_mutex_t *m)
{
	pthread_mutex_t *prev = (pthread_mutex_t *)m->__data.__list.__prev;
	pthread_mutex_t *next = (pthread_mutex_t *)m->__data.__list.__next;

	if (prev)
		prev->__data.__list.__next = (struct __pthread_internal_list *)next;
	else if (g->robust == m)
		g->robust = next;
	if (next)
		next->__data.__list.__prev = (struct __pthread_internal_list *)prev;
	m->__data.__list.__prev = m->__data.__list.__next = NULL;
}

/* The owner locks again: recursion for recursive mutexes, EDEADLK (EBUSY for trylock) for
 * errorcheck ones. Returns 1 for the other kinds, which just wait (and deadlock, as natively). */
static int mutex_relock(struct __pthread_mutex_s *d, int type, enum green_lock_mode mode)
{
	if (type == PTHREAD_MUTEX_RECURSIVE) {
		if (d->__count + 1 == 0)
			return -EAGAIN;
		d->__count++;
		return 0;
	}
	if (type == PTHREAD_MUTEX_ERRORCHECK)
		return mode == GREEN_LOCK_TRY ? -EBUSY : -EDEADLK;
	return 1;
}

static int mutex_lock_robust(pthread_mutex_t *m, int type, enum green_lock_mode mode,
			     clockid_t clk, const struct timespec *abstime)
{
	struct __pthread_mutex_s *d = &m->__data;
	struct green_thread *self = green_sched_self();
	int tid = green_mutex_tid(self);
	bool pshared = d->__kind & MUTEX_PSHARED;
	int r;

	for (;;) {
		int old = __atomic_load_n(&d->__lock, __ATOMIC_ACQUIRE);
		int holder = old & FUTEX_TID_MASK;

		if (holder == 0) {
			if (d->__owner == MUTEX_NOTRECOVERABLE)
				return -ENOTRECOVERABLE;
			if (!__atomic_compare_exchange_n(&d->__lock, &old, tid | (old & FUTEX_WAITERS),
							 false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				continue;
			d->__count = 1;
			d->__nusers++;
			mutex_robust_link(self, m);
			if (old & FUTEX_OWNER_DIED) {
				d->__owner = MUTEX_INCONSISTENT;
				return -EOWNERDEAD;
			}
			d->__owner = tid;
			return 0;
		}
		if (holder == tid && (r = mutex_relock(d, type, mode)) <= 0)
			return r;
		if (mode == GREEN_LOCK_TRY)
			return -EBUSY;
		if ((r = mutex_check_abstime(mode, abstime)))
			return r;
		if (!(old & FUTEX_WAITERS) &&
		    !__atomic_compare_exchange_n(&d->__lock, &old, old | FUTEX_WAITERS, false,
						 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			continue;
		if ((r = mutex_wait(d, holder, old | FUTEX_WAITERS, pshared, mode, clk, abstime)))
			return r;
	}
}

static int mutex_lock(pthread_mutex_t *m, enum green_lock_mode mode, clockid_t clk,
		      const struct timespec *abstime)
{
	struct __pthread_mutex_s *d = &m->__data;
	int kind = __atomic_load_n(&d->__kind, __ATOMIC_RELAXED);
	int type = kind & MUTEX_KIND_MASK;
	int tid = green_mutex_tid(green_sched_self());
	bool pshared = kind & MUTEX_PSHARED;
	int zero = 0, r;

	if (kind & MUTEX_ROBUST)
		return mutex_lock_robust(m, type, mode, clk, abstime);
	/* glibc: a normal mutex relocked by its owner deadlocks (the deadlock report says so). */
	if (d->__owner == tid && __atomic_load_n(&d->__lock, __ATOMIC_RELAXED) &&
	    (r = mutex_relock(d, type, mode)) <= 0)
		return r;
	if (!__atomic_compare_exchange_n(&d->__lock, &zero, 1, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED)) {
		if (mode == GREEN_LOCK_TRY)
			return -EBUSY;
		if ((r = mutex_check_abstime(mode, abstime)))
			return r;
		/* Mark "locked, maybe waiters" and wait until the exchange finds it free. */
		while (__atomic_exchange_n(&d->__lock, 2, __ATOMIC_ACQUIRE) != 0)
			if ((r = mutex_wait(d, d->__owner, 2, pshared, mode, clk, abstime)))
				return r;
	}
	d->__owner = tid;
	d->__nusers++;
	if (type == PTHREAD_MUTEX_RECURSIVE)
		d->__count = 1;
	return 0;
}

/* Release the lock word and wake one waiter (green, and kernel when other OS threads exist). */
static void mutex_release(struct __pthread_mutex_s *d, bool robust)
{
	int old = __atomic_exchange_n(&d->__lock, 0, __ATOMIC_RELEASE);
	bool waiters = robust ? (old & FUTEX_WAITERS) != 0 : old > 1;

	if (waiters) {
		green_wait_wake(&d->__lock, ~0u, 1);
		green_wait_kernel_wake(&d->__lock, 1, d->__kind & MUTEX_PSHARED);
	}
}

static int mutex_unlock(pthread_mutex_t *m)
{
	struct __pthread_mutex_s *d = &m->__data;
	int kind = __atomic_load_n(&d->__kind, __ATOMIC_RELAXED);
	int type = kind & MUTEX_KIND_MASK;
	struct green_thread *self = green_sched_self();
	int tid = green_mutex_tid(self);

	if (kind & MUTEX_ROBUST) {
		if ((__atomic_load_n(&d->__lock, __ATOMIC_RELAXED) & FUTEX_TID_MASK) != tid)
			return -EPERM;
		if (type == PTHREAD_MUTEX_RECURSIVE && --d->__count)
			return 0;
		/* Unlocking without pthread_mutex_consistent makes it unusable for good. */
		d->__owner = d->__owner == MUTEX_INCONSISTENT ? MUTEX_NOTRECOVERABLE : 0;
		d->__nusers--;
		mutex_robust_unlink(self, m);
		mutex_release(d, true);
		return 0;
	}
	if (type == PTHREAD_MUTEX_RECURSIVE || type == PTHREAD_MUTEX_ERRORCHECK) {
		if (d->__owner != tid || !__atomic_load_n(&d->__lock, __ATOMIC_RELAXED))
			return -EPERM;
		if (type == PTHREAD_MUTEX_RECURSIVE && --d->__count)
			return 0;
	}
	d->__owner = 0;
	d->__nusers--;
	mutex_release(d, false);
	return 0;
}

/* The locks a green thread holds, for its time slice (sched.c): taken with the lock (also
 * EOWNERDEAD, which hands it over), dropped with each successful unlock. */
int green_mutex_lock(pthread_mutex_t *m, enum green_lock_mode mode, clockid_t clk,
		     const struct timespec *abstime)
{
	int r = mutex_lock(m, mode, clk, abstime);

	if (r == 0 || r == -EOWNERDEAD)
		green_sched_self()->locks_held++;
	return r;
}

int green_mutex_unlock(pthread_mutex_t *m)
{
	int r = mutex_unlock(m);
	struct green_thread *self = green_sched_self();

	if (r == 0 && self->locks_held)
		self->locks_held--;
	return r;
}

int green_mutex_consistent(pthread_mutex_t *m)
{
	struct __pthread_mutex_s *d = &m->__data;

	if (!(d->__kind & MUTEX_ROBUST) || d->__owner != MUTEX_INCONSISTENT)
		return -EINVAL;
	d->__owner = green_mutex_tid(green_sched_self());
	return 0;
}

void green_mutex_owner_died(struct green_thread *g)
{
	pthread_mutex_t *m;

	while ((m = g->robust)) {
		struct __pthread_mutex_s *d = &m->__data;
		int old = __atomic_load_n(&d->__lock, __ATOMIC_RELAXED);

		mutex_robust_unlink(g, m);
		/* What the kernel does for a dead thread's robust list: OWNER_DIED, keep WAITERS. */
		__atomic_store_n(&d->__lock, FUTEX_OWNER_DIED | (old & FUTEX_WAITERS), __ATOMIC_RELEASE);
		d->__nusers--;
		green_wait_wake(&d->__lock, ~0u, 1);
		green_wait_kernel_wake(&d->__lock, 1, d->__kind & MUTEX_PSHARED);
	}
}
