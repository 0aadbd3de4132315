/* SPDX-License-Identifier: MIT
 * One alternate signal stack for the hub's OS thread, mapped once and never unmapped.
 */
#include "altstack.h"

#include <errno.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#define ALTSTACK_SIZE (64u << 10) /* libunwind walking a deep stack, plus a report line */

int green_altstack_install(void)
{
	stack_t old, ss;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *p;

	if (sigaltstack(NULL, &old))
		return -errno;
	if (!(old.ss_flags & SS_DISABLE))
		return 0;
	p = mmap(NULL, ALTSTACK_SIZE + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	mprotect(p, page, PROT_NONE); /* guard: an overflow of the handler faults, not corrupts */
	ss.ss_sp = p + page;
	ss.ss_size = ALTSTACK_SIZE;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL)) {
		int err = errno;
		munmap(p, ALTSTACK_SIZE + page);
		return -err;
	}
	return 0;
}
