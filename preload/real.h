/* SPDX-License-Identifier: MIT
 * The table of real libc functions behind every hook, resolved with dlsym(RTLD_NEXT) once,
 * lazily, from whichever hook runs first (possibly before our constructor).
 */
#ifndef GREEN_PRELOAD_REAL_H
#define GREEN_PRELOAD_REAL_H

#include "libc.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations" /* pthread_yield is deprecated */
/* One pointer per hook (hooks.def) and per extra real function (real.def), typed as libc's. */
struct green_real {
#define GREEN_HOOK(name) __typeof__(&name) name;
#define GREEN_HOOK_OPT(name) __typeof__(&name) name;
#define GREEN_REAL(name) __typeof__(&name) name;
#include "hooks.def"
#include "real.def"
#undef GREEN_HOOK
#undef GREEN_HOOK_OPT
#undef GREEN_REAL
};
#pragma GCC diagnostic pop

/* Written once by green_real_resolve(), read-only afterwards. */
extern struct green_real green_real_table;
/* Nonzero once every entry of green_real_table is filled (release/acquire). */
extern int green_real_ready;

/* Fill green_real_table. Idempotent and thread-safe (concurrent callers store the same
 * values); callable before our constructor, from any thread, never from a signal handler
 * before the first resolution. Panics if libc lacks a GREEN_HOOK symbol; a missing
 * GREEN_HOOK_OPT symbol stays NULL (see green_real_optional). */
void green_real_resolve(void);

/* The real-function table, resolved on first use. Any thread. */
static inline const struct green_real *green_real(void)
{
	if (__builtin_expect(!__atomic_load_n(&green_real_ready, __ATOMIC_ACQUIRE), 0))
		green_real_resolve();
	return &green_real_table;
}

/* The real function behind an optional hook (GREEN_HOOK_OPT), looked up again if it was
 * missing at resolution time (a library loaded later). NULL if still absent. Any thread. */
void *green_real_optional(void **slot, const char *name);

#endif
