/* SPDX-License-Identifier: MIT
 * Resolves the real libc function behind every hook (hooks.def) and every extra entry
 * (real.def) with dlsym(RTLD_NEXT), so hooks can pass straight through.
 */
#include "real.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

struct green_real green_real_table;
int green_real_ready;

/* Write one line to stderr without libc's buffered stdio or any hook. */
static void real_die(const char *name)
{
	static const char pre[] = "libgreen: cannot resolve the real ";
	syscall(SYS_write, 2, pre, sizeof pre - 1);
	syscall(SYS_write, 2, name, strlen(name));
	syscall(SYS_write, 2, "\n", 1);
	abort();
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
void green_real_resolve(void)
{
	struct green_real t;
	void *p;

	/* dlsym(RTLD_NEXT) skips libgreen itself and finds libc's default version; symbols that
	 * survive only as compat versions (pthread_yield@GLIBC_2.2.5) need dlvsym. */
#define GREEN_HOOK(name)                                                   \
	if (!(p = dlsym(RTLD_NEXT, #name)) &&                              \
	    !(p = dlvsym(RTLD_NEXT, #name, "GLIBC_2.2.5")))                \
		real_die(#name);                                           \
	t.name = (__typeof__(t.name))p;
#define GREEN_REAL(name) GREEN_HOOK(name)
#include "hooks.def"
#include "real.def"
#undef GREEN_HOOK
#undef GREEN_REAL
	memcpy(&green_real_table, &t, sizeof t);
	__atomic_store_n(&green_real_ready, 1, __ATOMIC_RELEASE);
}
#pragma GCC diagnostic pop
