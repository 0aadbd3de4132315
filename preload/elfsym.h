/* SPDX-License-Identifier: MIT
 * Symbol lookup in one loaded object's dynamic symbol table, without dlsym: how libgreen finds
 * libc's dlsym and dlvsym (which it hooks, so it cannot ask dlsym for them) and its own exported
 * hooks (a program may define the same names).
 */
#ifndef GREEN_PRELOAD_ELFSYM_H
#define GREEN_PRELOAD_ELFSYM_H

#include <stdbool.h>
#include <stdint.h>

/* One loaded object, as dl_iterate_phdr describes it. */
struct green_elf_obj {
	uintptr_t base;             /* load bias (dlpi_addr) */
	const void *symtab;         /* ElfW(Sym)[] (DT_SYMTAB) */
	const char *strtab;         /* DT_STRTAB */
	const uint32_t *gnu_hash;   /* DT_GNU_HASH, or NULL */
	const uint32_t *sysv_hash;  /* DT_HASH, or NULL */
	const uint16_t *versym;     /* DT_VERSYM, or NULL (no symbol versioning) */
};

/* Fill *obj from the object whose dynamic section is at `dynamic` with load bias `base`.
 * False when the object has no symbol table or hash table (nothing can be looked up). Reads
 * only the object's own mapped headers; no allocation, no lock, any thread. */
bool green_elf_obj_init(struct green_elf_obj *obj, uintptr_t base, const void *dynamic);

/* The address of `name` as defined (not merely referenced) by obj, at its default version
 * (versym not hidden) or unversioned; NULL when obj does not define it. An IFUNC's address is
 * its resolver's: callers that need the function itself ask dlsym on the object. Any thread. */
void *green_elf_lookup(const struct green_elf_obj *obj, const char *name);

/* obj defines name at some version, default or not (what dlvsym may ask for). Any thread. */
bool green_elf_defines(const struct green_elf_obj *obj, const char *name);

/* The object containing `addr` (one of its PT_LOAD segments), through dl_iterate_phdr; with
 * `after`, the first object listed after that one that defines `name` instead. False when there
 * is none. No allocation; takes the loader's list lock (never call from inside dl_iterate_phdr). */
bool green_elf_obj_of(const void *addr, struct green_elf_obj *obj);
bool green_elf_obj_after(const void *addr, const char *name, struct green_elf_obj *obj);

#endif
