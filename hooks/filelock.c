/* SPDX-License-Identifier: MIT
 * flockfile, ftrylockfile and funlockfile between green threads: core's FILE locks
 * (core/filelock.h), which the stdio hooks (stdio.c, stdout.c) honour before libc's function
 * runs. libc's own lock in the FILE is left to libc's calls, none of which parks holding it.
 */
#include "hook.h"

#include "../core/filelock.h"

long green_hook_flockfile(FILE *fp)
{
	green_filelock_lock(fp);
	return 0;
}

long green_hook_ftrylockfile(FILE *fp)
{
	return green_filelock_trylock(fp) ? 1 : 0; /* glibc: nonzero when busy */
}

long green_hook_funlockfile(FILE *fp)
{
	green_filelock_unlock(fp);
	return 0;
}
