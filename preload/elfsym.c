/* SPDX-License-Identifier: MIT
 * Symbol lookup in one loaded object's dynamic symbol table (GNU or SysV hash), without dlsym.
 */
#include "elfsym.h"

#include <elf.h>
#include <link.h>
#include <string.h>

/* A dynamic-section pointer: the loader has already added the bias on most targets; a value
 * below the bias is still an offset. */
static const void *elf_ptr(uintptr_t base, ElfW(Addr) v)
{
	return (const void *)(v < base ? v + base : v);
}

bool green_elf_obj_init(struct green_elf_obj *obj, uintptr_t base, const void *dynamic)
{
	memset(obj, 0, sizeof *obj);
	obj->base = base;
	for (const ElfW(Dyn) *d = dynamic; d->d_tag != DT_NULL; d++) {
		switch (d->d_tag) {
		case DT_SYMTAB: obj->symtab = elf_ptr(base, d->d_un.d_ptr); break;
		case DT_STRTAB: obj->strtab = elf_ptr(base, d->d_un.d_ptr); break;
		case DT_GNU_HASH: obj->gnu_hash = elf_ptr(base, d->d_un.d_ptr); break;
		case DT_HASH: obj->sysv_hash = elf_ptr(base, d->d_un.d_ptr); break;
		case DT_VERSYM: obj->versym = elf_ptr(base, d->d_un.d_ptr); break;
		}
	}
	return obj->symtab && obj->strtab && (obj->gnu_hash || obj->sysv_hash);
}

/* Symbol idx of obj is a definition of name: at its default version, or with any_version at
 * any version. */
static bool elf_match(const struct green_elf_obj *obj, uint32_t idx, const char *name, bool any_version)
{
	const ElfW(Sym) *s = (const ElfW(Sym) *)obj->symtab + idx;
	unsigned type = ELF64_ST_TYPE(s->st_info), bind = ELF64_ST_BIND(s->st_info);

	if (s->st_shndx == SHN_UNDEF || s->st_value == 0)
		return false;
	if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_OBJECT && type != STT_NOTYPE)
		return false;
	if (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE)
		return false;
	/* versym 0 is local, 0x8000 marks a hidden (non-default) version */
	if (obj->versym && ((obj->versym[idx] & 0x7fff) == 0 || (!any_version && (obj->versym[idx] & 0x8000))))
		return false;
	return strcmp(obj->strtab + s->st_name, name) == 0;
}

static void *elf_addr(const struct green_elf_obj *obj, uint32_t idx)
{
	return (void *)(obj->base + ((const ElfW(Sym) *)obj->symtab)[idx].st_value);
}

/* DT_GNU_HASH: bloom filter, buckets, then chains of hashes whose low bit ends a chain. */
static void *elf_lookup_gnu(const struct green_elf_obj *obj, const char *name, bool any_version)
{
	const uint32_t *gh = obj->gnu_hash;
	uint32_t nbuckets = gh[0], symoffset = gh[1], bloom_size = gh[2], bloom_shift = gh[3];
	const ElfW(Addr) *bloom = (const ElfW(Addr) *)(gh + 4);
	const uint32_t *buckets = (const uint32_t *)(bloom + bloom_size);
	const uint32_t *chain = buckets + nbuckets;
	const unsigned bits = sizeof(ElfW(Addr)) * 8;
	uint32_t h = 5381;

	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		h = h * 33 + *c;
	ElfW(Addr) word = bloom[(h / bits) % bloom_size];
	ElfW(Addr) mask = ((ElfW(Addr))1 << (h % bits)) | ((ElfW(Addr))1 << ((h >> bloom_shift) % bits));
	if ((word & mask) != mask || nbuckets == 0)
		return NULL;
	uint32_t idx = buckets[h % nbuckets];
	if (idx < symoffset)
		return NULL;
	for (;; idx++) {
		uint32_t h2 = chain[idx - symoffset];
		if ((h | 1) == (h2 | 1) && elf_match(obj, idx, name, any_version))
			return elf_addr(obj, idx);
		if (h2 & 1)
			return NULL;
	}
}

/* DT_HASH: the SysV ELF hash, buckets and a chain per symbol. */
static void *elf_lookup_sysv(const struct green_elf_obj *obj, const char *name, bool any_version)
{
	const uint32_t *hh = obj->sysv_hash;
	uint32_t nbucket = hh[0], h = 0;
	const uint32_t *bucket = hh + 2, *chain = bucket + nbucket;

	for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
		h = (h << 4) + *c;
		uint32_t g = h & 0xf0000000u;
		h ^= g >> 24;
		h &= ~g;
	}
	if (nbucket == 0)
		return NULL;
	for (uint32_t idx = bucket[h % nbucket]; idx != STN_UNDEF; idx = chain[idx])
		if (elf_match(obj, idx, name, any_version))
			return elf_addr(obj, idx);
	return NULL;
}

void *green_elf_lookup(const struct green_elf_obj *obj, const char *name)
{
	return obj->gnu_hash ? elf_lookup_gnu(obj, name, false) : elf_lookup_sysv(obj, name, false);
}

bool green_elf_defines(const struct green_elf_obj *obj, const char *name)
{
	return obj->gnu_hash ? elf_lookup_gnu(obj, name, true) : elf_lookup_sysv(obj, name, true);
}

struct elf_search {
	const void *addr;         /* the object containing this address */
	const char *name;         /* NULL: that object; else the first after it that defines name */
	bool passed;              /* the object containing addr has been seen */
	bool found;
	struct green_elf_obj *obj;
};

static bool elf_contains(const struct dl_phdr_info *info, const void *addr)
{
	uintptr_t a = (uintptr_t)addr;

	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];
		uintptr_t start = info->dlpi_addr + p->p_vaddr;
		if (p->p_type == PT_LOAD && a >= start && a < start + p->p_memsz)
			return true;
	}
	return false;
}

static int elf_visit(struct dl_phdr_info *info, size_t size, void *data)
{
	struct elf_search *s = data;
	const void *dynamic = NULL;
	(void)size;

	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
			dynamic = (const void *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
	if (!s->passed) {
		if (!elf_contains(info, s->addr))
			return 0;
		s->passed = true;
		if (s->name)
			return 0;
		s->found = dynamic && green_elf_obj_init(s->obj, info->dlpi_addr, dynamic);
		return 1;
	}
	if (dynamic && green_elf_obj_init(s->obj, info->dlpi_addr, dynamic) && green_elf_lookup(s->obj, s->name)) {
		s->found = true;
		return 1;
	}
	return 0;
}

bool green_elf_obj_of(const void *addr, struct green_elf_obj *obj)
{
	struct elf_search s = { .addr = addr, .obj = obj };

	dl_iterate_phdr(elf_visit, &s);
	return s.found;
}

bool green_elf_obj_after(const void *addr, const char *name, struct green_elf_obj *obj)
{
	struct elf_search s = { .addr = addr, .name = name, .obj = obj };

	dl_iterate_phdr(elf_visit, &s);
	return s.found;
}
