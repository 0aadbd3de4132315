/* SPDX-License-Identifier: MIT
 * A glibc TCB per green thread (see tls.h). The TCB and static TLS sit at the top of the
 * thread's stack, where glibc's allocate_stack puts them; ld.so's _dl_allocate_tls builds the
 * DTV and copies every module's initial image; the fields of struct pthread that glibc's own
 * code reads on a running thread are filled here as pthread_create would. Offsets come from
 * libthread_db's descriptors (_thread_db_*, what gdb reads), checked against the layout tested
 * (tls_tested): nothing is guessed on a glibc libgreen was not tried on unless GREEN_TLS=own.
 */
#include "tls.h"
#include "sys.h"

#include "log.h"
#include "sched.h"
#include "../preload/boot.h"
#include "../preload/config.h"
#include "../preload/real.h"

#include <asm/prctl.h>
#include <dlfcn.h>
#include <errno.h>
#include <gnu/libc-version.h>
#include <link.h>
#include <locale.h>
#include <netdb.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef HWCAP2_FSGSBASE
#define HWCAP2_FSGSBASE (1 << 1)
#endif

/* tcbhead_t (the start of struct pthread) is x86-64 ABI: fixed in every glibc. */
#define TCB_SELF 0x10      /* header.self: THREAD_SELF */
#define TCB_MT 0x18        /* header.multiple_threads ... */
#define TCB_GSCOPE 0x1c    /* header.gscope_flag (dlclose waits while set) */
#define TCB_COPY_END 0x50  /* ... through sysinfo, stack and pointer guards, feature_1 */
#define TCB_DTV 0x08       /* header.dtv: points at dtv[0] (dtv[-1] is the capacity) */

enum green_tls_mode green_tls_mode;

/* A glibc whose struct pthread layout and private TLS entry points were tested with every
 * test of tests/86-tls.bats. stackblock is the one offset no descriptor gives. */
static const struct {
	const char *version;
	size_t sizeof_pthread, stackblock;
} tls_tested[] = {
	{ "2.36", 2368, 0x690 },
};

/* ld.so's and libc's private entry points (GLIBC_PRIVATE, present from 2.31 to 2.42). */
static struct {
	void *(*allocate)(void *tcb);                  /* _dl_allocate_tls */
	void *(*allocate_init)(void *tcb, bool init);  /* _dl_allocate_tls_init (< 2.41 meaning) */
	void (*deallocate)(void *tcb, bool free_tcb);  /* _dl_deallocate_tls */
	void (*static_info)(size_t *size, size_t *align); /* _dl_get_tls_static_info */
	void (*call_dtors)(void);                      /* __call_tls_dtors: C++ thread_local */
	void (*ctype_init)(void);                      /* __ctype_init: per-thread ctype tables */
} tls_fn;

/* Where things are in struct pthread and struct link_map (bytes). */
static struct {
	size_t pthread;          /* sizeof (struct pthread) */
	size_t list, tid, robust_head, specific, stackblock;
	long rseq;               /* __rseq_offset from the TP, or 0: no rseq area */
	size_t l_tls_offset, l_tls_modid;
} tls_off;

static size_t tls_static_size, tls_static_align;
static char *tls_main_tp;                /* the OS thread's own TCB: main's */
static long tls_libc_off;                /* libc's TLS block is at tp - this ... */
static size_t tls_libc_size;             /* ... this long (malloc's tcache and arena in it) */
static long tls_dlerror_off;             /* __libc_dlerror_result at tp - this (in that block) */

/* Initial-exec modules dlopen()ed so far whose image every green TCB has (by module id). */
#define TLS_MODS 256
static const void *tls_mod_done[TLS_MODS];

static void tls_set_fs(void *tp)
{
	if (green_tls_mode == GREEN_TLS_WRFS)
		__asm__ volatile("wrfsbase %0" : : "r"(tp) : "memory");
	else
		green_sys(SYS_arch_prctl, ARCH_SET_FS, tp);
}

/* The address of the calling thread's copy of the initial-exec TLS variable at mine, in the
 * TCB at tp (static TLS sits at the same offset from every TP). */
static void *tls_peer(void *tp, void *mine)
{
	return (char *)tp + ((char *)mine - green_boot_tp());
}

static void *tls_sym(const char *name)
{
	return green_real()->dlvsym(RTLD_DEFAULT, name, "GLIBC_PRIVATE");
}

/* A libthread_db field descriptor: {bits, count, offset}. -1 when absent. */
static long tls_field(const char *name)
{
	const uint32_t *d = tls_sym(name);

	return d ? (long)d[2] : -1;
}

static int tls_libc_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	(void)arg;
	if (!info->dlpi_name || !strstr(info->dlpi_name, "/libc.so") || !info->dlpi_tls_data)
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_TLS) {
			tls_libc_off = green_boot_tp() - (char *)info->dlpi_tls_data;
			tls_libc_size = info->dlpi_phdr[i].p_memsz;
		}
	return 1;
}

/* Why per-thread TLS cannot be used here, or NULL. Fills tls_fn and tls_off. */
static const char *tls_check(bool tested_only)
{
	static char buf[128];
	const char *ver = gnu_get_libc_version();
	size_t want_stackblock = 0, want_pthread = 0;
	long f;

#if !defined(__x86_64__) || defined(GREEN_ARCH_GENERIC)
	return "it needs the x86-64 context switch";
#endif
	if (green_real()->dlsym(RTLD_DEFAULT, "__asan_init"))
		return "ASan keeps its per-thread state in TLS";
	if (green_real()->dlsym(RTLD_DEFAULT, "__tsan_init"))
		return "TSan keeps its per-thread state in TLS";
	for (unsigned i = 0; i < sizeof tls_tested / sizeof *tls_tested; i++)
		if (!strcmp(ver, tls_tested[i].version)) {
			want_stackblock = tls_tested[i].stackblock;
			want_pthread = tls_tested[i].sizeof_pthread;
		}
	if (!want_stackblock && tested_only) {
		snprintf(buf, sizeof buf, "glibc %s is not one it was tested on (2.36; GREEN_TLS=own tries)", ver);
		return buf;
	}
	tls_fn.allocate = tls_sym("_dl_allocate_tls");
	tls_fn.allocate_init = tls_sym("_dl_allocate_tls_init");
	tls_fn.deallocate = tls_sym("_dl_deallocate_tls");
	tls_fn.static_info = tls_sym("_dl_get_tls_static_info");
	tls_fn.call_dtors = tls_sym("__call_tls_dtors");
	tls_fn.ctype_init = tls_sym("__ctype_init");
	if (!tls_fn.allocate || !tls_fn.allocate_init || !tls_fn.deallocate || !tls_fn.static_info ||
	    !tls_fn.call_dtors || !tls_fn.ctype_init)
		return "glibc's private TLS entry points are missing";
	{
		const uint32_t *size = tls_sym("_thread_db_sizeof_pthread");
		tls_off.pthread = size ? *size : 0;
	}
	f = tls_field("_thread_db_pthread_list");
	tls_off.list = (size_t)f;
	tls_off.tid = (size_t)tls_field("_thread_db_pthread_tid");
	tls_off.specific = (size_t)tls_field("_thread_db_pthread_specific");
	tls_off.l_tls_offset = (size_t)tls_field("_thread_db_link_map_l_tls_offset");
	tls_off.l_tls_modid = (size_t)tls_field("_thread_db_link_map_l_tls_modid");
	{
		long next = tls_field("_thread_db_pthread_nextevent");
		/* struct pthread: ... nextevent; struct _Unwind_Exception exc (16-aligned, 32
		 * bytes); void *stackblock; size_t stackblock_size ... (glibc 2.34 and later) */
		tls_off.stackblock = next < 0 ? 0 : (((size_t)next + 8 + 15) & ~(size_t)15) + 32;
	}
	if (!tls_off.pthread || f < 0 || (long)tls_off.tid < 0 || (long)tls_off.specific < 0 ||
	    (long)tls_off.l_tls_offset < 0 || (long)tls_off.l_tls_modid < 0 || !tls_off.stackblock)
		return "glibc's thread descriptors (_thread_db_*) are missing";
	if (want_stackblock &&
	    (tls_off.stackblock != want_stackblock || tls_off.pthread != want_pthread))
		return "struct pthread is not laid out as on the glibc tested";
	/* robust_head follows tid and robust_prev; the kernel knows where main's is. */
	tls_off.robust_head = tls_off.tid + 16;
	{
		void *head = NULL;
		size_t len = 0;
		if (green_sys(SYS_get_robust_list, 0, &head, &len) == 0 && head &&
		    (char *)head != tls_main_tp + tls_off.robust_head)
			return "struct pthread's robust list is not where expected";
	}
	{
		const long *rseq = green_real()->dlsym(RTLD_DEFAULT, "__rseq_offset");
		tls_off.rseq = rseq ? *rseq : 0;
	}
	tls_fn.static_info(&tls_static_size, &tls_static_align);
	if (tls_static_size < tls_off.pthread || !tls_static_align ||
	    (tls_static_align & (tls_static_align - 1)))
		return "ld.so reports an unusable static TLS size";
	if (*(unsigned *)(tls_main_tp + 0x48) & 2)
		return "CET shadow stacks are enabled";
	{
		void *base = NULL; /* the switch writes the fs base: it must be the TCB */
		if (green_sys(SYS_arch_prctl, ARCH_GET_FS, &base) || base != tls_main_tp)
			return "the fs base is not glibc's thread pointer";
	}
	dl_iterate_phdr(tls_libc_cb, NULL);
	{
		char *dlerr = tls_sym("__libc_dlerror_result");
		if (dlerr && tls_libc_size && dlerr < tls_main_tp && dlerr >= tls_main_tp - tls_libc_off)
			tls_dlerror_off = tls_main_tp - dlerr;
		else
			tls_libc_size = 0; /* no sharing of malloc's cache: each TCB gets its own */
	}
	return NULL;
}

/* glibc's SIGSETXID handler, and the kernel's sigaction layout for the raw call. */
#define TLS_SIGSETXID 33
struct tls_ksigaction {
	void (*handler)(int, siginfo_t *, void *);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};
static void (*tls_setxid_glibc)(int, siginfo_t *, void *);

/* glibc's set*id protocol signals each thread on its lists, main among them (the hub's OS
 * thread), and waits until that thread's TCB says it has made the call. On the hub's OS
 * thread the signal may land on any green TCB: glibc's handler runs on main's, the one it
 * marked. Real threads (the pool) run it on their own. */
static void tls_setxid_trampoline(int sig, siginfo_t *si, void *ctx)
{
	char *was = green_boot_tp();

	if (!green_boot_hub_thread || was == tls_main_tp) {
		tls_setxid_glibc(sig, si, ctx);
		return;
	}
	tls_set_fs(tls_main_tp);
	tls_setxid_glibc(sig, si, ctx);
	tls_set_fs(was);
}

void green_tls_os_thread_made(void)
{
	struct tls_ksigaction old, ours;

	/* glibc's sigaction refuses the signal; the raw call does not. */
	if (green_tls_mode == GREEN_TLS_SHARED ||
	    green_sys(SYS_rt_sigaction, TLS_SIGSETXID, NULL, &old, sizeof old.mask) ||
	    old.handler == tls_setxid_trampoline || (void *)old.handler == (void *)SIG_DFL ||
	    (void *)old.handler == (void *)SIG_IGN)
		return;
	tls_setxid_glibc = old.handler;
	ours = old;
	ours.handler = tls_setxid_trampoline;
	green_sys(SYS_rt_sigaction, TLS_SIGSETXID, &ours, NULL, sizeof ours.mask);
}

void green_tls_boot(struct green_thread *main_g)
{
	const char *why = NULL;
	bool hw = (getauxval(AT_HWCAP2) & HWCAP2_FSGSBASE) != 0;

	green_tls_mode = GREEN_TLS_SHARED;
	tls_main_tp = green_boot_tp();
	main_g->ctx.tp = tls_main_tp;
	if (green_config.tls == GREEN_TLS_WANT_SHARED)
		return;
	why = tls_check(green_config.tls == GREEN_TLS_WANT_AUTO);
	if (why) {
		green_log_write("each green thread shares the OS thread's TLS: %s", why);
		return;
	}
	green_tls_mode = hw && green_config.tls != GREEN_TLS_WANT_SYSCALL ? GREEN_TLS_WRFS : GREEN_TLS_PRCTL;
	green_tls_os_thread_made(); /* a real thread made before libgreen started */
	green_log_debug(1, "each green thread has TLS of its own (glibc %s, %s)", gnu_get_libc_version(),
			green_tls_token());
}

const char *green_tls_token(void)
{
	if (green_tls_mode == GREEN_TLS_WRFS)
		return "wrfsbase";
	return green_tls_mode == GREEN_TLS_PRCTL ? "arch_prctl" : "shared";
}

/* Fill what pthread_create and start_thread would have set in a fresh struct pthread. */
static void tls_fill(char *tp, struct green_thread *g, bool hub)
{
	*(void **)tp = tp;                       /* header.tcb: the thread pointer */
	*(void **)(tp + TCB_SELF) = tp;          /* header.self: THREAD_SELF, FILE lock owners */
	memcpy(tp + TCB_MT, tls_main_tp + TCB_MT, TCB_COPY_END - TCB_MT); /* guards, sysinfo */
	*(int *)(tp + TCB_GSCOPE) = 0;
	{
		void **list = (void **)(tp + tls_off.list); /* alone on its list: fork's
							      * reclaim_stacks unlinks it */
		list[0] = list;
		list[1] = list;
	}
	*(int *)(tp + tls_off.tid) = *(int *)(tls_main_tp + tls_off.tid);
	{
		char *head = tp + tls_off.robust_head; /* empty: { &self, futex_offset, NULL } */
		*(void **)head = head;
		memcpy(head + 8, tls_main_tp + tls_off.robust_head + 8, 8);
		*(void **)(head + 16) = NULL;
	}
	*(void **)(tp + tls_off.specific) = tp + tls_off.specific - 32 * 16; /* specific_1stblock */
	if (tls_off.rseq)
		*(int32_t *)(tp + tls_off.rseq + 4) = -2; /* rseq cpu_id: unregistered, so
							   * sched_getcpu asks the kernel */
	*(void **)(tp + tls_off.stackblock) = g->stack.lo;       /* alloca cutoffs, getattr */
	*(size_t *)(tp + tls_off.stackblock + 8) = g->stack.size;
	/* libgreen's own per-thread state in it: hooks act on a green thread's TCB, pass through
	 * on the hub's. */
	*(int *)tls_peer(tp, &green_boot_gate) = !hub;
	*(int *)tls_peer(tp, &green_boot_hub_thread) = 1;
}

/* Free the dynamic TLS blocks a DTV holds (modules dlopen()ed without static TLS). */
static void tls_free_dynamic(char *tp)
{
	struct { void *val, *to_free; } *dtv = *(void **)(tp + TCB_DTV);
	size_t n = *(size_t *)((char *)dtv - 16);

	for (size_t i = 1; i <= n; i++)
		if (dtv[i].to_free) {
			free(dtv[i].to_free);
			dtv[i].to_free = NULL;
		}
}

int green_tls_make(struct green_thread *g, bool hub, size_t *usable)
{
	char *top = (char *)g->stack.lo + g->stack.size - 64; /* the stack cache's node above */
	char *tp = (char *)((uintptr_t)(top - tls_off.pthread) & ~(uintptr_t)(tls_static_align - 1));
	char *low = tp - (tls_static_size - tls_off.pthread);

	*usable = g->stack.size;
	if (green_tls_mode == GREEN_TLS_SHARED)
		return 0;
	if (low < (char *)g->stack.lo + 2048)
		return -EINVAL; /* glibc: a stack that cannot hold the TLS and 2 KiB more */
	if (g->stack.tcb) {
		void *dtv = *(void **)(tp + TCB_DTV);
		GREEN_ASSERT(g->stack.tcb == tp);
		tls_free_dynamic(tp);
		memset(tp, 0, tls_off.pthread);
		*(void **)(tp + TCB_DTV) = dtv;
		tls_fn.allocate_init(tp, true);
	} else {
		memset(tp, 0, tls_off.pthread);
		if (!tls_fn.allocate(tp))
			return -EAGAIN;
		g->stack.tcb = tp;
	}
	/* libc's block as main's: malloc's per-thread cache and arena are the OS thread's, as
	 * with shared TLS (malloc never parks, so one OS thread needs one; glibc would free a
	 * thread's cache only in a function it does not export, and would give each new TCB an
	 * arena of its own). errno, h_errno, the locale and ctype tables start afresh when the
	 * thread starts; a pending dlerror is main's alone. */
	if (tls_libc_size) {
		memcpy(tp - tls_libc_off, tls_main_tp - tls_libc_off, tls_libc_size);
		*(void **)(tp - tls_dlerror_off) = NULL;
	}
	tls_fill(tp, g, hub);
	*usable = (size_t)(low - (char *)g->stack.lo);
	g->ctx.tp = tp;
	return 0;
}

void green_tls_started(void)
{
	if (green_tls_mode == GREEN_TLS_SHARED)
		return;
	tls_fn.ctype_init();
	uselocale(LC_GLOBAL_LOCALE); /* libc's block came from main's (green_tls_make) */
}

void green_tls_exiting(void)
{
	if (green_tls_mode == GREEN_TLS_SHARED)
		return;
	tls_fn.call_dtors();
}

void green_tls_drop(void *tp)
{
	if (green_tls_mode != GREEN_TLS_SHARED && tp)
		tls_fn.deallocate(tp, false);
}

/* The initial images of the modules with TLS, by module id (tls_fix_modules). */
struct tls_image {
	const void *addr;
	size_t filesz, memsz;
};

static int tls_image_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct tls_image *img = arg;

	(void)size;
	if (!info->dlpi_tls_modid || info->dlpi_tls_modid >= TLS_MODS)
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_TLS) {
			img[info->dlpi_tls_modid].addr = (const char *)info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
			img[info->dlpi_tls_modid].filesz = info->dlpi_phdr[i].p_filesz;
			img[info->dlpi_tls_modid].memsz = info->dlpi_phdr[i].p_memsz;
		}
	return 0;
}

/* Copy the image of every module that got static TLS since the last look into each green TCB
 * but main's and done's (glibc initialised those two: they were on its list); with done NULL,
 * only note which modules are there. */
static void tls_fix_modules(const char *done, bool copy)
{
	static struct tls_image img[TLS_MODS];

	memset(img, 0, sizeof img);
	dl_iterate_phdr(tls_image_cb, img);
	for (struct link_map *m = _r_debug.r_map; m; m = m->l_next) {
		size_t modid = *(size_t *)((char *)m + tls_off.l_tls_modid);
		long off = *(long *)((char *)m + tls_off.l_tls_offset);
		if (!modid || modid >= TLS_MODS || off <= 0 || !img[modid].addr ||
		    tls_mod_done[modid] == img[modid].addr)
			continue;
		tls_mod_done[modid] = img[modid].addr;
		for (struct green_thread *g = copy ? green_thread_first() : NULL; g; g = green_thread_next(g)) {
			char *dest;
			if (g->is_main || g->state == GREEN_DONE || !g->ctx.tp || g->ctx.tp == done)
				continue;
			dest = (char *)g->ctx.tp - off;
			memcpy(dest, img[modid].addr, img[modid].filesz);
			memset(dest + img[modid].filesz, 0, img[modid].memsz - img[modid].filesz);
		}
	}
}

/* The list of threads with user stacks in ld.so (GL(dl_stack_user)): main is on it. */
static void **tls_user_list(void)
{
	static void **head;
	static bool looked;

	if (!looked) {
		char *rtld = green_real()->dlvsym(RTLD_DEFAULT, "_rtld_global", "GLIBC_PRIVATE");
		long off = tls_field("_thread_db_rtld_global__dl_stack_user");
		looked = true;
		head = rtld && off >= 0 ? (void **)(rtld + off) : NULL;
	}
	return head;
}

char *green_tls_linked;

void green_tls_dlopen_enter(void)
{
	char *tp = green_boot_tp();
	void **head = tls_user_list(), **node;

	if (green_tls_mode == GREEN_TLS_SHARED || tp == tls_main_tp || tp == green_tls_linked || !head)
		return;
	green_tls_settle();
	tls_fix_modules(NULL, false); /* what is loaded now is not this dlopen's */
	/* list_add (glibc's list.h), the node complete before the head publishes it: another OS
	 * thread (a pool thread's dlopen) may walk the list meanwhile. */
	node = (void **)(tp + tls_off.list);
	node[0] = head[0];
	node[1] = head;
	((void **)head[0])[1] = node;
	__atomic_store_n(&head[0], (void *)node, __ATOMIC_RELEASE);
	green_tls_linked = tp;
}

void green_tls_settle(void)
{
	char *tp = green_tls_linked;
	void **node;

	if (!tp)
		return;
	node = (void **)(tp + tls_off.list);
	__atomic_store_n(&((void **)node[1])[0], node[0], __ATOMIC_RELEASE); /* prev->next */
	((void **)node[0])[1] = node[1];                                      /* next->prev */
	node[0] = node[1] = node;
	green_tls_linked = NULL;
	tls_fix_modules(tp, true);
}

void green_tls_forked(void)
{
	struct green_thread *hub = green_sched.hub;

	green_tls_linked = NULL; /* fork's reclaim_stacks moved it to glibc's list of the child */
	/* glibc gave the forking thread's TCB the child's tid; the hub's TCB is the other one
	 * that lives on (glibc's recursive locks take the owner from it). */
	if (green_tls_mode != GREEN_TLS_SHARED && hub && hub->ctx.tp)
		*(int *)((char *)hub->ctx.tp + tls_off.tid) = (int)green_sys(SYS_gettid);
}

bool green_tls_borrow(struct green_thread *g, struct green_tls_loan *loan)
{
	char *tp = g->ctx.tp;

	loan->tp = NULL;
	if (green_tls_mode == GREEN_TLS_SHARED || !tp || tp == green_boot_tp())
		return false;
	loan->tp = green_boot_tp();
	loan->gate = tls_peer(tp, &green_boot_gate);
	loan->gate_was = *loan->gate;
	*loan->gate = 0;
	tls_set_fs(tp);
	return true;
}

void green_tls_unborrow(struct green_tls_loan *loan)
{
	if (!loan->tp)
		return;
	tls_set_fs(loan->tp);
	*loan->gate = loan->gate_was;
	loan->tp = NULL;
}

long green_tls_call_on(struct green_thread *g, long (*fn)(void *), void *arg)
{
	struct green_tls_loan loan;
	int *err = g->ctx.tp ? tls_peer(g->ctx.tp, &errno) : NULL;
	int saved = err ? *err : 0;
	long r;

	if (!green_tls_borrow(g, &loan))
		return fn(arg);
	r = fn(arg); /* its errno is g's: fn turns it into -errno on g's TCB */
	green_tls_unborrow(&loan);
	*err = saved;
	return r;
}
