/* SPDX-License-Identifier: MIT
 * Reader-writer locks. The object's glibc fields are reused for green state: __readers counts
 * read holders, __cur_writer is the writer's owner id, __writers counts waiting writers, and
 * __flags (kept from pthread_rwlock_init or the static initialiser) selects the preference.
 * A process-shared lock (__shared, from pthread_rwlock_init) keeps the same state in atomic
 * words and waits on a sequence word in the object, so its holders and waiters may be in any
 * process. A lock shared with real OS threads is not supported (documented).
 */
#include "rwlock.h"

#include "cancel.h"
#include "clock.h"
#include "sched.h"
#include "wait.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>

#define RWLOCK_MAX_READERS 0x3fffffffu
#define RWLOCK_PREFER_WRITER_NONRECURSIVE 2u

#define RWLOCK_SHARED_WRITER 0x80000000u /* in __readers of a shared lock: a writer holds it */

/* Take a shared lock's state word for a reader or writer if it fits. */
static bool rwlock_shared_take(struct __pthread_rwlock_arch_t *d, bool write, bool prefer_writer,
			       int *err)
{
	unsigned s = __atomic_load_n(&d->__readers, __ATOMIC_SEQ_CST);

	*err = 0;
	if (write)
		return s == 0 && __atomic_compare_exchange_n(&d->__readers, &s, RWLOCK_SHARED_WRITER,
							     false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	if ((s & RWLOCK_SHARED_WRITER) ||
	    (prefer_writer && __atomic_load_n(&d->__writers, __ATOMIC_SEQ_CST)))
		return false;
	if (s >= RWLOCK_MAX_READERS) {
		*err = -EAGAIN;
		return false;
	}
	return __atomic_compare_exchange_n(&d->__readers, &s, s + 1, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

static int rwlock_lock_shared(struct __pthread_rwlock_arch_t *d, bool write, bool prefer_writer,
			      int tid, enum green_lock_mode mode, clockid_t clk,
			      const struct timespec *abstime)
{
	for (;;) {
		uint32_t seen;
		bool async;
		int r;

		if (rwlock_shared_take(d, write, prefer_writer, &r)) {
			if (write)
				__atomic_store_n(&d->__cur_writer, tid, __ATOMIC_SEQ_CST);
			return 0;
		}
		if (r)
			return r;
		if (mode == GREEN_LOCK_TRY)
			return -EBUSY;
		if (mode == GREEN_LOCK_TIMED && (r = green_clock_check_abstime(abstime)))
			return r;
		/* Read the sequence, then try once more: an unlock after the try bumps it. */
		seen = __atomic_load_n(&d->__wrphase_futex, __ATOMIC_SEQ_CST);
		if (rwlock_shared_take(d, write, prefer_writer, &r)) {
			if (write)
				__atomic_store_n(&d->__cur_writer, tid, __ATOMIC_SEQ_CST);
			return 0;
		}
		if (write)
			__atomic_add_fetch(&d->__writers, 1, __ATOMIC_SEQ_CST);
		async = green_cancel_async_begin();
		r = green_wait_word(&d->__wrphase_futex, seen, ~0u, true, GREEN_WAIT_RWLOCK, clk,
				    mode == GREEN_LOCK_TIMED ? abstime : NULL);
		green_cancel_async_end(async);
		if (write)
			__atomic_sub_fetch(&d->__writers, 1, __ATOMIC_SEQ_CST);
		if (r == -ETIMEDOUT || r == -ECANCELED) {
			if (write && prefer_writer) { /* it may have held new readers back */
				__atomic_add_fetch(&d->__wrphase_futex, 1, __ATOMIC_SEQ_CST);
				green_wait_word_wake(&d->__wrphase_futex, ~0u, INT_MAX, true);
			}
			return r;
		}
	}
}

static int rwlock_unlock_shared(struct __pthread_rwlock_arch_t *d, int tid)
{
	unsigned s = __atomic_load_n(&d->__readers, __ATOMIC_SEQ_CST);

	if (s & RWLOCK_SHARED_WRITER) {
		if (__atomic_load_n(&d->__cur_writer, __ATOMIC_SEQ_CST) != tid)
			return -EPERM;
		__atomic_store_n(&d->__cur_writer, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(&d->__readers, 0, __ATOMIC_SEQ_CST);
	} else if (s) {
		if (__atomic_sub_fetch(&d->__readers, 1, __ATOMIC_SEQ_CST))
			return 0; /* other readers still hold it: nobody waiting can go on yet */
	} else {
		return -EPERM;
	}
	__atomic_add_fetch(&d->__wrphase_futex, 1, __ATOMIC_SEQ_CST);
	green_wait_word_wake(&d->__wrphase_futex, ~0u, INT_MAX, true);
	return 0;
}

int green_rwlock_lock(pthread_rwlock_t *rw, bool write, enum green_lock_mode mode, clockid_t clk,
		      const struct timespec *abstime)
{
	struct __pthread_rwlock_arch_t *d = &rw->__data;
	int tid = green_mutex_tid(green_sched_self());
	bool prefer_writer = d->__flags == RWLOCK_PREFER_WRITER_NONRECURSIVE;

	if (d->__shared) {
		if ((__atomic_load_n(&d->__readers, __ATOMIC_SEQ_CST) & RWLOCK_SHARED_WRITER) &&
		    __atomic_load_n(&d->__cur_writer, __ATOMIC_SEQ_CST) == tid)
			return mode == GREEN_LOCK_TRY ? -EBUSY : -EDEADLK;
		return rwlock_lock_shared(d, write, prefer_writer, tid, mode, clk, abstime);
	}
	if (d->__cur_writer == tid)
		return mode == GREEN_LOCK_TRY ? -EBUSY : -EDEADLK;
	for (;;) {
		bool async;
		int r;

		if (write ? (!d->__cur_writer && !d->__readers)
			  : (!d->__cur_writer && !(prefer_writer && d->__writers))) {
			if (write) {
				d->__cur_writer = tid;
			} else {
				if (d->__readers >= RWLOCK_MAX_READERS)
					return -EAGAIN;
				d->__readers++;
			}
			return 0;
		}
		if (mode == GREEN_LOCK_TRY)
			return -EBUSY;
		if (mode == GREEN_LOCK_TIMED && (r = green_clock_check_abstime(abstime)))
			return r;
		d->__writers += write;
		async = green_cancel_async_begin();
		r = green_wait_park(rw, ~0u, GREEN_WAIT_RWLOCK, clk,
				    mode == GREEN_LOCK_TIMED ? abstime : NULL);
		green_cancel_async_end(async);
		d->__writers -= write;
		if (r) {
			/* A writer that gives up may have been what held new readers back. */
			if (write && prefer_writer)
				green_wait_wake(rw, ~0u, INT_MAX);
			return r;
		}
	}
}

int green_rwlock_unlock(pthread_rwlock_t *rw)
{
	struct __pthread_rwlock_arch_t *d = &rw->__data;
	int tid = green_mutex_tid(green_sched_self());

	if (d->__shared)
		return rwlock_unlock_shared(d, tid);
	if (d->__cur_writer == tid)
		d->__cur_writer = 0;
	else if (d->__readers)
		d->__readers--;
	else
		return -EPERM;
	/* Everyone re-checks in arrival order; the first that fits takes it. */
	if (!d->__readers)
		green_wait_wake(rw, ~0u, INT_MAX);
	return 0;
}
