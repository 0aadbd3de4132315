/* SPDX-License-Identifier: MIT
 * dlsym and dlvsym: a lookup that lands on libc's definition of a function libgreen hooks
 * answers libgreen's hook instead, from any handle (Python's ctypes and cffi, FFIs and plugin
 * loaders reach libc through dlopen("libc.so.6")). libgreen's own lookups (preload/real.c) get
 * libc's answer unchanged.
 */
#include "hook.h"

#include "../core/sys.h"
#include "../preload/elfsym.h"

#include <dlfcn.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>

typedef void *(*dl_sym_fn)(void *handle, const char *name);
typedef void *(*dl_vsym_fn)(void *handle, const char *name, const char *version);

static dl_sym_fn dl_real_sym;
static dl_vsym_fn dl_real_vsym;

static _Noreturn void dl_die(void)
{
	static const char msg[] = "libgreen: cannot find the C library's dlsym and dlvsym\n";

	green_sys(SYS_write, 2, msg, sizeof msg - 1);
	abort();
}

/* libc's dlsym and dlvsym: the first objects after libgreen that define them (RTLD_NEXT's
 * order), read from their symbol tables, since asking dlsym would come back here. Idempotent;
 * concurrent callers store the same values. */
static void dl_resolve(void)
{
	struct green_elf_obj obj;
	void *sym = NULL, *vsym = NULL;

	if (__atomic_load_n(&dl_real_vsym, __ATOMIC_ACQUIRE))
		return;
	if (green_elf_obj_after((const void *)dl_resolve, "dlsym", &obj))
		sym = green_elf_lookup(&obj, "dlsym");
	if (green_elf_obj_after((const void *)dl_resolve, "dlvsym", &obj))
		vsym = green_elf_lookup(&obj, "dlvsym");
	if (!sym || !vsym)
		dl_die();
	__atomic_store_n(&dl_real_sym, (dl_sym_fn)sym, __ATOMIC_RELEASE);
	__atomic_store_n(&dl_real_vsym, (dl_vsym_fn)vsym, __ATOMIC_RELEASE);
}

/* The caller's code is libgreen's own (its lookups of the real functions). */
static bool dl_from_self(const void *caller)
{
	Dl_info self, who;

	return dladdr((const void *)dl_resolve, &self) && dladdr(caller, &who) &&
	       self.dli_fbase == who.dli_fbase;
}

/* RTLD_NEXT on behalf of caller: the first object loaded after the caller's that defines name
 * (at version, for dlvsym), resolved by libc on that object (IFUNCs, default versions). libc's
 * own RTLD_NEXT would search after libgreen, where this hook calls it from. NULL, with libc's
 * dlerror, when no object after the caller defines it. */
static void *dl_next(const void *caller, const char *name, const char *version)
{
	struct link_map *map = NULL;
	struct green_elf_obj obj;
	Dl_info info;

	if (!dladdr1(caller, &info, (void **)&map, RTLD_DL_LINKMAP) || !map)
		return version ? dl_real_vsym(RTLD_NEXT, name, version) : dl_real_sym(RTLD_NEXT, name);
	for (struct link_map *m = map->l_next; m; m = m->l_next) {
		if (!m->l_ld || !green_elf_obj_init(&obj, m->l_addr, m->l_ld))
			continue;
		if (!(version ? green_elf_defines(&obj, name) : green_elf_lookup(&obj, name) != NULL))
			continue;
		/* a handle of m (a link_map is one only for objects dlopen set up): m comes first in
		 * its own search list, so libc resolves m's definition */
		void *h = dlopen(m->l_name[0] ? m->l_name : NULL, RTLD_LAZY | RTLD_NOLOAD);
		if (!h)
			continue;
		void *p = version ? dl_real_vsym(h, name, version) : dl_real_sym(h, name);
		dlclose(h);
		if (p)
			return p;
	}
	/* defined nowhere after the caller: libc's RTLD_NEXT lookup from here sets dlerror (it fails
	 * too when the caller precedes libgreen, the program itself; a library loaded after
	 * libgreen may find the name in between, and dlerror is then left clear) */
	(void)(version ? dl_real_vsym(RTLD_NEXT, name, version) : dl_real_sym(RTLD_NEXT, name));
	return NULL;
}

/* p, or libgreen's hook when p is libc's function behind one (preferring the row named name:
 * open and open64 are one function in libc). Passes p through under GREEN_DISABLE=1. */
static void *dl_rebind(void *p, const char *name)
{
	struct green_elf_obj self;
	const char *hooked;
	void *ours;

	if (!p || __atomic_load_n(&green_boot_state, __ATOMIC_ACQUIRE) == GREEN_BOOT_DISABLED)
		return p;
	hooked = green_real_hooked(p, name);
	if (!hooked || !green_elf_obj_of((const void *)dl_resolve, &self))
		return p;
	ours = green_elf_lookup(&self, hooked);
	return ours ? ours : p;
}

GREEN_EXPORT_RAW(void *, dlsym, (void *restrict handle, const char *restrict name))
{
	const void *caller = __builtin_return_address(0);

	dl_resolve();
	if (dl_from_self(caller))
		return dl_real_sym(handle, name);
	if (!name) /* libc's answer to a NULL name, whatever it is */
		return dl_real_sym(handle, name);
	return dl_rebind(handle == RTLD_NEXT ? dl_next(caller, name, NULL) : dl_real_sym(handle, name), name);
}

GREEN_EXPORT_RAW(void *, dlvsym, (void *restrict handle, const char *restrict name, const char *restrict version))
{
	const void *caller = __builtin_return_address(0);

	dl_resolve();
	if (dl_from_self(caller) || !name || !version)
		return dl_real_vsym(handle, name, version);
	return dl_rebind(handle == RTLD_NEXT ? dl_next(caller, name, version) : dl_real_vsym(handle, name, version), name);
}
