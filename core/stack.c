/* SPDX-License-Identifier: MIT
 * Stack memory for green threads: MAP_NORESERVE mappings (only touched pages cost RSS), a guard
 * page installed with MADV_GUARD_INSTALL where the kernel has it (no extra VMA, so adjacent
 * stacks merge and vm.max_map_count stops being the limit) or mprotect otherwise, and a small
 * per-size cache so create/exit cycles make no system call.
 */
#include "stack.h"
#include "sys.h"

#include "annotate.h"

#include "log.h"
#include "tls.h"

#include <errno.h>
#include <link.h>
#include <fcntl.h>
#include <string.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102 /* Linux 6.13 uapi; older kernels answer EINVAL */
#endif

#define STACK_CACHE_BYTES (40u << 20) /* glibc's stack_cache_maxsize ... */
#define STACK_CACHE_MIN 16            /* ... but at least this many stacks of any size */
#define STACK_CACHE_KINDS 8           /* distinct (size, guard) pairs cached */
#define STACK_BULK 64                 /* small stacks are mapped this many at a time ... */
#define STACK_BULK_MAX (256u << 10)   /* ... when a stack and its guard take at most this */
#define STACK_TRIM_PASS 256           /* stacks unmapped per idle pass of the hub */

/* A cached stack keeps this node in its top bytes (a page that was touched anyway). */
struct stack_node {
	struct stack_node *next; /* next cached stack of the same kind */
	unsigned vg_id;          /* valgrind's registration, kept while cached */
	void *tcb;               /* the glibc TCB left at its top (core/tls.c), or NULL */
};

/* Cached stacks of one (size, guard) kind. Hub OS thread only. */
struct stack_kind {
	size_t size, guard;      /* the kind; size 0 = unused slot */
	struct stack_node *head; /* most recently released first (its pages are warm) */
};

static struct stack_kind stack_cache[STACK_CACHE_KINDS];
static size_t stack_cache_bytes;  /* bytes mapped by all cached stacks */
static size_t stack_cache_count;  /* number of cached stacks */
static int stack_guard_madvise = 1; /* 1 until the kernel refuses MADV_GUARD_INSTALL */

/* Push a stack nobody uses onto kind k's cache. */
static void stack_cache_push(struct stack_kind *k, void *lo, unsigned vg_id, void *tcb)
{
	struct stack_node *n = (struct stack_node *)((char *)lo + k->size - sizeof *n);

	n->next = k->head;
	n->vg_id = vg_id;
	n->tcb = tcb;
	k->head = n;
	stack_cache_bytes += k->size + k->guard;
	stack_cache_count++;
}

/* 1 if transparent huge pages are "always" on (then big stacks opt out), read once. */
static int stack_thp_always(void)
{
	static int state = -1;

	if (state < 0) {
		char buf[64] = "";
		int fd = (int)green_sys(SYS_openat, AT_FDCWD, "/sys/kernel/mm/transparent_hugepage/enabled",
				       O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			long n = green_sys(SYS_read, fd, buf, sizeof buf - 1);
			buf[n > 0 ? n : 0] = '\0';
			green_sys(SYS_close, fd);
		}
		state = strstr(buf, "[always]") != NULL;
	}
	return state;
}

static size_t stack_page(void)
{
	static size_t page;
	if (!page)
		page = (size_t)sysconf(_SC_PAGESIZE);
	return page;
}

size_t green_stack_default_size(void)
{
	static size_t size;
	pthread_attr_t a;

	if (!size) {
		size_t s = 2u << 20;
		if (pthread_getattr_default_np(&a) == 0) {
			pthread_attr_getstacksize(&a, &s);
			pthread_attr_destroy(&a);
		}
		size = s;
	}
	return size;
}

static struct stack_kind *stack_kind_find(size_t size, size_t guard, int create)
{
	struct stack_kind *free_slot = NULL;

	for (int i = 0; i < STACK_CACHE_KINDS; i++) {
		struct stack_kind *k = &stack_cache[i];
		if (k->size == size && k->guard == guard)
			return k;
		if (!free_slot && (!k->size || !k->head))
			free_slot = k;
	}
	if (create && free_slot) {
		free_slot->size = size;
		free_slot->guard = guard;
		return free_slot;
	}
	return NULL;
}

/* Make the lowest guard bytes of a mapping inaccessible. Returns 0 or -errno. */
/* Does a loaded object ask for an executable stack (PT_GNU_STACK with PF_X: GCC's nested
 * function trampolines live on the stack)? glibc then gives every thread stack PROT_EXEC, and
 * so do we. Scanned again when objects were loaded since (dlopen). */
static uint64_t stack_exec_adds = ~0ull;
static bool stack_exec;

static int stack_exec_adds_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	*(uint64_t *)arg = info->dlpi_adds;
	return 1; /* the counter is the same in every entry: one is enough */
}

static int stack_exec_scan_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_GNU_STACK && (info->dlpi_phdr[i].p_flags & PF_X))
			*(bool *)arg = true;
	return 0;
}

static bool stack_cache_drop(void);

/* The protection of new stacks: read-write, and executable when a loaded object needs it. */
static int stack_prot(void)
{
	uint64_t adds = 0;
	bool exec = false;

	dl_iterate_phdr(stack_exec_adds_cb, &adds);
	if (adds != stack_exec_adds) {
		stack_exec_adds = adds;
		dl_iterate_phdr(stack_exec_scan_cb, &exec);
		if (exec && !stack_exec)
			stack_cache_drop(); /* cached stacks are not executable */
		stack_exec = stack_exec || exec; /* as glibc: never taken back */
	}
	return PROT_READ | PROT_WRITE | (stack_exec ? PROT_EXEC : 0);
}

static int stack_guard(char *map, size_t guard)
{
	if (stack_guard_madvise) {
		if (madvise(map, guard, MADV_GUARD_INSTALL) == 0)
			return 0;
		if (errno != EINVAL)
			return -errno;
		stack_guard_madvise = 0; /* kernel < 6.13: fall back for good */
		green_log_debug(1, "MADV_GUARD_INSTALL unsupported; guard pages use mprotect");
	}
	return mprotect(map, guard, PROT_NONE) ? -errno : 0;
}

/* Map STACK_BULK small stacks with one mmap (with guard pages that need no VMA of their own
 * the kernel keeps one VMA for all) straight into kind (size, guard)'s cache; each is unmapped
 * on its own later if need be. Returns the kind, or NULL (no slot; the cache stays empty when
 * the mapping fails). */
static struct stack_kind *stack_bulk_map(size_t size, size_t guard)
{
	struct stack_kind *k = stack_kind_find(size, guard, 1);
	size_t step = size + guard;
	char *map;

	if (!k)
		return NULL;
	map = mmap(NULL, step * STACK_BULK, stack_prot(),
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (map == MAP_FAILED)
		return k;
	for (int i = STACK_BULK - 1; i >= 0; i--) {
		char *m = map + (size_t)i * step;
		if (stack_guard(m, guard))
			munmap(m, step);
		else
			stack_cache_push(k, m + guard, green_annotate_stack_new(m + guard, size), NULL);
	}
	return k;
}

/* Take the first cached stack of k out of the cache and unmap it. */
static void stack_cache_unmap_head(struct stack_kind *k)
{
	struct stack_node *n = k->head;
	char *lo = (char *)n + sizeof *n - k->size;

	k->head = n->next;
	stack_cache_bytes -= k->size + k->guard;
	stack_cache_count--;
	green_annotate_stack_gone(n->vg_id);
	green_tls_drop(n->tcb);
	munmap(lo - k->guard, k->size + k->guard);
}

/* Unmap every cached stack (of every kind), whatever the budgets. Returns whether any was. */
static bool stack_cache_drop(void)
{
	bool any = false;

	for (int i = 0; i < STACK_CACHE_KINDS; i++)
		for (; stack_cache[i].head; any = true)
			stack_cache_unmap_head(&stack_cache[i]);
	return any;
}

int green_stack_get(struct green_stack *st, size_t size, size_t guard)
{
	size_t page = stack_page();
	struct stack_kind *k;
	char *map;

	size = (size + page - 1) & ~(page - 1);
	guard = (guard + page - 1) & ~(page - 1);
	if (size == 0 || size > SIZE_MAX / 4 || guard > SIZE_MAX / 4)
		return -EAGAIN;
	k = stack_kind_find(size, guard, 0);
	if ((!k || !k->head) && size + guard <= STACK_BULK_MAX && guard && stack_guard_madvise)
		k = stack_bulk_map(size, guard);
	if (k && k->head) {
		struct stack_node *n = k->head;
		k->head = n->next;
		stack_cache_bytes -= size + guard;
		stack_cache_count--;
		st->lo = (char *)n + sizeof *n - size;
		st->size = size;
		st->guard = guard;
		st->user = false;
		st->vg_id = n->vg_id;
		st->tcb = n->tcb;
		green_annotate_stack_reuse(st->lo, size);
		return 0;
	}
	map = mmap(NULL, size + guard, stack_prot(),
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	/* No address space (or map count) left: the cached stacks of finished threads hold it;
	 * give them all back at once and try again before failing. */
	if (map == MAP_FAILED && stack_cache_drop())
		map = mmap(NULL, size + guard, stack_prot(),
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (map == MAP_FAILED)
		return -EAGAIN; /* pthread_create reports EAGAIN when no stack can be had */
	if (guard && stack_guard(map, guard)) {
		munmap(map, size + guard);
		return -EAGAIN;
	}
	/* A transparent huge page on a stack commits 2 MiB at first touch (glibc 2.38 added a
	 * tunable for the same reason): with THP "always", keep big stacks on small pages. */
	if (size >= (2u << 20) && stack_thp_always())
		madvise(map + guard, size, MADV_NOHUGEPAGE);
	st->lo = map + guard;
	st->size = size;
	st->guard = guard;
	st->user = false;
	st->vg_id = green_annotate_stack_new(st->lo, size);
	st->tcb = NULL;
	return 0;
}

void green_stack_adopt(struct green_stack *st, void *lo, size_t size)
{
	st->lo = lo;
	st->size = size;
	st->guard = 0;
	st->user = true;
	st->tcb = NULL;
}

void green_stack_put(struct green_stack *st)
{
	struct stack_kind *k;

	if (!st->lo)
		return;
	if (st->user) { /* the program's memory: its TCB goes with the thread */
		green_tls_drop(st->tcb);
		st->tcb = NULL;
		return;
	}
	/* Cache it even beyond the budget: unmapping now would cost a system call in the middle
	 * of a burst of exits; green_stack_trim() gives the excess back when the hub is idle. */
	if ((k = stack_kind_find(st->size, st->guard, 1))) {
		stack_cache_push(k, st->lo, st->vg_id, st->tcb);
	} else {
		green_annotate_stack_gone(st->vg_id);
		green_tls_drop(st->tcb);
		munmap((char *)st->lo - st->guard, st->size + st->guard);
	}
	st->lo = NULL;
}

bool green_stack_trim(void)
{
	int budget = STACK_TRIM_PASS;

	for (int i = 0; i < STACK_CACHE_KINDS && budget > 0; i++) {
		struct stack_kind *k = &stack_cache[i];
		while (k->head && budget > 0 && stack_cache_count > STACK_CACHE_MIN &&
		       stack_cache_bytes > STACK_CACHE_BYTES) {
			stack_cache_unmap_head(k);
			budget--;
		}
	}
	return stack_cache_count > STACK_CACHE_MIN && stack_cache_bytes > STACK_CACHE_BYTES;
}
