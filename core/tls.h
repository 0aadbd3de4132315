/* SPDX-License-Identifier: MIT
 * Thread-local storage per green thread: each green thread but main runs on a glibc TCB of its
 * own (struct pthread, DTV and static TLS blocks) built by ld.so's _dl_allocate_tls at the top
 * of its stack, as glibc's pthread_create does, and the context switch loads its fs base. Then
 * __thread, C++ thread_local (and their destructors), errno, locales, dlerror, strerror buffers
 * and libstdc++'s exception stack are each green thread's own, with no copying per switch.
 * Where libgreen cannot prove at boot that this works (GREEN_TLS=shared, another glibc, a
 * sanitizer, another architecture), every green thread shares the OS thread's TLS and the
 * scheduler swaps errno, h_errno and the exception globals by hand.
 */
#ifndef GREEN_CORE_TLS_H
#define GREEN_CORE_TLS_H

#include "thread.h"

#include <stdbool.h>
#include <stddef.h>

/* How green threads get their TLS; fixed at boot. */
enum green_tls_mode {
	GREEN_TLS_SHARED, /* the OS thread's, shared; the scheduler swaps errno & co by hand */
	GREEN_TLS_WRFS,   /* their own, switched with the wrfsbase instruction (+1 ns) */
	GREEN_TLS_PRCTL,  /* their own, switched with arch_prctl(ARCH_SET_FS) (+60 ns: valgrind) */
};

extern enum green_tls_mode green_tls_mode;

/* Decide the mode from GREEN_TLS and what this process and machine can do: glibc version in
 * the tested table, its private TLS entry points present, struct pthread's layout as
 * expected, no ASan/TSan, x86-64 context switch. A fallback to shared says why on stderr in
 * one line (unless GREEN_TLS=shared asked for it). Sets up the main thread's context (its
 * own TCB). Boot thread, before the hub exists; cannot fail (shared is always possible). */
void green_tls_boot(struct green_thread *main_g);

/* The mode in one word for the statistics line: "wrfsbase", "arch_prctl" or "shared". */
const char *green_tls_token(void);

/* Build g's TCB at the top of its stack [g->stack.lo, +size) and set g->ctx.tp; *usable: the
 * bytes of stack left below the static TLS (all of it in shared mode). hub: the TCB is the
 * hub's (hooks pass through on it). A stack from the cache that had a TCB reuses it,
 * re-initialised (fresh TLS).
 * Returns 0, -EAGAIN (no memory) or -EINVAL (a program-supplied stack too small for the TLS,
 * as glibc says). No-op (0) in shared mode. Hub OS thread. */
int green_tls_make(struct green_thread *g, bool hub, size_t *usable);

/* First thing on a new green thread, running on its TCB (before green_sched_started, which
 * zeroes errno and h_errno): glibc's per-thread ctype tables, the global locale. Green thread
 * (or the hub) on its own TCB; no-op in shared mode. */
void green_tls_started(void);

/* Last things a finishing green thread does on its TCB, before its key destructors: run the
 * C++ thread_local destructors (glibc's __call_tls_dtors), and leave no per-thread libc state
 * (uselocale, dlerror) to the next thread its TCB serves. Green thread; no-op when shared. */
void green_tls_exiting(void);

/* Free the DTV and dynamic TLS of the TCB at tp (NULL: none), whose stack is unmapped or given
 * back to the program; a stack that goes to the cache keeps its TCB, re-initialised when
 * reused. Hub OS thread, not on that TCB. */
void green_tls_drop(void *tp);

/* The green TCB on glibc's thread list while its thread runs dlopen, or NULL. */
extern char *green_tls_linked;

/* The running green thread is about to call dlopen or dlmopen: put its TCB on glibc's list of
 * threads, so that ld.so initialises the static TLS of initial-exec modules it loads in it, as
 * in main, before their constructors run. It leaves the list at the next switch
 * (green_tls_settle). Green thread; no-op when shared or on main. */
void green_tls_dlopen_enter(void);

/* Take the TCB of green_tls_linked off glibc's list again (nothing else there may see it: the
 * set*id protocol would signal it), and copy the images of the modules loaded meanwhile into
 * every other green TCB. At every switch while one is linked, and before set*id. Hub OS
 * thread. */
void green_tls_settle(void);

/* In a fork child: the linked TCB, if any, is the child's thread on glibc's list now. */
void green_tls_forked(void);

/* A moment on another thread's TCB: fs = g's TCB, with its gate closed so that hooks reached
 * pass through, until green_tls_unborrow(loan). Signal handlers delivered while the hub waits
 * run on the recipient's TLS this way. Returns false (and nothing changed) in shared mode or
 * when already on it. Hub OS thread; no switch in between; the caller must not take
 * addresses of TLS variables across the pair. */
struct green_tls_loan {
	void *tp;     /* the TCB to go back to, NULL: nothing borrowed */
	int *gate;    /* the borrowed TCB's green_boot_gate ... */
	int gate_was; /* ... and its value before */
};
bool green_tls_borrow(struct green_thread *g, struct green_tls_loan *loan);
void green_tls_unborrow(struct green_tls_loan *loan);

/* A real OS thread was just made: glibc installs its set*id handler (SIGSETXID) with the
 * first; put libgreen's trampoline in front of it, which runs it on main's TCB when the
 * signal lands on the hub's OS thread (set*id calls glibc makes inside libc, initgroups'
 * setgroups, and those of real threads, reach no hook). Any thread; idempotent. */
void green_tls_os_thread_made(void);

/* fn(arg) run on g's TCB, which keeps its errno (fn returns -errno itself). setuid & co run on
 * main's: glibc's set*id protocol signals the OS thread's own TCB and waits for it to answer.
 * Hub OS thread. */
long green_tls_call_on(struct green_thread *g, long (*fn)(void *), void *arg);

#endif
