/* SPDX-License-Identifier: MIT
 * dlsym and dlvsym: a lookup that lands on libc's definition of a function libgreen hooks
 * answers libgreen's hook instead, from any handle (Python's ctypes and cffi, FFIs and plugin
 * loaders reach libc through dlopen("libc.so.6")). libgreen's own lookups (preload/real.c) get
 * libc's answer unchanged.
 */
#include "hook.h"

#include "../core/tls.h"
#include "../preload/elfsym.h"

#include <dlfcn.h>
#include <link.h>
#include <string.h>

#define dl_real_sym GREEN_REAL_CALL(dlsym)
#define dl_real_vsym GREEN_REAL_CALL(dlvsym)

/* An address in libgreen's own code. */
static void dl_anchor(void)
{
}

/* The caller's code is libgreen's own (its lookups of the real functions). */
static bool dl_from_self(const void *caller)
{
	struct link_map *self = green_elf_map_of((const void *)dl_anchor);

	return self && green_elf_map_of(caller) == self;
}

/* RTLD_NEXT on behalf of caller: the definition (at version, for dlvsym) in the first object
 * loaded after the caller's that has one, read from the objects' symbol tables. libc's own
 * RTLD_NEXT would search after libgreen, where this hook calls it from. NULL, with libc's
 * dlerror, when no object after the caller defines it. */
static void *dl_next(const void *caller, const char *name, const char *version)
{
	struct link_map *map = green_elf_map_of(caller);
	struct green_elf_obj obj;

	if (!map)
		return version ? dl_real_vsym(RTLD_NEXT, name, version) : dl_real_sym(RTLD_NEXT, name);
	for (struct link_map *m = map->l_next; m; m = m->l_next) {
		void *p = green_elf_obj_init(&obj, m) ? green_elf_lookup(&obj, name, version) : NULL;
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
	struct link_map *self;
	struct green_elf_obj obj;
	const char *hooked;
	void *ours;

	if (!p || __atomic_load_n(&green_boot_state, __ATOMIC_ACQUIRE) == GREEN_BOOT_DISABLED)
		return p;
	hooked = green_real_hooked(p, name);
	if (!hooked || !(self = green_elf_map_of((const void *)dl_anchor)) || !green_elf_obj_init(&obj, self))
		return p;
	ours = green_elf_lookup(&obj, hooked, NULL);
	return ours ? ours : p;
}

GREEN_EXPORT_RAW(void *, dlsym, (void *restrict handle, const char *restrict name))
{
	const void *caller = __builtin_return_address(0);

	if (dl_from_self(caller))
		return dl_real_sym(handle, name);
	if (!name) /* libc's answer to a NULL name, whatever it is */
		return dl_real_sym(handle, name);
	return dl_rebind(handle == RTLD_NEXT ? dl_next(caller, name, NULL) : dl_real_sym(handle, name), name);
}

GREEN_EXPORT_RAW(void *, dlvsym, (void *restrict handle, const char *restrict name, const char *restrict version))
{
	const void *caller = __builtin_return_address(0);

	if (dl_from_self(caller) || !name || !version)
		return dl_real_vsym(handle, name, version);
	return dl_rebind(handle == RTLD_NEXT ? dl_next(caller, name, version) : dl_real_vsym(handle, name, version), name);
}

/* Before libc's dlopen/dlmopen runs for a green thread: put its TCB where glibc initialises
 * the static TLS of the modules it loads, before their constructors (core/tls.h). Returns
 * the real function to jump to. Called only from the entry points below. */
__attribute__((visibility("hidden"))) void *green_dl_enter_open(void)
{
	if (green_boot_hooking())
		green_tls_dlopen_enter();
	return (void *)GREEN_REAL_CALL(dlopen);
}

__attribute__((visibility("hidden"))) void *green_dl_enter_mopen(void)
{
	if (green_boot_hooking())
		green_tls_dlopen_enter();
	return (void *)GREEN_REAL_CALL(dlmopen);
}

/* dlopen and dlmopen jump to libc's after the call above, so that libc sees the program's
 * return address: glibc searches the caller's DT_RUNPATH and picks its namespace by it. */
__attribute__((naked)) void *green_export_dlopen(const char *file, int mode) __asm__("dlopen")
	__attribute__((visibility("default")));
void *green_export_dlopen(const char *file __attribute__((unused)), int mode __attribute__((unused)))
{
	__asm__("pushq %rdi\n\t"                   /* keep file across the call */
		"pushq %rsi\n\t"                   /* keep mode */
		"subq $8, %rsp\n\t"                /* 16-byte aligned at the call */
		"call green_dl_enter_open\n\t"     /* rax = libc's dlopen */
		"addq $8, %rsp\n\t"
		"popq %rsi\n\t"                    /* mode back */
		"popq %rdi\n\t"                    /* file back */
		"jmp *%rax");                      /* tail call: our caller's return address */
}

__attribute__((naked)) void *green_export_dlmopen(Lmid_t ns, const char *file, int mode) __asm__("dlmopen")
	__attribute__((visibility("default")));
void *green_export_dlmopen(Lmid_t ns __attribute__((unused)), const char *file __attribute__((unused)),
			   int mode __attribute__((unused)))
{
	__asm__("pushq %rdi\n\t"                   /* keep ns across the call */
		"pushq %rsi\n\t"                   /* keep file */
		"pushq %rdx\n\t"                   /* keep mode; 16-byte aligned now */
		"call green_dl_enter_mopen\n\t"    /* rax = libc's dlmopen */
		"popq %rdx\n\t"                    /* mode back */
		"popq %rsi\n\t"                    /* file back */
		"popq %rdi\n\t"                    /* ns back */
		"jmp *%rax");                      /* tail call: our caller's return address */
}
