/* SPDX-License-Identifier: MIT
 * Environment configuration (GREEN_*), read once at boot into an immutable struct.
 */
#ifndef GREEN_PRELOAD_CONFIG_H
#define GREEN_PRELOAD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

/* GREEN_STACK_SIZE's range: glibc's PTHREAD_STACK_MIN, and a size every mapping can have. */
#define GREEN_CONFIG_STACK_MIN 16384
#define GREEN_CONFIG_STACK_MAX (4ull << 30)

/* What the deadlock detector does when no green thread can ever run again. */
/* GREEN_TLS: whose thread-local storage a green thread runs on (core/tls.h). */
enum green_tls_want {
	GREEN_TLS_WANT_AUTO,    /* its own, where the boot checks prove it works; else shared */
	GREEN_TLS_WANT_SHARED,  /* the OS thread's, shared by every green thread (libgreen <= 0.14) */
	GREEN_TLS_WANT_OWN,     /* its own, also on a glibc outside the tested table */
	GREEN_TLS_WANT_SYSCALL, /* its own, switched with arch_prctl even where wrfsbase works */
};

enum green_deadlock_mode {
	GREEN_DEADLOCK_REPORT, /* print every green thread and exit with status 70 */
	GREEN_DEADLOCK_HANG,   /* block forever, as the program would natively */
};

/* Filled by green_config_load() on the booting thread before the runtime starts; read-only after. */
struct green_config {
	bool disable;                       /* GREEN_DISABLE=1: every hook passes straight through */
	int debug;                          /* GREEN_DEBUG=N: log hook decisions at level N (0 = off) */
	size_t stack_size;                  /* GREEN_STACK_SIZE (bytes, K/M/G suffix); 0 = native default */
	enum green_deadlock_mode deadlock;  /* GREEN_DEADLOCK=report|hang */
	int threadpool;                     /* GREEN_THREADPOOL: real threads for DNS etc. (4) */
	bool inherit;                       /* GREEN_INHERIT (default 1): children keep LD_PRELOAD */
	bool file_offload;                  /* GREEN_FILE_OFFLOAD=1: regular-file I/O on the pool */
	long monitor_ms;                    /* GREEN_MONITOR_MS: report hub stalls longer (0: off) */
	bool stats;                         /* GREEN_STATS=1 or =/path: statistics line at exit */
	const char *stats_path;             /* GREEN_STATS=/path: append it there, not to stderr
	                                     * (programs that close stderr); NULL: stderr */
	const char *log_path;               /* GREEN_LOG=/path: diagnostics there (NULL: stderr) */
	bool backtrace;                     /* GREEN_BACKTRACE (default 1): load libunwind for reports */
	int dump_signal;                    /* GREEN_DUMP_SIGNAL: signal that dumps every thread (0: off) */
	int monitor_signal;                 /* GREEN_MONITOR_SIGNAL: the monitor's signal (SIGURG) */
	bool overflow;                      /* GREEN_OVERFLOW (default 1): report stack overflows */
	enum green_tls_want tls;            /* GREEN_TLS=auto|shared|own|syscall (auto) */
	long slice_ms;                      /* GREEN_SLICE_MS: a green thread's time slice (10; 0: none) */
	long slice_us;                      /* the same in µs (GREEN_SLICE_US, finer, wins when set) */
	bool preempt;                       /* GREEN_PREEMPT: preempt loops with no hooked call (1) */
};

extern struct green_config green_config;

/* Parse the GREEN_* variables of envp (a NULL-terminated environment) into green_config. Boot
 * thread only, once. Bad values are reported on stderr and replaced by the default. */
void green_config_load(char **envp);

/* Parse a signal given as a number, a name with or without "SIG" ("USR2", "SIGQUIT") or
 * "RTMIN+n" / "RTMAX-n". Returns 0 and sets *out, or -EINVAL. */
int green_config_parse_signal(const char *s, int *out);

/* Parse a size such as "65536", "64K", "8M", "1G". Returns 0 and sets *out, or -EINVAL. */
int green_config_parse_size(const char *s, size_t *out);

#endif
