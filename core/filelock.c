/* SPDX-License-Identifier: MIT
 * FILE locks between green threads (filelock.h): a small table of the FILEs held right now
 * (programs hold few at a time), waiters parked on the FILE's address.
 */
#include "filelock.h"

#include "sched.h"
#include "wait.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

struct filelock {
	FILE *fp;                   /* NULL: free slot */
	struct green_thread *owner; /* the green thread holding it */
	unsigned depth;             /* its recursion count */
};

static struct filelock *filelock_table;
static unsigned filelock_cap, filelock_held; /* slots; slots in use */

static struct filelock *filelock_find(FILE *fp)
{
	for (unsigned i = 0; i < filelock_cap; i++)
		if (filelock_table[i].fp == fp)
			return &filelock_table[i];
	return NULL;
}

/* A free slot for fp, growing the table; NULL without memory (the lock then excludes
 * nothing, as before libgreen knew of FILE locks). */
static struct filelock *filelock_slot(FILE *fp)
{
	struct filelock *l = filelock_find(NULL);

	if (!l) {
		unsigned cap = filelock_cap ? filelock_cap * 2 : 8;
		struct filelock *t = realloc(filelock_table, cap * sizeof *t);
		if (!t)
			return NULL;
		for (unsigned i = filelock_cap; i < cap; i++)
			t[i] = (struct filelock){ 0 };
		l = &t[filelock_cap];
		filelock_table = t;
		filelock_cap = cap;
	}
	l->fp = fp;
	filelock_held++;
	return l;
}

int green_filelock_trylock(FILE *fp)
{
	struct green_thread *self = green_sched_self();
	struct filelock *l = filelock_held ? filelock_find(fp) : NULL;

	if (l && l->owner != self)
		return -EBUSY;
	if (!l && !(l = filelock_slot(fp)))
		return 0;
	l->owner = self;
	l->depth++;
	return 0;
}

void green_filelock_lock(FILE *fp)
{
	while (green_filelock_trylock(fp) == -EBUSY)
		green_wait_park(fp, ~0u, GREEN_WAIT_STDIO, CLOCK_MONOTONIC, NULL);
}

void green_filelock_unlock(FILE *fp)
{
	struct filelock *l = filelock_held ? filelock_find(fp) : NULL;

	if (!l || l->owner != green_sched_self())
		return;
	if (--l->depth)
		return;
	l->fp = NULL;
	l->owner = NULL;
	filelock_held--;
	green_wait_wake(fp, ~0u, INT_MAX); /* the ones that only wait for it to be free too */
}

bool green_filelock_busy(FILE *fp)
{
	struct filelock *l;

	return __builtin_expect(filelock_held != 0, 0) && (l = filelock_find(fp)) &&
	       l->owner != green_sched_self();
}

void green_filelock_wait(FILE *fp)
{
	while (green_filelock_busy(fp))
		green_wait_park(fp, ~0u, GREEN_WAIT_STDIO, CLOCK_MONOTONIC, NULL);
}

void green_filelock_forked(void)
{
	for (unsigned i = 0; i < filelock_cap; i++)
		filelock_table[i] = (struct filelock){ 0 };
	filelock_held = 0;
}
