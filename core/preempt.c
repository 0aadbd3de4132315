/* SPDX-License-Identifier: MIT
 * Asynchronous preemption. A POSIX timer on the hub's OS-thread CPU clock fires every time
 * slice of CPU that thread uses. When the same green thread ran for the whole interval (the
 * switch counter did not move), the handler decides, as Go's isAsyncSafePoint does, whether
 * the interrupted code may be suspended:
 *   - the gate is open (not libgreen, not the hub), no switch is half-way, no program signal
 *     handler runs, the thread holds no mutex (an allocator's arena lock is one), and the
 *     handler runs on the thread's own stack with room to spare;
 *   - the interrupted PC lies in the program or one of its own libraries, never in libc,
 *     ld.so, libgcc_s/libstdc++, an allocator library, libevent/libunwind or libgreen, the
 *     vDSO or memory no object maps (JIT code);
 *   - and so does every frame below it, down to where the thread began: only the outermost
 *     frames may be such code (libgreen's thread entry, std::thread's, libc's start of main),
 *     so that a callback (a qsort comparator, a dl_iterate_phdr callback, an NSS module, a
 *     destructor run by exit) is never suspended while libc holds its locks.
 * Then the thread yields inside the handler: the kernel already saved its whole context (every
 * register, the FP/AVX state, past the red zone) in the signal frame on the thread's stack,
 * and sigreturn restores it when the thread is switched back to. Elsewhere, the thread is
 * marked and yields at its next hooked call (core/sched.c's slice check). With the TLS shared
 * (GREEN_TLS=shared) there is no preemption: a half-done update of a thread-local would be
 * seen by the next thread.
 */
#include "preempt.h"
#include "sys.h"

#include "backtrace.h"
#include "cancel.h"
#include "log.h"
#include "monitor.h"
#include "sched.h"
#include "signal.h"
#include "tls.h"
#include "../preload/boot.h"
#include "../preload/config.h"
#include "../preload/real.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define PREEMPT_MAGIC 0x70726565  /* "pree": the timer's si_value */
#define PREEMPT_RANGES 512        /* executable segments of loaded objects */
#define PREEMPT_FRAMES 512        /* deepest stack walked; deeper is not preempted */
#define PREEMPT_ROOM (8 << 10)    /* stack the handler wants left below it: unwind + switch */
#define PREEMPT_FINE_NS 4000000   /* slices below this get a wall-clock timer (see below) */

uint64_t green_preempt_yields, green_preempt_marks;

/* One executable segment of a loaded object. */
struct preempt_range {
	uintptr_t lo, hi;
	const char *name; /* the object's path ("" for the program), owned by ld.so */
	bool safe;        /* the program's own code: may be suspended */
};

static struct preempt_range preempt_ranges[PREEMPT_RANGES];
static int preempt_nranges;
static unsigned long long preempt_adds = ~0ull, preempt_subs = ~0ull; /* ld.so's counters */
static uintptr_t preempt_entry;   /* the program's entry point (_start), AT_ENTRY */
static uintptr_t preempt_malloc;  /* the malloc every call reaches (an allocator library?) */
static int preempt_timer = -1;    /* the kernel timer's id; -1: not started */
static int preempt_sig;           /* GREEN_MONITOR_SIGNAL */
static const char *preempt_why = "off"; /* green_preempt_token() */
static uint64_t preempt_seen = ~0ull; /* green_sched.switches at the previous expiry */
static bool preempt_released;     /* the program uses the signal: no longer kept open */

/* Libraries whose code is never suspended, by the start of their file name. */
static const char *const preempt_unsafe_libs[] = {
	"libc.so", "ld-linux", "ld-", "libpthread.so", "libdl.so", "librt.so", "libresolv.so",
	"libnss_", "libanl.so", "libutil.so", "libgcc_s.so", "libstdc++.so", "libc++.so",
	"libc++abi.so", "libunwind", "libevent", "libgreen", "libjemalloc", "libtcmalloc",
	"libmimalloc", "libasan", "libtsan", "liblsan", "libubsan", "linux-vdso", "linux-gate",
};

static bool preempt_lib_unsafe(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	for (size_t i = 0; i < sizeof preempt_unsafe_libs / sizeof *preempt_unsafe_libs; i++)
		if (!strncmp(base, preempt_unsafe_libs[i], strlen(preempt_unsafe_libs[i])))
			return true;
	return false;
}

static int preempt_maps_add(struct dl_phdr_info *info, size_t size, void *unused)
{
	bool program = !info->dlpi_name || !info->dlpi_name[0];
	bool safe, ours = false, allocator = false;
	int first = preempt_nranges;

	(void)size, (void)unused;
	for (int i = 0; i < info->dlpi_phnum && preempt_nranges < PREEMPT_RANGES; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		ours |= (uintptr_t)green_preempt_signal >= lo && (uintptr_t)green_preempt_signal < hi;
		allocator |= preempt_malloc >= lo && preempt_malloc < hi;
		preempt_ranges[preempt_nranges++] = (struct preempt_range){ lo, hi, info->dlpi_name, false };
	}
	/* An allocator library (jemalloc, tcmalloc) is never suspended; one linked into the
	 * program is covered by the mutex rule (its arena locks are mutexes). */
	safe = !ours && (program || (!allocator && !preempt_lib_unsafe(info->dlpi_name)));
	for (int i = first; i < preempt_nranges; i++)
		preempt_ranges[i].safe = safe;
	return 0;
}

/* ld.so's load and unload counters, read from the first object's callback. */
static int preempt_maps_count(struct dl_phdr_info *info, size_t size, void *out)
{
	unsigned long long *c = out;

	if (size < offsetof(struct dl_phdr_info, dlpi_subs) + sizeof info->dlpi_subs)
		return 1;
	c[0] = info->dlpi_adds;
	c[1] = info->dlpi_subs;
	return 1;
}

/* Rebuild the table when objects were loaded or unloaded since. Only where the interrupted
 * code is known not to be ld.so's: dl_iterate_phdr takes ld.so's lock (recursive). */
static void preempt_maps_refresh(void)
{
	unsigned long long c[2] = { 0, 0 };

	dl_iterate_phdr(preempt_maps_count, c);
	if (c[0] == preempt_adds && c[1] == preempt_subs)
		return;
	preempt_nranges = 0;
	dl_iterate_phdr(preempt_maps_add, NULL);
	preempt_adds = c[0];
	preempt_subs = c[1];
}

/* The range holding pc, or NULL. */
static const struct preempt_range *preempt_range_of(uintptr_t pc)
{
	for (int i = 0; i < preempt_nranges; i++)
		if (pc >= preempt_ranges[i].lo && pc < preempt_ranges[i].hi)
			return &preempt_ranges[i];
	return NULL;
}

static const char *preempt_name(const struct preempt_range *r)
{
	const char *slash;

	if (!r)
		return "memory no object maps";
	if (!r->name || !r->name[0])
		return "the program";
	slash = strrchr(r->name, '/');
	return slash ? slash + 1 : r->name;
}

/* Why the code uc interrupted may not be suspended (NULL: it may). *where gets the range of
 * the PC or of the frame that decided. Signal context. */
static const char *preempt_unsafe(const struct green_thread *g, ucontext_t *uc,
				  const struct preempt_range **where)
{
	static uintptr_t ips[PREEMPT_FRAMES];
	uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0), lo = (uintptr_t)g->stack.lo;
	const struct preempt_range *r, *lib = NULL;
	bool whole, below = false;
	int n;

	*where = NULL;
	if (!green_boot_gate || green_sched.switching)
		return "libgreen runs";
	if (green_signal_handler_depth())
		return "a signal handler runs";
	if (g->locks_held)
		return "it holds a mutex";
	if (sp < lo + PREEMPT_ROOM || sp >= lo + g->stack.size)
		return "not on its own stack, or too near its end";
	r = *where = preempt_range_of(pc);
	if (r && r->safe) {
		preempt_maps_refresh(); /* a library loaded or unloaded since? */
		r = *where = preempt_range_of(pc);
	}
	if (!r || !r->safe)
		return "inside a library that may hold locks";
	*where = NULL;
	n = green_backtrace_ips(uc, ips, PREEMPT_FRAMES, &whole);
	if (n <= 0 || !whole)
		return "its stack cannot be walked to its start";
	/* Frames 1.. hold return addresses: classify the call instruction (ip - 1). */
	for (int i = 1; i < n; i++) {
		const struct preempt_range *f = preempt_range_of(ips[i] - 1);
		if (i == n - 1 && below && ips[i] - preempt_entry < 64)
			break; /* main's outermost frame, _start */
		if (!f || !f->safe)
			below = true, lib = f;
		else if (below) {
			*where = lib;
			return "called back from a library that may hold locks";
		}
	}
	*where = r;
	return NULL;
}

void green_preempt_signal(void *ucv)
{
	ucontext_t *uc = ucv;
	struct green_thread *g = green_sched.current;
	uint64_t switches = green_sched.switches;
	const struct preempt_range *where;
	const char *why;
	int saved = errno;

	if (!g || g == green_sched.hub || switches != preempt_seen) {
		preempt_seen = switches;
		return;
	}
	/* g has held the OS thread for a whole slice of CPU without a switch. */
	why = preempt_unsafe(g, uc, &where);
	if (why) {
		green_preempt_marks++;
		green_sched_slice_mark();
		uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
		green_log_debug(1, "green thread %llu (%s) ran a whole time slice, now at 0x%lx (%s): "
				"not preempted there (%s%s%s); it yields at its next hooked call",
				(unsigned long long)g->id, g->name, (unsigned long)pc,
				preempt_name(preempt_range_of(pc)), why, where ? ": " : "",
				where ? preempt_name(where) : "");
		errno = saved;
		return;
	}
	green_preempt_yields++;
	green_log_debug(1, "green thread %llu (%s) preempted at 0x%lx (%s) after a whole time slice "
			"without a hooked call", (unsigned long long)g->id, g->name,
			(unsigned long)uc->uc_mcontext.gregs[REG_RIP], preempt_name(where));
	/* The kernel blocked the signal for this handler: the others run with their own masks
	 * (the switch applies them against os_sigmask, so make that true first). */
	green_sys(SYS_rt_sigprocmask, SIG_SETMASK, &green_sched.os_sigmask, NULL, sizeof(uint64_t));
	/* Asynchronous cancellation acts at a safe point, as glibc's SIGCANCEL handler does
	 * anywhere: pending before, or arrived while it was suspended. The thread unwinds from
	 * here through the signal frame (cleanup handlers, C++ destructors) and never returns. */
	if (green_cancel_async_due())
		green_cancel_act();
	green_sched_yield_polling();
	if (green_cancel_async_due())
		green_cancel_act();
	/* Back: sigreturn restores the mask from uc; make it the one the OS thread has now. */
	memcpy(&uc->uc_sigmask, &green_sched.os_sigmask, sizeof(uint64_t));
	preempt_seen = green_sched.switches;
	errno = saved;
}

bool green_preempt_ours(const siginfo_t *info)
{
	return preempt_timer >= 0 && info->si_code == SI_TIMER && info->si_timerid == preempt_timer &&
	       info->si_value.sival_int == PREEMPT_MAGIC;
}

/* The preemption signal stays unblocked at the OS level while the program has no use for it. */
static void preempt_keep_open(void)
{
	bool handled = green_signal_program_handles(preempt_sig);

	green_sched_keep_open(preempt_timer >= 0 && !handled && !preempt_released
				      ? 1ull << (preempt_sig - 1) : 0);
}

void green_preempt_start(void)
{
	struct sigevent sev;
	struct itimerspec its;
	int id = -1;
	long r;

	if (preempt_timer >= 0 || !green_config.preempt || !green_sched.slice_ns)
		return;
	if (green_tls_mode == GREEN_TLS_SHARED) {
		preempt_why = "off:shared-tls";
		return;
	}
	if (!green_backtrace_init()) {
		preempt_why = "off:no-libunwind";
		return;
	}
	preempt_sig = green_config.monitor_signal;
	if (green_monitor_signal_install())
		return;
	preempt_entry = getauxval(AT_ENTRY);
	preempt_malloc = (uintptr_t)green_real()->dlsym(RTLD_DEFAULT, "malloc");
	preempt_adds = preempt_subs = ~0ull;
	preempt_maps_refresh();
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = preempt_sig;
	sev.sigev_value.sival_int = PREEMPT_MAGIC;
	sev._sigev_un._tid = (pid_t)green_sys(SYS_gettid);
	/* CLOCK_THREAD_CPUTIME_ID: the calling thread's CPU time, the hub's OS thread, so an idle
	 * process is never woken. Such timers expire at the kernel's ticks, though (4 ms at
	 * HZ=250): a finer slice (a test's GREEN_SLICE_US) gets a wall-clock timer, which also
	 * fires while the OS thread sleeps in a system call. */
	r = green_sys(SYS_timer_create,
		      green_sched.slice_ns < PREEMPT_FINE_NS ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID,
		      &sev, &id);
	if (r < 0) {
		preempt_why = "off:no-timer";
		green_log_debug(1, "no preemption: timer_create failed (%s)", strerror((int)-r));
		return;
	}
	its.it_interval.tv_sec = its.it_value.tv_sec = (time_t)(green_sched.slice_ns / 1000000000u);
	its.it_interval.tv_nsec = its.it_value.tv_nsec = (long)(green_sched.slice_ns % 1000000000u);
	preempt_timer = id;
	preempt_keep_open();
	if (green_sys(SYS_timer_settime, id, 0, &its, NULL) < 0) {
		green_sys(SYS_timer_delete, id);
		preempt_timer = -1;
		preempt_keep_open();
		preempt_why = "off:no-timer";
		return;
	}
	preempt_why = "on";
}

void green_preempt_disposition(int sig)
{
	if (preempt_timer >= 0 && sig == preempt_sig)
		preempt_keep_open();
}

void green_preempt_waited(const sigset_t *set)
{
	if (preempt_timer >= 0 && !preempt_released && sigismember(set, preempt_sig) == 1) {
		preempt_released = true; /* a program that sigwaits for it gets it as natively */
		preempt_keep_open();
	}
}

int green_preempt_forked(void)
{
	preempt_timer = -1; /* POSIX timers are not inherited */
	preempt_seen = ~0ull;
	preempt_why = "off";
	green_sched_keep_open(0);
	return 0;
}

int green_preempt_timer_id(void)
{
	return preempt_timer;
}

const char *green_preempt_token(void)
{
	return preempt_why;
}
