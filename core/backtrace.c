/* SPDX-License-Identifier: MIT
 * libunwind, loaded on demand with dlopen(RTLD_LOCAL): libunwind.so exports its own
 * _Unwind_RaiseException & co., and linking it (DT_NEEDED) into a preloaded library would put
 * them ahead of libgcc_s for every C++ program (HAZARDS H21). Frames are collected into a
 * static table first (names resolved while the cursor is there) so that libgreen's own frames
 * at the inner end can be dropped before printing.
 */
#define UNW_LOCAL_ONLY
#include "../preload/real.h"
#include "backtrace.h"
#include "ownfd.h"

#include "annotate.h"
#include "context.h"
#include "log.h"
#include "thread.h"
#include "../preload/config.h"

#include <dlfcn.h>
#include <errno.h>
#include <libunwind.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#define BT_STR2(x) #x
#define BT_STR(x) BT_STR2(x)
#define BT_SYM(fn) BT_STR(UNW_OBJ(fn)) /* "_ULx86_64_step" for fn = step */
#define BT_MAX_FRAMES 48

/* The libunwind entry points we use (names as libunwind.h's macros spell them). */
static struct {
	int (*init_local)(unw_cursor_t *, unw_context_t *);
	int (*init_local2)(unw_cursor_t *, unw_context_t *, int);
	int (*step)(unw_cursor_t *);
	int (*get_reg)(unw_cursor_t *, unw_regnum_t, unw_word_t *);
	int (*get_proc_name)(unw_cursor_t *, char *, size_t, unw_word_t *);
} bt_unw;
static int bt_state; /* 0 not tried, 1 loaded, -1 unavailable */

/* One collected frame. */
struct bt_frame {
	uintptr_t ip;
	uintptr_t off;
	char name[96];
	const char *module; /* basename of the object, or "?" */
	bool ours;          /* inside libgreen.so */
	unsigned long repeat; /* the same frame again this many more times (recursion) */
};
static struct bt_frame bt_frames[BT_MAX_FRAMES];
static int bt_busy; /* the table is in use (a signal during a report skips its backtrace) */

static bool bt_load(void);
static bool bt_wanted; /* green_backtrace_want came before libc's initialisation */

void green_backtrace_want(void)
{
	extern char **environ;

	if (environ)
		green_backtrace_init();
	else
		bt_wanted = true;
}

void green_backtrace_settle(void)
{
	if (bt_wanted) {
		bt_wanted = false;
		green_backtrace_init();
	}
}

bool green_backtrace_init(void)
{
	int saved = errno;
	bool ok;

	if (bt_state)
		return bt_state > 0;
	bt_state = -1;
	green_ownfd_capture(true, GREEN_OWNFD_LIBUNWIND); /* libunwind's validation pipe is ours */
	ok = bt_load();
	green_ownfd_capture(false, GREEN_OWNFD_LIBUNWIND);
	errno = saved; /* called from pthread_create, which must not change errno */
	return ok;
}

/* dlopen libunwind, look up its entry points and warm it up. */
static bool bt_load(void)
{
	void *h;

	/* valgrind has its own backtraces, and reports libunwind's address probing as errors. */
	if (!green_config.backtrace || green_annotate_valgrind())
		return false;
	h = green_real()->dlopen("libunwind.so.8", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return false;
	bt_unw.init_local = (int (*)(unw_cursor_t *, unw_context_t *))green_real()->dlsym(h, BT_SYM(init_local));
	bt_unw.init_local2 = (int (*)(unw_cursor_t *, unw_context_t *, int))green_real()->dlsym(h, BT_SYM(init_local2));
	bt_unw.step = (int (*)(unw_cursor_t *))green_real()->dlsym(h, BT_SYM(step));
	bt_unw.get_reg = (int (*)(unw_cursor_t *, unw_regnum_t, unw_word_t *))green_real()->dlsym(h, BT_SYM(get_reg));
	bt_unw.get_proc_name = (int (*)(unw_cursor_t *, char *, size_t, unw_word_t *))green_real()->dlsym(
		h, BT_SYM(get_proc_name));
	if (!bt_unw.init_local || !bt_unw.step || !bt_unw.get_reg || !bt_unw.get_proc_name)
		return false;
	/* Warm up: the first walk maps libunwind's caches and reads the object list, neither of
	 * which may happen for the first time inside a signal handler. */
	{
		ucontext_t uc;
		unw_cursor_t c;
		char name[64];
		unw_word_t off;

		getcontext(&uc);
		if (bt_unw.init_local(&c, (unw_context_t *)&uc) == 0)
			do
				bt_unw.get_proc_name(&c, name, sizeof name, &off);
			while (bt_unw.step(&c) > 0);
	}
	bt_state = 1;
	return true;
}

/* Where libgreen.so itself is mapped (dli_fbase of one of our functions). */
static const void *bt_our_base(void)
{
	static const void *base;
	Dl_info info;

	if (!base && dladdr((void *)green_backtrace_init, &info))
		base = info.dli_fbase;
	return base;
}

/* Walk from cursor c into bt_frames. Returns the number of frames collected; sets *more when
 * the walk was cut at BT_MAX_FRAMES. */
static int bt_collect(unw_cursor_t *c, bool *more)
{
	const void *ours = bt_our_base();
	int n = 0, r;
	unsigned long steps = 0;

	*more = false;
	do {
		struct bt_frame *f = &bt_frames[n];
		unw_word_t ip = 0, off = 0;
		Dl_info info;

		if (bt_unw.get_reg(c, UNW_REG_IP, &ip) || !ip)
			break;
		/* Deep recursion (an overflow): count repeats of a frame instead of listing them. */
		if (n > 0 && bt_frames[n - 1].ip == (uintptr_t)ip) {
			bt_frames[n - 1].repeat++;
			if (++steps > 1000000)
				break;
			continue;
		}
		f->ip = (uintptr_t)ip;
		f->repeat = 0;
		f->name[0] = '\0';
		if (bt_unw.get_proc_name(c, f->name, sizeof f->name, &off) != 0)
			f->name[0] = '\0';
		f->off = (uintptr_t)off;
		f->module = "?";
		f->ours = false;
		/* A return address may point just past the end of a noreturn call's function. */
		if (dladdr((void *)(f->ip - 1), &info) && info.dli_fname) {
			const char *slash = strrchr(info.dli_fname, '/');
			f->module = slash ? slash + 1 : info.dli_fname;
			f->ours = info.dli_fbase == ours;
			if (!f->name[0] && info.dli_sname) { /* no unwind info: the dynamic symbol */
				snprintf(f->name, sizeof f->name, "%s", info.dli_sname);
				f->off = f->ip - (uintptr_t)info.dli_saddr;
			}
		}
		if (!f->name[0])
			strcpy(f->name, "??");
		if (++n == BT_MAX_FRAMES) {
			*more = bt_unw.step(c) > 0;
			break;
		}
	} while ((r = bt_unw.step(c)) > 0);
	return n;
}

static void bt_print(int first, int n, bool more, const char *indent)
{
	for (int i = first; i < n; i++) {
		green_log_write("%s#%-2d 0x%016lx in %s+0x%lx (%s)", indent, i - first,
				(unsigned long)bt_frames[i].ip, bt_frames[i].name,
				(unsigned long)bt_frames[i].off, bt_frames[i].module);
		if (bt_frames[i].repeat)
			green_log_write("%s    ... the same frame %lu more times", indent,
					bt_frames[i].repeat);
	}
	if (more)
		green_log_write("%s... (more frames not shown)", indent);
}

/* Run a walk from context ctx (signal: the context of a signal frame). */
static void bt_walk(unw_context_t *ctx, bool signal, bool skip_ours, const char *indent)
{
	unw_cursor_t c;
	bool more;
	int n, first = 0, r;

	if (!green_backtrace_init_done()) {
		green_log_write("%s(no backtrace: %s)", indent,
				!green_config.backtrace ? "GREEN_BACKTRACE=0"
				: green_annotate_valgrind() ? "under valgrind"
				: bt_state ? "libunwind.so.8 not available" : "libunwind not loaded yet");
		return;
	}
	if (__atomic_exchange_n(&bt_busy, 1, __ATOMIC_ACQUIRE)) {
		green_log_write("%s(no backtrace: a report is already being written)", indent);
		return;
	}
	r = signal && bt_unw.init_local2 ? bt_unw.init_local2(&c, ctx, UNW_INIT_SIGNAL_FRAME)
					 : bt_unw.init_local(&c, ctx);
	if (r == 0) {
		n = bt_collect(&c, &more);
		/* Start at the outermost of the inner run of libgreen frames: the hook the program
		 * called (nanosleep, read, pthread_mutex_lock ...). */
		if (skip_ours)
			while (first + 1 < n && bt_frames[first].ours && bt_frames[first + 1].ours)
				first++;
		bt_print(first, n, more, indent);
	} else {
		green_log_write("%s(no backtrace: libunwind error %d)", indent, r);
	}
	__atomic_store_n(&bt_busy, 0, __ATOMIC_RELEASE);
}

bool green_backtrace_init_done(void)
{
	return bt_state > 0;
}

void green_backtrace_parked(const struct green_thread *g, const char *indent)
{
#if defined(__x86_64__) && !defined(GREEN_ARCH_GENERIC)
	/* unw_context_t is a ucontext_t on x86-64: fill what the switch saved (context.h). */
	const unsigned char *sp = g->ctx.sp;
	ucontext_t uc;

	memset(&uc, 0, sizeof uc);
	if (!sp) {
		green_log_write("%s(no saved context)", indent);
		return;
	}
	memcpy(&uc.uc_mcontext.gregs[REG_R15], sp + GREEN_CTX_R15, 8);
	memcpy(&uc.uc_mcontext.gregs[REG_R14], sp + GREEN_CTX_R14, 8);
	memcpy(&uc.uc_mcontext.gregs[REG_R13], sp + GREEN_CTX_R13, 8);
	memcpy(&uc.uc_mcontext.gregs[REG_R12], sp + GREEN_CTX_R12, 8);
	memcpy(&uc.uc_mcontext.gregs[REG_RBX], sp + GREEN_CTX_RBX, 8);
	memcpy(&uc.uc_mcontext.gregs[REG_RBP], sp + GREEN_CTX_RBP, 8);
	memcpy(&uc.uc_mcontext.gregs[REG_RIP], sp + GREEN_CTX_RIP, 8);
	uc.uc_mcontext.gregs[REG_RSP] = (greg_t)(uintptr_t)(sp + GREEN_CTX_SIZE);
	bt_walk((unw_context_t *)&uc, false, true, indent);
#else
	/* The portable switch saves a full ucontext_t, which is what libunwind takes. */
	ucontext_t uc = g->ctx.uc;
	bt_walk((unw_context_t *)&uc, false, true, indent);
#endif
}

void green_backtrace_signal(void *uc, const char *indent)
{
	bt_walk((unw_context_t *)uc, true, false, indent);
}

int green_backtrace_ips(void *uc, uintptr_t *ips, int max, bool *whole)
{
	unw_cursor_t c;
	int n = 0, r = 1;

	*whole = false;
	if (!green_backtrace_init_done() || !bt_unw.init_local2 ||
	    bt_unw.init_local2(&c, (unw_context_t *)uc, UNW_INIT_SIGNAL_FRAME) != 0)
		return 0;
	do {
		unw_word_t ip = 0;
		if (bt_unw.get_reg(&c, UNW_REG_IP, &ip) || !ip)
			return n; /* not a walk to the end */
		if (n == max)
			return n;
		ips[n++] = (uintptr_t)ip;
	} while ((r = bt_unw.step(&c)) > 0);
	*whole = r == 0;
	return n;
}
