/* SPDX-License-Identifier: MIT
 * Backtraces of green threads with libunwind: a parked thread from the registers its last
 * switch saved, the running one from a signal's context. libunwind is loaded privately
 * (dlopen RTLD_LOCAL) so that its _Unwind_* entry points never replace the C++ unwinder the
 * program links against (libgcc_s).
 */
#ifndef GREEN_CORE_BACKTRACE_H
#define GREEN_CORE_BACKTRACE_H

#include <stdbool.h>
#include <stdint.h>

struct green_thread;

/* Load libunwind and warm it up (its first use maps caches and reads /proc/self/maps), so that
 * later backtraces work inside signal handlers. Idempotent. Not async-signal-safe: call at boot
 * or from a green thread. Returns true when backtraces are available (GREEN_BACKTRACE=0 or a
 * missing libunwind.so.8: false, and every print below says so in one line). */
bool green_backtrace_init(void);

/* Backtraces will be wanted (a dump signal or the monitor): load libunwind now if libc is
 * initialised, else at green_backtrace_settle. Our constructor runs (-z initfirst) before
 * libc's own initialiser, and a dlopen then runs that initialiser early with no argv or
 * environ: the program would start with environ == NULL. Boot only. */
void green_backtrace_want(void);

/* Load libunwind if it was wanted before libc was ready. Called where libc is initialised
 * and the context is not a signal handler: the hub's first run and thread creation. */
void green_backtrace_settle(void);

/* Print the frames of g, which is not running (parked, runnable or new), one "libgreen:
 * <indent>#N 0xIP in function+0xOFF (module)" line each, innermost first, starting at the hook
 * the program called (libgreen's own frames below it are left out). Hub OS thread; safe in a
 * signal handler after green_backtrace_init(). */
void green_backtrace_parked(const struct green_thread *g, const char *indent);

/* Print the frames of the code a signal interrupted, from the handler's third argument uc,
 * the same way (all frames, the interrupted one first). Async-signal-safe after
 * green_backtrace_init(). */
void green_backtrace_signal(void *uc, const char *indent);

/* The instruction pointers of the frames a signal interrupted (uc), innermost first, into
 * ips (at most max); *whole says whether the walk reached the outermost frame (the end of
 * the unwind information, not an error or max). Returns how many. Async-signal-safe after
 * green_backtrace_init(). */
int green_backtrace_ips(void *uc, uintptr_t *ips, int max, bool *whole);

/* True once green_backtrace_init() has loaded libunwind. Any thread, signal-safe. */
bool green_backtrace_init_done(void);

#endif
