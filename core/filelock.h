/* SPDX-License-Identifier: MIT
 * FILE locks between green threads (flockfile, ftrylockfile, funlockfile and the lock every
 * stdio call takes): held by a green thread, recursive, excluding the others, who park while
 * it is held (also across the holder's parks). glibc's own lock inside the FILE is left to
 * glibc's functions, which take it for the length of one call that never parks; that lock
 * would block the only OS thread if a parked holder kept it.
 */
#ifndef GREEN_CORE_FILELOCK_H
#define GREEN_CORE_FILELOCK_H

#include <stdbool.h>
#include <stdio.h>

/* Take fp's lock for the current green thread, parking while another holds it; recursive.
 * Green thread only; parks (not interruptible, as flockfile). */
void green_filelock_lock(FILE *fp);

/* Take it if free or already the caller's: 0, else -EBUSY. Green thread only; never parks. */
int green_filelock_trylock(FILE *fp);

/* Release one level of the caller's hold; the last one wakes its waiters. A FILE the
 * caller does not hold is left alone. Green thread only; never parks. */
void green_filelock_unlock(FILE *fp);

/* A stdio call on fp is about to run: park while another green thread holds fp. Costs one
 * load when no FILE is held. Green thread only; parks. */
void green_filelock_wait(FILE *fp);

/* True when another green thread holds fp. Green thread only; never parks. */
bool green_filelock_busy(FILE *fp);

/* In a fork child: every FILE lock is free again (glibc resets them all in the child). */
void green_filelock_forked(void);

#endif
