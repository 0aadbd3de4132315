/* SPDX-License-Identifier: MIT
 * One alternate signal stack for the hub's OS thread, mapped once and never unmapped, and the
 * program's own per green thread, swapped in while that thread runs.
 */
#include "altstack.h"
#include "sys.h"

#include "sched.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static stack_t altstack_ours = { .ss_flags = SS_DISABLE }; /* what threads without one get */
static struct green_thread *altstack_on; /* whose stack the OS thread has, NULL: ours */
bool green_altstack_any;

#define ALTSTACK_SIZE (64u << 10) /* libunwind walking a deep stack, plus a report line */

int green_altstack_install(void)
{
	stack_t old, ss;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	long r;
	char *p;

	if ((r = green_sys(SYS_sigaltstack, NULL, &old)) < 0)
		return (int)r;
	if (!(old.ss_flags & SS_DISABLE)) { /* the program's, installed before us: main's */
		struct green_thread *m = green_sched.main;

		if (m) {
			m->altstack = old;
			m->altstack_set = true;
			altstack_on = m;
			green_altstack_any = green_sched.rare = true;
		}
		return 0;
	}
	p = mmap(NULL, ALTSTACK_SIZE + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	mprotect(p, page, PROT_NONE); /* guard: an overflow of the handler faults, not corrupts */
	ss.ss_sp = p + page;
	ss.ss_size = ALTSTACK_SIZE;
	ss.ss_flags = 0;
	if ((r = green_sys(SYS_sigaltstack, &ss, NULL)) < 0) {
		munmap(p, ALTSTACK_SIZE + page);
		return (int)r;
	}
	altstack_ours = ss;
	return 0;
}

/* Put g's stack (or ours, g NULL) on the OS thread. */
static void altstack_put(struct green_thread *g)
{
	const stack_t *want = g ? &g->altstack : &altstack_ours;

	green_sys(SYS_sigaltstack, want, NULL);
	altstack_on = g;
}

void green_altstack_switch(struct green_thread *next)
{
	struct green_thread *want = next->altstack_set ? next : NULL;

	if (want != altstack_on)
		altstack_put(want);
}

int green_altstack_set(const stack_t *ss, stack_t *old)
{
	struct green_thread *self = green_sched_self();
	stack_t before = { .ss_flags = SS_DISABLE }, k;
	long r;

	/* Its own, with SS_ONSTACK as the kernel computes it, or "none". */
	if (self->altstack_set && green_sys(SYS_sigaltstack, NULL, &k) == 0)
		before = k;
	if (ss) {
		stack_t want;

		if ((r = green_sys(SYS_sigaltstack, ss, NULL)) < 0)
			return (int)r; /* the kernel's EFAULT, EINVAL, ENOMEM or EPERM */
		memcpy(&want, ss, sizeof want); /* readable: the kernel just read it */
		self->altstack_set = !(want.ss_flags & SS_DISABLE);
		self->altstack = want;
		altstack_on = self;
		if (self->altstack_set)
			green_altstack_any = green_sched.rare = true;
		else
			altstack_put(NULL); /* back to ours, which it does not see */
	}
	if (old) {
		/* The kernel checks the pointer; then the thread's own view goes there. */
		if ((r = green_sys(SYS_sigaltstack, NULL, old)) < 0)
			return (int)r;
		memcpy(old, &before, sizeof before);
	}
	return 0;
}
