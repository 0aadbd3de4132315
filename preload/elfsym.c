/* SPDX-License-Identifier: MIT
 * Symbol lookup in one loaded object's dynamic symbol table (GNU or SysV hash), without dlsym.
 */
#include "elfsym.h"

#include <dlfcn.h>
#include <elf.h>
#include <stddef.h>

bool green_elf_streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* A dynamic-section pointer: the loader has already added the bias on most targets; a value
 * below the bias is still an offset. */
static const void *elf_ptr(uintptr_t base, ElfW(Addr) v)
{
	return (const void *)(v < base ? v + base : v);
}

bool green_elf_obj_init(struct green_elf_obj *obj, const struct link_map *m)
{
	*obj = (struct green_elf_obj){ .base = m->l_addr };
	if (!m->l_ld)
		return false;
	for (const ElfW(Dyn) *d = m->l_ld; d->d_tag != DT_NULL; d++) {
		switch (d->d_tag) {
		case DT_SYMTAB: obj->symtab = elf_ptr(obj->base, d->d_un.d_ptr); break;
		case DT_STRTAB: obj->strtab = elf_ptr(obj->base, d->d_un.d_ptr); break;
		case DT_GNU_HASH: obj->gnu_hash = elf_ptr(obj->base, d->d_un.d_ptr); break;
		case DT_HASH: obj->sysv_hash = elf_ptr(obj->base, d->d_un.d_ptr); break;
		case DT_VERSYM: obj->versym = elf_ptr(obj->base, d->d_un.d_ptr); break;
		case DT_VERDEF: obj->verdef = elf_ptr(obj->base, d->d_un.d_ptr); break;
		}
	}
	return obj->symtab && obj->strtab && (obj->gnu_hash || obj->sysv_hash);
}

/* The name of version index ndx in obj's version definitions, or NULL. */
static const char *elf_version_name(const struct green_elf_obj *obj, unsigned ndx)
{
	const ElfW(Verdef) *vd = obj->verdef;

	while (vd) {
		if ((vd->vd_ndx & 0x7fff) == ndx) {
			const ElfW(Verdaux) *aux = (const void *)((const char *)vd + vd->vd_aux);
			return obj->strtab + aux->vda_name;
		}
		vd = vd->vd_next ? (const void *)((const char *)vd + vd->vd_next) : NULL;
	}
	return NULL;
}

/* Symbol idx of obj is a definition of name at version (NULL: the default one). */
static bool elf_match(const struct green_elf_obj *obj, uint32_t idx, const char *name, const char *version)
{
	const ElfW(Sym) *s = (const ElfW(Sym) *)obj->symtab + idx;
	unsigned type = ELF64_ST_TYPE(s->st_info), bind = ELF64_ST_BIND(s->st_info);

	if (s->st_shndx == SHN_UNDEF || s->st_value == 0)
		return false;
	if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_OBJECT && type != STT_NOTYPE)
		return false;
	if (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE)
		return false;
	if (!green_elf_streq(obj->strtab + s->st_name, name))
		return false;
	if (!obj->versym)
		return true;
	unsigned ndx = obj->versym[idx] & 0x7fff;
	if (ndx == 0) /* local */
		return false;
	if (!version) /* 0x8000 marks a hidden (non-default) version */
		return !(obj->versym[idx] & 0x8000);
	const char *have = elf_version_name(obj, ndx);
	return have && green_elf_streq(have, version);
}

/* DT_GNU_HASH: bloom filter, buckets, then chains of hashes whose low bit ends a chain. */
static int64_t elf_find_gnu(const struct green_elf_obj *obj, const char *name, const char *version)
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
	if (nbuckets == 0 || bloom_size == 0)
		return -1;
	ElfW(Addr) word = bloom[(h / bits) % bloom_size];
	ElfW(Addr) mask = ((ElfW(Addr))1 << (h % bits)) | ((ElfW(Addr))1 << ((h >> bloom_shift) % bits));
	if ((word & mask) != mask)
		return -1;
	uint32_t idx = buckets[h % nbuckets];
	if (idx < symoffset)
		return -1;
	for (;; idx++) {
		uint32_t h2 = chain[idx - symoffset];
		if ((h | 1) == (h2 | 1) && elf_match(obj, idx, name, version))
			return idx;
		if (h2 & 1)
			return -1;
	}
}

/* DT_HASH: the SysV ELF hash, buckets and a chain per symbol. */
static int64_t elf_find_sysv(const struct green_elf_obj *obj, const char *name, const char *version)
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
		return -1;
	for (uint32_t idx = bucket[h % nbucket]; idx != STN_UNDEF; idx = chain[idx])
		if (elf_match(obj, idx, name, version))
			return idx;
	return -1;
}

void *green_elf_lookup(const struct green_elf_obj *obj, const char *name, const char *version)
{
	int64_t idx = obj->gnu_hash ? elf_find_gnu(obj, name, version) : elf_find_sysv(obj, name, version);
	const ElfW(Sym) *s;
	void *p;

	if (idx < 0)
		return NULL;
	s = (const ElfW(Sym) *)obj->symtab + idx;
	p = (void *)(obj->base + s->st_value);
	if (ELF64_ST_TYPE(s->st_info) == STT_GNU_IFUNC) /* the resolver picks the function */
		p = ((void *(*)(void))p)();
	return p;
}

struct link_map *green_elf_map_of(const void *addr)
{
	struct link_map *map = NULL;
	Dl_info info;

	if (!dladdr1(addr, &info, (void **)&map, RTLD_DL_LINKMAP))
		return NULL;
	return map;
}
