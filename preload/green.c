/* SPDX-License-Identifier: MIT
 * The `green` launcher: green [options] [--] CMD [ARGS...] runs CMD with libgreen.so prepended
 * to LD_PRELOAD and its options turned into GREEN_* variables (like faketime or torsocks).
 */
#include "selftest.h"

#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

#ifndef GREEN_VERSION
#define GREEN_VERSION "unknown"
#endif
#ifndef GREEN_LIBDIR
#define GREEN_LIBDIR "/usr/local/lib"
#endif

static const char usage[] =
	"Usage: green [OPTION]... [--] COMMAND [ARG]...\n"
	"Run COMMAND with every thread as a green thread on one libevent hub (LD_PRELOAD=libgreen.so).\n"
	"\n"
	"  --stack-size=SIZE  stack of each green thread without an explicit size (bytes, K/M/G);\n"
	"                     sets GREEN_STACK_SIZE (default: the native default, RLIMIT_STACK)\n"
	"  --disable          load libgreen but pass every call through (GREEN_DISABLE=1)\n"
	"  --debug[=N]        log hook decisions on stderr, N=1 or 2 (GREEN_DEBUG)\n"
	"  --deadlock=MODE    report (default): print every green thread and exit 70 when none can\n"
	"                     ever run again; hang: block like the native program (GREEN_DEADLOCK)\n"
	"  --threadpool=N     real threads for name resolution and file locks (GREEN_THREADPOOL,\n"
	"                     default 4; 0 makes those calls block every green thread)\n"
	"  --no-inherit       children do not inherit libgreen through LD_PRELOAD (GREEN_INHERIT=0)\n"
	"  --monitor=MS       report a green thread that keeps the hub from running for MS ms\n"
	"                     (a busy loop or a blocking call; GREEN_MONITOR_MS, default off)\n"
	"  --monitor-signal=SIG  signal the monitor uses to take a backtrace of a busy thread\n"
	"                     (GREEN_MONITOR_SIGNAL, default URG)\n"
	"  --dump-signal=SIG  on signal SIG (a name such as USR2 or QUIT, or a number) print every\n"
	"                     green thread, what it waits for and its backtrace, and go on\n"
	"                     (GREEN_DUMP_SIGNAL, default off)\n"
	"  --no-backtrace     reports without backtraces; libunwind is never loaded (GREEN_BACKTRACE=0)\n"
	"  --no-overflow-report  leave SIGSEGV/SIGBUS alone: no stack-overflow report\n"
	"                     (GREEN_OVERFLOW=0)\n"
	"  --stats            one line of runtime statistics on stderr at exit (GREEN_STATS=1)\n"
	"  --tls=MODE         auto (default): each green thread has TLS of its own where libgreen\n"
	"                     proves it works, else shared with one line saying why; shared: all\n"
	"                     share the OS thread's; own: also on an untested glibc; syscall: own,\n"
	"                     switched with arch_prctl (GREEN_TLS)\n"
	"  --no-tunables      leave GLIBC_TUNABLES alone (by default the launcher adds\n"
	"                     glibc.rtld.nns=1:glibc.rtld.optional_static_tls=0: half the memory\n"
	"                     per thread, at the cost of dlmopen namespaces and of the static TLS\n"
	"                     room dlopen()ed initial-exec libraries may need)\n"
	"  --self-test        run the TLS checks under libgreen here and say which mode it uses\n"
	"  --help             show this help and exit\n"
	"  --version          show the version and exit\n"
	"\n"
	"Environment variables read by libgreen.so: GREEN_STACK_SIZE, GREEN_DISABLE, GREEN_DEBUG,\n"
	"GREEN_DEADLOCK, GREEN_THREADPOOL, GREEN_INHERIT, GREEN_MONITOR_MS, GREEN_MONITOR_SIGNAL,\n"
	"GREEN_DUMP_SIGNAL, GREEN_BACKTRACE, GREEN_OVERFLOW, GREEN_FILE_OFFLOAD (1: regular-file\n"
	"reads and writes run on the thread pool), GREEN_STATS, GREEN_TLS, GREEN_SLICE_MS (a green\n"
	"thread's time slice, default 10 ms: past it, a hooked call yields; 0: no slices),\n"
	"GREEN_SLICE_US, GREEN_PREEMPT (0: a loop with no hooked call is not preempted).\n"
	"Tools: valgrind and ASan-built programs (ASAN_OPTIONS=verify_asan_link_order=0) run\n"
	"clean; gdb: source libgreen-gdb.py for 'info green' and 'green bt N'.\n"
	"See green(1).\n";

/* Find libgreen.so next to this executable (build tree), in ../lib (installed), or in the
 * configured library directory. Returns 0 and fills out, or -1. */
static int find_library(char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	const char *candidates[3] = { "%s/libgreen.so", "%s/../lib/libgreen.so", NULL };

	if (n > 0) {
		char *slash;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		for (int i = 0; candidates[i]; i++) {
			char path[PATH_MAX + 32];
			snprintf(path, sizeof path, candidates[i], exe);
			if (access(path, R_OK) == 0 && realpath(path, out))
				return 0;
		}
	}
	snprintf(out, size, "%s/libgreen.so", GREEN_LIBDIR);
	return access(out, R_OK) == 0 ? 0 : -1;
}

/* Warn when the dynamic loader will ignore LD_PRELOAD for cmd: setuid/setgid executables and
 * static ones (no PT_INTERP program header). */
static void check_target(const char *cmd)
{
	char path[PATH_MAX];
	struct stat st;
	FILE *f;

	if (strchr(cmd, '/'))
		snprintf(path, sizeof path, "%s", cmd);
	else {
		const char *p = getenv("PATH");
		char dir[PATH_MAX];
		path[0] = '\0';
		while (p && *p) {
			size_t n = strcspn(p, ":");
			snprintf(dir, sizeof dir, "%.*s/%s", (int)n, p, cmd);
			if (access(dir, X_OK) == 0) {
				snprintf(path, sizeof path, "%s", dir);
				break;
			}
			p += n + (p[n] == ':');
		}
	}
	if (!path[0] || stat(path, &st))
		return;
	if (st.st_mode & (S_ISUID | S_ISGID))
		fprintf(stderr, "green: %s is setuid/setgid: the loader ignores LD_PRELOAD, it will run natively\n", cmd);
	if ((f = fopen(path, "rb"))) {
		Elf64_Ehdr eh;
		bool interp = false, elf = false;
		if (fread(&eh, sizeof eh, 1, f) == 1 && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
		    eh.e_ident[EI_CLASS] == ELFCLASS64) {
			elf = true;
			for (int i = 0; i < eh.e_phnum; i++) {
				Elf64_Phdr ph;
				if (fseek(f, (long)(eh.e_phoff + (Elf64_Off)i * eh.e_phentsize), SEEK_SET) ||
				    fread(&ph, sizeof ph, 1, f) != 1)
					break;
				interp |= ph.p_type == PT_INTERP;
			}
		}
		fclose(f);
		if (elf && !interp)
			fprintf(stderr, "green: %s is statically linked: LD_PRELOAD cannot apply, it will run natively\n", cmd);
	}
}

/* The glibc tunables that halve a green thread's TLS (static TLS 4.2 -> 2.8 KiB): no dlmopen
 * namespaces beyond the first, no optional static TLS surplus. Each is added unless the user
 * set it already. */
static int set_tunables(void)
{
	static const char *const add[] = { "glibc.rtld.nns=1", "glibc.rtld.optional_static_tls=0" };
	const char *old = getenv("GLIBC_TUNABLES");
	char v[4096];
	size_t len = 0;

	if (old)
		len = (size_t)snprintf(v, sizeof v, "%s", old);
	for (unsigned i = 0; i < sizeof add / sizeof *add; i++) {
		size_t key = strcspn(add[i], "=");
		if (old && memmem(old, strlen(old), add[i], key)) /* the user's own value wins */
			continue;
		len += (size_t)snprintf(v + len, len < sizeof v ? sizeof v - len : 0, "%s%s", len ? ":" : "", add[i]);
	}
	return len < sizeof v ? setenv("GLIBC_TUNABLES", v, 1) : 0;
}

/* Put lib first in LD_PRELOAD, keeping whatever was there (without a duplicate of lib). */
static int set_preload(const char *lib)
{
	const char *old = getenv("LD_PRELOAD");
	size_t len = strlen(lib) + (old ? strlen(old) : 0) + 2;
	char *v = malloc(len), *copy, *tok, *save;

	if (!v)
		return -1;
	strcpy(v, lib);
	if (old && (copy = strdup(old))) {
		for (tok = strtok_r(copy, ": ", &save); tok; tok = strtok_r(NULL, ": ", &save)) {
			if (strcmp(tok, lib) == 0)
				continue;
			strcat(v, ":");
			strcat(v, tok);
		}
		free(copy);
	}
	return setenv("LD_PRELOAD", v, 1);
}

int main(int argc, char **argv)
{
	char lib[PATH_MAX];
	bool tunables = true, self_test = false;
	int i;

	if (argc == 2 && !strcmp(argv[1], "--self-test-run")) /* the child of --self-test */
		return green_selftest_run();
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(a, "--version")) {
			printf("green (libgreen) %s\n", GREEN_VERSION);
			return 0;
		} else if (!strncmp(a, "--stack-size=", 13)) {
			/* Values go to the variables as given: libgreen checks them at start, so a bad
			 * one gets the same line and default whichever way it came. */
			setenv("GREEN_STACK_SIZE", a + 13, 1);
		} else if (!strcmp(a, "--disable")) {
			setenv("GREEN_DISABLE", "1", 1);
		} else if (!strcmp(a, "--debug")) {
			setenv("GREEN_DEBUG", "1", 1);
		} else if (!strncmp(a, "--debug=", 8)) {
			setenv("GREEN_DEBUG", a + 8, 1);
		} else if (!strncmp(a, "--threadpool=", 13)) {
			setenv("GREEN_THREADPOOL", a + 13, 1);
		} else if (!strncmp(a, "--monitor=", 10)) {
			setenv("GREEN_MONITOR_MS", a + 10, 1);
		} else if (!strncmp(a, "--dump-signal=", 14)) {
			setenv("GREEN_DUMP_SIGNAL", a + 14, 1);
		} else if (!strncmp(a, "--monitor-signal=", 17)) {
			setenv("GREEN_MONITOR_SIGNAL", a + 17, 1);
		} else if (!strcmp(a, "--no-backtrace")) {
			setenv("GREEN_BACKTRACE", "0", 1);
		} else if (!strcmp(a, "--no-overflow-report")) {
			setenv("GREEN_OVERFLOW", "0", 1);
		} else if (!strcmp(a, "--stats")) {
			setenv("GREEN_STATS", "1", 1);
		} else if (!strcmp(a, "--no-inherit")) {
			setenv("GREEN_INHERIT", "0", 1);
		} else if (!strncmp(a, "--tls=", 6)) {
			setenv("GREEN_TLS", a + 6, 1);
		} else if (!strcmp(a, "--no-tunables")) {
			tunables = false;
		} else if (!strcmp(a, "--self-test")) {
			self_test = true;
		} else if (!strncmp(a, "--deadlock=", 11)) {
			setenv("GREEN_DEADLOCK", a + 11, 1);
		} else {
			fprintf(stderr, "green: unknown option '%s'\n%s", a, usage);
			return 2;
		}
	}
	if (i >= argc && !self_test) {
		fputs(usage, stderr);
		return 2;
	}
	if (find_library(lib, sizeof lib)) {
		fprintf(stderr, "green: cannot find libgreen.so (looked next to the launcher, in ../lib and in %s)\n",
			GREEN_LIBDIR);
		return 127;
	}
	if (self_test)
		return green_selftest(lib, argv[0]);
	{
		const char *tls = getenv("GREEN_TLS");
		if (tunables && !(tls && !strcmp(tls, "shared")) && set_tunables()) {
			perror("green: setenv");
			return 127;
		}
	}
	if (set_preload(lib)) {
		perror("green: setenv");
		return 127;
	}
	check_target(argv[i]);
	execvp(argv[i], argv + i);
	fprintf(stderr, "green: %s: %s\n", argv[i], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
