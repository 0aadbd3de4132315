/* SPDX-License-Identifier: MIT
 * The table of real libc functions behind every hook, resolved with dlsym(RTLD_NEXT) once,
 * lazily, from whichever hook runs first (possibly before our constructor, possibly from inside
 * the program's allocator while dlsym itself is running).
 */
#ifndef GREEN_PRELOAD_REAL_H
#define GREEN_PRELOAD_REAL_H

#include "libc.h"

#include <stddef.h>

/* One pointer per row of hooks.def, typed by the row's signature, and per extra real function
 * (real.def), typed as libc declares it. Every member is a function pointer, so the table is
 * also an array of slots. */
struct green_real {
#define GREEN_HOOK(ret, name, params, ...) ret (*name) params;
#define GREEN_HOOK_AS(ret, name, params, ...) ret (*name) params;
#define GREEN_HOOK_RAW(ret, name, params, ...) ret (*name) params;
#define GREEN_REAL(name) __typeof__(&name) name;
#include "hooks.def"
#include "real.def"
#undef GREEN_HOOK
#undef GREEN_HOOK_AS
#undef GREEN_HOOK_RAW
#undef GREEN_REAL
};

/* Filled by green_real_resolve() (slot by slot, atomically), read-only once green_real_ready. */
extern struct green_real green_real_table;
/* Nonzero once every entry of green_real_table is filled (release/acquire). */
extern int green_real_ready;

/* Fill green_real_table. Idempotent and thread-safe (concurrent callers store the same
 * values); callable before our constructor, from any thread, never from a signal handler
 * before the first resolution. A hook reached from inside it on the same thread (dlsym's error
 * path mallocs, the program's malloc takes a mutex) gets its one slot looked up alone
 * (green_real_slot), never a second resolution. Writes one line and aborts if libc lacks a
 * mandatory (REAL MUST, GREEN_REAL) symbol; a missing optional (REAL OPT) one stays NULL. */
void green_real_resolve(void);

/* Slow path of GREEN_REAL_CALL: slot `index` of the table, resolving it first (the whole
 * table, or this slot alone when called from inside a resolution on this thread). NULL only for
 * a missing optional function. Any thread. */
void *green_real_slot(size_t index);

/* The real libc function `name` (a hooks.def or real.def entry). Any thread, any time: before
 * our constructor, inside a resolution, on real threads. */
#define GREEN_REAL_CALL(name)                                                                   \
	(__builtin_expect(__atomic_load_n(&green_real_ready, __ATOMIC_ACQUIRE), 1)              \
		 ? green_real_table.name                                                        \
		 : (__typeof__(green_real_table.name))green_real_slot(                          \
			   offsetof(struct green_real, name) / sizeof(void (*)(void))))

/* The whole real-function table, resolved on first use. For code that runs only once libgreen
 * is live (core); hooks use GREEN_REAL_CALL. Any thread. */
static inline const struct green_real *green_real(void)
{
	if (__builtin_expect(!__atomic_load_n(&green_real_ready, __ATOMIC_ACQUIRE), 0))
		green_real_resolve();
	return &green_real_table;
}

/* The real function behind an optional row (REAL OPT), looked up again if it was missing at
 * resolution time (a library loaded later: libstdc++). NULL if still absent. Any thread. */
void *green_real_optional(size_t index);

/* The hook row whose real function is fn (a pointer dlsym returned): that row's name, `name`
 * itself when that row is one of several sharing fn (open and open64), NULL when no hook's real
 * function is fn. Resolves the table first. Any thread, outside a resolution. */
const char *green_real_hooked(const void *fn, const char *name);

/* GREEN_REAL_CALL for an optional row: the function, or NULL when libc lacks it. */
#define GREEN_REAL_OPTIONAL(name)                            \
	((__typeof__(green_real_table.name))green_real_optional( \
		offsetof(struct green_real, name) / sizeof(void (*)(void))))

#endif
