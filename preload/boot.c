/* SPDX-License-Identifier: MIT
 * The .so entry: constructor, destructor and the boot state machine. Booting is lazy: the
 * first hook reached on the main thread (possibly inside another library's constructor, before
 * ours) boots the runtime; our constructor (linked -z initfirst) boots it otherwise.
 */
#include "boot.h"

#include "../core/log.h"
#include "../core/runtime.h"
#include "../core/sys.h"

#include "config.h"
#include "real.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int green_boot_state = GREEN_BOOT_COLD;
long green_boot_errno_off;
__thread int green_boot_gate __attribute__((tls_model("initial-exec")));
__thread int green_boot_hub_thread __attribute__((tls_model("initial-exec")));

static void boot_fork_child(void)
{
	/* The child runs only the thread that forked. If that was a green thread, the runtime
	 * carries on with it alone on a re-initialised hub (the epoll set is shared with the
	 * parent until then); forked from anywhere else (a signal handler, another OS thread),
	 * libgreen passes through from now on. Runs first among the child's atfork handlers. */
	if (__atomic_load_n(&green_boot_state, __ATOMIC_ACQUIRE) == GREEN_BOOT_LIVE &&
	    green_boot_gate && green_runtime_forked() == 0)
		return;
	__atomic_store_n(&green_boot_state, GREEN_BOOT_DISABLED, __ATOMIC_RELEASE);
	green_boot_gate = 0;
	green_boot_hub_thread = 0;
}

/* The process's initial environment when libc's environ is not set up yet (a hook reached
 * from a constructor that runs before libc's initialisation): /proc/self/environ. */
static char **boot_proc_environ(void)
{
	static char buf[65536];
	static char *vars[1024];
	ssize_t len = 0, n;
	int fd = (int)green_sys(SYS_openat, AT_FDCWD, "/proc/self/environ", O_RDONLY | O_CLOEXEC), i = 0;

	if (fd < 0)
		return NULL;
	while (len < (ssize_t)sizeof buf - 1 &&
	       (n = green_sys(SYS_read, fd, buf + len, sizeof buf - 1 - (size_t)len)) > 0)
		len += n;
	green_sys(SYS_close, fd);
	buf[len] = '\0';
	for (char *p = buf; p < buf + len && i < 1023; p += strlen(p) + 1)
		vars[i++] = p;
	vars[i] = NULL;
	return vars;
}

/* GREEN_INHERIT=0: take libgreen out of this process's LD_PRELOAD, so no child (exec,
 * posix_spawn, system, popen) loads it; this process already has. Rewrites the entry in the
 * environment array glibc uses as environ. */
static void boot_strip_preload(char **envp)
{
	static char buf[4096];
	Dl_info self;
	size_t len = 0;

	if (!envp || !dladdr((void *)boot_strip_preload, &self) || !self.dli_fname)
		return;
	for (char **e = envp; *e; e++) {
		char *copy, *tok, *save;
		if (strncmp(*e, "LD_PRELOAD=", 11))
			continue;
		len = (size_t)snprintf(buf, sizeof buf, "LD_PRELOAD=");
		copy = strdup(*e + 11);
		for (tok = copy ? strtok_r(copy, ": ", &save) : NULL; tok; tok = strtok_r(NULL, ": ", &save)) {
			const char *base = strrchr(tok, '/');
			if (!strcmp(tok, self.dli_fname) || !strcmp(base ? base + 1 : tok, "libgreen.so"))
				continue;
			len += (size_t)snprintf(buf + len, len < sizeof buf ? sizeof buf - len : 0, "%s%s",
						len > 11 ? ":" : "", tok);
		}
		free(copy);
		if (len < sizeof buf)
			*e = buf;
		return;
	}
}

/* Boot on the calling thread if it is the main thread and nobody booted yet. envp: the
 * environment to configure from (NULL: environ, else /proc/self/environ). */
static void boot_start(char **envp)
{
	int expect = GREEN_BOOT_COLD;
	int err;

	/* Only the process's main thread becomes the hub's OS thread. */
	if (green_sys(SYS_gettid) != getpid())
		return;
	if (!__atomic_compare_exchange_n(&green_boot_state, &expect, GREEN_BOOT_RESOLVING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	green_real_resolve();
	if (!envp)
		envp = environ ? environ : boot_proc_environ();
	green_config_load(envp);
	if (!green_config.inherit)
		boot_strip_preload(envp == environ || !environ ? envp : environ);
	if (green_config.disable) {
		__atomic_store_n(&green_boot_state, GREEN_BOOT_DISABLED, __ATOMIC_RELEASE);
		return;
	}
	/* Runtimes that synchronise their own threads behind our back cannot run green
	 * (HAZARDS H5, H25): say so and run natively rather than hang. */
	{
		static const struct { const char *symbol, *what; } refuse[] = {
			{ "GOMP_parallel", "OpenMP (libgomp waits with raw futex system calls)" },
			{ "JNI_CreateJavaVM", "a Java virtual machine (it needs preemptible OS threads)" },
			{ "_cgo_init", "the Go runtime (it schedules its own OS threads)" },
		};
		for (unsigned i = 0; i < sizeof refuse / sizeof *refuse; i++)
			if (GREEN_REAL_CALL(dlsym)(RTLD_DEFAULT, refuse[i].symbol)) {
				green_log_write("this program uses %s; running it natively", refuse[i].what);
				__atomic_store_n(&green_boot_state, GREEN_BOOT_DISABLED, __ATOMIC_RELEASE);
				return;
			}
	}
	err = green_runtime_boot();
	if (err) {
		green_log_write("cannot start the hub (error %d); running natively", -err);
		__atomic_store_n(&green_boot_state, GREEN_BOOT_DISABLED, __ATOMIC_RELEASE);
		return;
	}
	pthread_atfork(green_runtime_forking, NULL, boot_fork_child);
#if defined(__x86_64__)
	green_boot_errno_off = (char *)&errno - green_boot_tp();
#endif
	__atomic_store_n(&green_boot_state, GREEN_BOOT_LIVE, __ATOMIC_RELEASE);
	green_boot_hub_thread = 1;
	green_boot_gate = 1;
}

/* GREEN_DEBUG: say which hook passed straight through and why. ret is an address inside the
 * hook (green_boot_slow's return address), named with dladdr (hooks are exported). */
static void boot_debug_pass(const void *ret)
{
	int state = __atomic_load_n(&green_boot_state, __ATOMIC_ACQUIRE);
	const char *why;
	int level = 1;
	Dl_info info;

	switch (state) {
	case GREEN_BOOT_COLD:
	case GREEN_BOOT_RESOLVING: why = "libgreen is not live yet"; break;
	case GREEN_BOOT_DISABLED: why = "libgreen is disabled here"; break;
	case GREEN_BOOT_DYING: why = "the process is exiting"; break;
	default:
		if (!green_boot_hub_thread) {
			why = "not the hub's OS thread (a real thread)";
		} else if (green_runtime_in_hub()) {
			why = "inside the hub";
			level = 2; /* libevent's own calls: every loop */
		} else {
			why = "inside a signal handler";
		}
	}
	if (green_config.debug < level)
		return;
	green_log_write("%s passes through: %s",
			dladdr(ret, &info) && info.dli_sname ? info.dli_sname : "a hook", why);
}

__attribute__((noinline)) bool green_boot_slow(bool may_boot)
{
	if (may_boot && __atomic_load_n(&green_boot_state, __ATOMIC_ACQUIRE) == GREEN_BOOT_COLD)
		boot_start(NULL);
	if (__builtin_expect(green_config.debug > 0, 0) && !green_boot_gate)
		boot_debug_pass(__builtin_return_address(0));
	return green_boot_gate;
}

/* glibc passes (argc, argv, envp) to ELF constructors; with -z initfirst ours runs before
 * libc's own initialisation has set environ. */
__attribute__((constructor)) static void boot_ctor(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	boot_start(envp);
}

__attribute__((destructor)) static void boot_dtor(void)
{
	if (__atomic_load_n(&green_boot_state, __ATOMIC_ACQUIRE) == GREEN_BOOT_LIVE && green_boot_hub_thread)
		green_runtime_exit();
	/* Destructors run from exit() after every atexit handler (which may still park); from
	 * here on the process is going away: hooks pass through, green threads are abandoned. */
	__atomic_store_n(&green_boot_state, GREEN_BOOT_DYING, __ATOMIC_RELEASE);
	green_boot_gate = 0;
	green_boot_hub_thread = 0;
}
