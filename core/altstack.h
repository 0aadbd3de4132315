/* SPDX-License-Identifier: MIT
 * The alternate signal stack libgreen's handlers run on (SA_ONSTACK): a stack overflow leaves
 * no room on the green stack, and a 16 KiB green stack has none for libunwind either.
 */
#ifndef GREEN_CORE_ALTSTACK_H
#define GREEN_CORE_ALTSTACK_H

#include "thread.h"

#include <signal.h>

/* Give the calling (hub) OS thread a 64 KiB alternate signal stack with a guard page, unless
 * the program already installed one (then its stack is used, as main's). Boot, once. Returns
 * 0 or -errno. */
int green_altstack_install(void);

/* sigaltstack for the current green thread: each has its own (none at creation, as a new
 * thread natively), put on the OS thread while it runs; a thread without one runs on
 * libgreen's, which it never sees. The kernel checks ss and old (EFAULT, EINVAL, ENOMEM,
 * EPERM). Returns 0 or -errno. Green thread only. */
int green_altstack_set(const stack_t *ss, stack_t *old);

/* The scheduler switches to next: give the OS thread next's alternate stack (or ours) if it
 * has another. One system call when they differ, none while no thread has its own. Hub OS
 * thread. */
void green_altstack_switch(struct green_thread *next);

/* Whether some green thread has its own alternate stack (the scheduler's fast check). */
extern bool green_altstack_any;

#endif
