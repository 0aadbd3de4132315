/* SPDX-License-Identifier: MIT
 * Symbol lookup in one loaded object's dynamic symbol table, without dlsym and without any
 * function a sanitizer or the program may interpose (it runs inside their early lookups): how
 * libgreen finds libc's dlsym and dlvsym, which it hooks, its own exported hooks, and what
 * RTLD_NEXT finds after a caller.
 */
#ifndef GREEN_PRELOAD_ELFSYM_H
#define GREEN_PRELOAD_ELFSYM_H

#include <link.h>
#include <stdbool.h>
#include <stdint.h>

/* One loaded object's dynamic symbol table. */
struct green_elf_obj {
	uintptr_t base;             /* load bias (l_addr) */
	const void *symtab;         /* ElfW(Sym)[] (DT_SYMTAB) */
	const char *strtab;         /* DT_STRTAB */
	const uint32_t *gnu_hash;   /* DT_GNU_HASH, or NULL */
	const uint32_t *sysv_hash;  /* DT_HASH, or NULL */
	const uint16_t *versym;     /* DT_VERSYM, or NULL (no symbol versioning) */
	const void *verdef;         /* DT_VERDEF, or NULL */
};

/* strcmp(a, b) == 0, without calling libc (or an interposer of strcmp that is not ready). */
bool green_elf_streq(const char *a, const char *b);

/* Fill *obj from the loaded object m. False when m has no symbol or hash table (nothing can be
 * looked up). Reads only the object's mapped headers: no allocation, no lock, any thread. */
bool green_elf_obj_init(struct green_elf_obj *obj, const struct link_map *m);

/* What dlsym would answer for name defined by obj itself (not its dependencies): at version,
 * or with version NULL at its default version (or unversioned). An IFUNC is resolved, as the
 * loader does. NULL when obj does not define it (or defines it as thread-local data). */
void *green_elf_lookup(const struct green_elf_obj *obj, const char *name, const char *version);

/* The loaded object containing addr (through dladdr1, which no sanitizer interposes), or NULL
 * for code no object maps (generated at run time). */
struct link_map *green_elf_map_of(const void *addr);

#endif
