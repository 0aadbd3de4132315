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

/* The next definition of name after libgreen: the default version, else an old compat one. */
static void *real_lookup(const char *name)
{
	static const char *const versions[] = { "GLIBC_2.2.5", "GLIBC_2.3.2", "GLIBC_2.4", "GLIBC_2.12" };
	void *p = dlsym(RTLD_NEXT, name);

	for (unsigned i = 0; !p && i < sizeof versions / sizeof *versions; i++)
		p = dlvsym(RTLD_NEXT, name, versions[i]);
	return p;
}

void *green_real_optional(void **slot, const char *name)
{
	void *p = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	if (!p && (p = dlsym(RTLD_NEXT, name)))
		__atomic_store_n(slot, p, __ATOMIC_RELEASE);
	return p;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
void green_real_resolve(void)
{
	struct green_real t;
	void *p;

	/* dlsym(RTLD_NEXT) skips libgreen itself and finds libc's default version; symbols that
	 * survive only as compat versions (pthread_yield@GLIBC_2.2.5) need dlvsym. */
#define GREEN_HOOK(name)                                  \
	if (!(p = real_lookup(#name)))                    \
		real_die(#name);                          \
	t.name = (__typeof__(t.name))p;
#define GREEN_HOOK_OPT(name) t.name = (__typeof__(t.name))real_lookup(#name);
#define GREEN_REAL(name) GREEN_HOOK(name)
#include "hooks.def"
#include "real.def"
#undef GREEN_HOOK
#undef GREEN_HOOK_OPT
#undef GREEN_REAL
	memcpy(&green_real_table, &t, sizeof t);
	__atomic_store_n(&green_real_ready, 1, __ATOMIC_RELEASE);
}
#pragma GCC diagnostic pop
