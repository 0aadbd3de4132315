/* SPDX-License-Identifier: MIT
 * Reader-writer locks. The object's glibc fields are reused for green state: __readers counts
 * read holders, __cur_writer is the writer's owner id, __writers counts waiting writers, and
 * __flags (kept from pthread_rwlock_init or the static initialiser) selects the preference.
 * A lock shared with real OS threads is not supported (documented).
 */
#include "rwlock.h"

#include "clock.h"
#include "sched.h"
#include "wait.h"

#include <errno.h>
#include <limits.h>

#define RWLOCK_MAX_READERS 0x3fffffffu
#define RWLOCK_PREFER_WRITER_NONRECURSIVE 2u

int green_rwlock_lock(pthread_rwlock_t *rw, bool write, enum green_lock_mode mode, clockid_t clk,
		      const struct timespec *abstime)
{
	struct __pthread_rwlock_arch_t *d = &rw->__data;
	int tid = green_mutex_tid(green_sched_self());
	bool prefer_writer = d->__flags == RWLOCK_PREFER_WRITER_NONRECURSIVE;

	if (d->__cur_writer == tid)
		return mode == GREEN_LOCK_TRY ? -EBUSY : -EDEADLK;
	for (;;) {
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
		r = green_wait_park(rw, ~0u, GREEN_WAIT_RWLOCK, clk,
				    mode == GREEN_LOCK_TIMED ? abstime : NULL);
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
