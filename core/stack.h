/* SPDX-License-Identifier: MIT
 * Green thread stacks: anonymous mmap with a guard page below, cached on release.
 */
#ifndef GREEN_CORE_STACK_H
#define GREEN_CORE_STACK_H

#include <stdbool.h>
#include <stddef.h>

/* One stack. Written by green_stack_get()/green_stack_adopt(); read by the thread owning it. */
struct green_stack {
	void *lo;        /* lowest usable byte (just above the guard) */
	size_t size;     /* usable bytes from lo */
	size_t guard;    /* bytes of guard below lo (0: none) */
	bool user;       /* memory supplied by the program (pthread_attr_setstack): never unmapped */
	unsigned vg_id;  /* valgrind's id for the registered stack, 0 when not under valgrind */
	void *tcb;       /* the glibc TCB built at its top (core/tls.c), kept with it in the
	                  * cache; NULL: none yet */
};

/* Get a stack of at least size usable bytes (rounded up to pages) with a guard of guard bytes
 * (rounded up to pages, 0 = none), from the cache or a new mapping. Hub OS thread only.
 * Returns 0, or -EAGAIN when no memory or mapping can be had (what pthread_create reports). */
int green_stack_get(struct green_stack *st, size_t size, size_t guard);

/* Describe program-supplied memory [lo, lo+size) as a stack without guard. Cannot fail. */
void green_stack_adopt(struct green_stack *st, void *lo, size_t size);

/* Release a stack nobody runs on any more: cache it (beyond glibc's 40 MiB budget only until
 * the hub is next idle, see green_stack_trim); user stacks are left alone. Hub OS thread. */
void green_stack_put(struct green_stack *st);

/* Give cached stacks beyond the cache budget (40 MiB, as glibc) back to the kernel, a bounded
 * number per call. Called by the hub when it is about to wait for events. Returns true when
 * more remain (call again). Hub OS thread only. */
bool green_stack_trim(void);

/* The stack size native threads get by default (glibc's default attribute: RLIMIT_STACK, or
 * 2 MiB when unlimited). Any thread. */
size_t green_stack_default_size(void);

#endif
