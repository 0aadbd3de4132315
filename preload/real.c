/* SPDX-License-Identifier: MIT
 * Resolves the real libc function behind every hook (hooks.def) and every extra entry
 * (real.def) with dlsym(RTLD_NEXT), so hooks can pass straight through; re-entry from inside
 * dlsym (through the program's allocator) is served slot by slot, never by a second pass.
 */
#include "real.h"

#include "../core/sys.h"
#include "elfsym.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct green_real green_real_table;
int green_real_ready;

#define REAL_SLOTS (sizeof(struct green_real) / sizeof(void (*)(void)))

/* Each slot's symbol name and whether libc must have it, in table order. */
static const struct real_entry {
	const char *name;
	bool optional;
} real_entries[] = {
#define REAL_OPTIONAL_MUST false
#define REAL_OPTIONAL_OPT true
#define GREEN_HOOK(ret, name, params, args, RET, GATE, CANCEL, INTR, REAL) { #name, REAL_OPTIONAL_##REAL },
#define GREEN_HOOK_AS(ret, name, params, args, RET, GATE, CANCEL, INTR, REAL, logic) { #name, REAL_OPTIONAL_##REAL },
#define GREEN_HOOK_RAW(ret, name, params, REAL) { #name, REAL_OPTIONAL_##REAL },
#define GREEN_REAL(name) { #name, false },
#include "hooks.def"
#include "real.def"
#undef GREEN_HOOK
#undef GREEN_HOOK_AS
#undef GREEN_HOOK_RAW
#undef GREEN_REAL
};
_Static_assert(sizeof real_entries / sizeof *real_entries == REAL_SLOTS, "one entry per slot");

/* Nonzero on the OS thread while it runs green_real_resolve (initial-exec TLS: no allocation).
 * volatile: it is read by a re-entry the compiler cannot see (dlsym -> the program's malloc ->
 * a hook in another file -> green_real_slot), so GCC would otherwise drop the store. */
static __thread volatile int real_resolving __attribute__((tls_model("initial-exec")));

/* Write one line to stderr with raw system calls (no stdio, no hook, no table) and abort. */
static _Noreturn void real_die(const char *name)
{
	static const char pre[] = "libgreen: cannot resolve the real ";
	static const char post[] = " (this C library lacks it)\n";

	green_sys(SYS_write, 2, pre, sizeof pre - 1);
	green_sys(SYS_write, 2, name, strlen(name));
	green_sys(SYS_write, 2, post, sizeof post - 1);
	abort();
}

/* libc's dlsym and dlvsym, which libgreen hooks (hooks/dl.c): asking dlsym for them would come
 * back to the hooks, so they are read from the symbol table of the first object after libgreen
 * that defines them (RTLD_NEXT's order). Idempotent; concurrent callers store the same values. */
static void *(*real_dlsym)(void *, const char *);
static void *(*real_dlvsym)(void *, const char *, const char *);

static void real_dl_resolve(void)
{
	struct link_map *self = green_elf_map_of((const void *)real_dl_resolve);
	struct green_elf_obj obj;
	void *sym = NULL, *vsym = NULL;

	if (__atomic_load_n(&real_dlvsym, __ATOMIC_ACQUIRE))
		return;
	for (struct link_map *m = self ? self->l_next : NULL; m && !(sym && vsym); m = m->l_next) {
		if (!green_elf_obj_init(&obj, m))
			continue;
		if (!sym)
			sym = green_elf_lookup(&obj, "dlsym", NULL);
		if (!vsym)
			vsym = green_elf_lookup(&obj, "dlvsym", NULL);
	}
	if (!sym || !vsym)
		real_die("dlsym and dlvsym");
	__atomic_store_n(&real_dlsym, (void *(*)(void *, const char *))sym, __ATOMIC_RELEASE);
	__atomic_store_n(&real_dlvsym, (void *(*)(void *, const char *, const char *))vsym, __ATOMIC_RELEASE);
}

/* The next definition of name after libgreen: the default version, else an old compat one. */
static void *real_lookup(const char *name)
{
	static const char *const versions[] = { "GLIBC_2.2.5", "GLIBC_2.3.2", "GLIBC_2.4", "GLIBC_2.12" };
	void *p;

	real_dl_resolve();
	if (green_elf_streq(name, "dlsym"))
		return (void *)real_dlsym;
	if (green_elf_streq(name, "dlvsym"))
		return (void *)real_dlvsym;
	p = real_dlsym(RTLD_NEXT, name);
	for (unsigned i = 0; !p && i < sizeof versions / sizeof *versions; i++)
		p = real_dlvsym(RTLD_NEXT, name, versions[i]);
	return p;
}

/* Fill one slot if it is empty; dies for a missing mandatory symbol. */
static void *real_fill(size_t i)
{
	void **slot = (void **)&green_real_table + i;
	void *p = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	if (!p) {
		p = real_lookup(real_entries[i].name);
		if (!p && !real_entries[i].optional)
			real_die(real_entries[i].name);
		__atomic_store_n(slot, p, __ATOMIC_RELEASE);
	}
	return p;
}

void *green_real_slot(size_t index)
{
	if (real_resolving) /* a hook reached from inside dlsym: this one slot, no recursion */
		return real_fill(index);
	green_real_resolve();
	return ((void **)&green_real_table)[index];
}

void *green_real_optional(size_t index)
{
	void **slot = (void **)&green_real_table + index;
	void *p;

	if (!real_resolving)
		green_real_resolve();
	p = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	if (!p && (p = real_lookup(real_entries[index].name)))
		__atomic_store_n(slot, p, __ATOMIC_RELEASE);
	return p;
}

/* The hook rows come first in the table (hooks.def before real.def). */
#define GREEN_HOOK(...) +1
#define GREEN_HOOK_AS(...) +1
#define GREEN_HOOK_RAW(...) +1
static const size_t real_hook_slots = 0
#include "hooks.def"
	;
#undef GREEN_HOOK
#undef GREEN_HOOK_AS
#undef GREEN_HOOK_RAW

const char *green_real_hooked(const void *fn, const char *name)
{
	const char *found = NULL;

	if (!fn)
		return NULL;
	green_real_resolve();
	for (size_t i = 0; i < real_hook_slots; i++) {
		if (((void *const *)&green_real_table)[i] != fn)
			continue;
		if (name && green_elf_streq(real_entries[i].name, name))
			return real_entries[i].name;
		if (!found)
			found = real_entries[i].name;
	}
	return found;
}

void green_real_resolve(void)
{
	if (__atomic_load_n(&green_real_ready, __ATOMIC_ACQUIRE) || real_resolving)
		return;
	/* dlsym(RTLD_NEXT) skips libgreen itself and finds libc's default version; symbols that
	 * survive only as compat versions (pthread_yield@GLIBC_2.2.5) need dlvsym. Mandatory
	 * symbols first: a failing lookup (an optional one) mallocs its error message. */
	real_resolving = 1;
	for (size_t i = 0; i < REAL_SLOTS; i++)
		if (!real_entries[i].optional)
			real_fill(i);
	for (size_t i = 0; i < REAL_SLOTS; i++)
		if (real_entries[i].optional)
			real_fill(i);
	real_resolving = 0;
	__atomic_store_n(&green_real_ready, 1, __ATOMIC_RELEASE);
}
