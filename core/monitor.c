/* SPDX-License-Identifier: MIT
 * The monitor thread samples the scheduler's switch counter every half period; an unchanged
 * counter while a green thread (not the idle hub) is current means that thread has held the
 * OS thread for at least the period. It reads scheduler fields racily, which is fine for a
 * report: thread objects are never unmapped.
 *
 * Where the thread is: /proc/self/task/<hub>/syscall says whether the hub's OS thread sits in
 * a system call (a call libgreen passed through) or runs user code (a busy loop). For a system
 * call the monitor reports the call and the address it was made from, and sends no signal (a
 * signal would make sleeps and polls fail with EINTR). For user code it queues
 * GREEN_MONITOR_SIGNAL to the hub's OS thread; the handler there prints the report with the
 * backtrace of the interrupted code.
 */
#include "monitor.h"
#include "sys.h"

#include "backtrace.h"
#include "clock.h"
#include "helper.h"
#include "log.h"
#include "preempt.h"
#include "sched.h"
#include "signal.h"
#include "../preload/boot.h"
#include "../preload/config.h"
#include "../preload/real.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MONITOR_MAGIC 0x6d6f6e69 /* "moni": si_value of the monitor's own signal */

/* The stall the handler should report: ms > 0 while a request is outstanding. */
static volatile long monitor_stall_ms;

static void monitor_handler(int sig, siginfo_t *info, void *uc)
{
	int saved = errno, gate = green_boot_gate;
	const struct green_thread *g = green_sched.current;
	long ms = monitor_stall_ms;

	if (green_preempt_ours(info)) {
		green_preempt_signal(uc);
		return;
	}
	if (info->si_code != SI_QUEUE || info->si_pid != getpid() ||
	    info->si_value.sival_int != MONITOR_MAGIC) {
		/* Not ours: the program's action (SIG_DFL of SIGURG, the default, ignores it). */
		if (!green_signal_chain(sig, info, uc, false))
			green_signal_default(sig, info);
		errno = saved;
		return;
	}
	if (ms <= 0)
		return;
	green_boot_gate = 0;
	if (g && g != green_sched.hub && !green_sched.switching) {
		green_log_write("green thread %llu (%s) blocked the hub for %ld ms (other green threads "
				"cannot run: a busy loop?); it is running:",
				(unsigned long long)g->id, g->name, ms);
		green_backtrace_signal(uc, "    ");
	}
	monitor_stall_ms = 0;
	green_boot_gate = gate;
	errno = saved;
}

/* Name a few system calls a program typically blocks in. */
static const char *monitor_syscall_name(long nr)
{
	switch (nr) {
	case SYS_read: return "read";
	case SYS_write: return "write";
	case SYS_pread64: return "pread64";
	case SYS_pwrite64: return "pwrite64";
	case SYS_nanosleep: return "nanosleep";
	case SYS_clock_nanosleep: return "clock_nanosleep";
	case SYS_poll: return "poll";
	case SYS_ppoll: return "ppoll";
	case SYS_select: return "select";
	case SYS_pselect6: return "pselect6";
	case SYS_epoll_wait: return "epoll_wait";
	case SYS_epoll_pwait: return "epoll_pwait";
	case SYS_futex: return "futex";
	case SYS_wait4: return "wait4";
	case SYS_waitid: return "waitid";
	case SYS_accept: return "accept";
	case SYS_accept4: return "accept4";
	case SYS_connect: return "connect";
	case SYS_recvfrom: return "recvfrom";
	case SYS_sendto: return "sendto";
	case SYS_recvmsg: return "recvmsg";
	case SYS_sendmsg: return "sendmsg";
	case SYS_openat: return "openat";
	case SYS_flock: return "flock";
	case SYS_fcntl: return "fcntl";
	case SYS_fsync: return "fsync";
	case SYS_fdatasync: return "fdatasync";
	case SYS_pause: return "pause";
	case SYS_rt_sigsuspend: return "rt_sigsuspend";
	case SYS_rt_sigtimedwait: return "rt_sigtimedwait";
	}
	return "?";
}

/* Read the hub's /proc syscall line: returns the system call number, -1 when it runs user
 * code, -2 when unknown. Sets *pc to the user address the call was made from. */
static long monitor_hub_syscall(unsigned long *pc)
{
	char path[64], line[256];
	int fd;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/self/task/%d/syscall", getpid());
	fd = green_real()->open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -2;
	n = green_real()->read(fd, line, sizeof line - 1);
	green_real()->close(fd);
	if (n <= 0)
		return -2;
	line[n] = '\0';
	if (!strncmp(line, "running", 7))
		return -1;
	{
		/* "nr arg1 ... arg6 sp pc" */
		char *p = line, *end;
		long nr = strtol(p, &end, 10);
		unsigned long v = 0;
		if (end == p)
			return -2;
		for (int i = 0; i < 8 && *end; i++)
			v = strtoul(end, &end, 16);
		*pc = v;
		return nr;
	}
}

static void monitor_report(const struct green_thread *g, long ms)
{
	unsigned long pc = 0;
	long nr = monitor_hub_syscall(&pc);
	char name[16];

	memcpy(name, g->name, sizeof name);
	name[15] = '\0';
	if (nr >= 0) {
		Dl_info info;
		const char *fn = "?", *obj = "?";
		if (dladdr((void *)pc, &info)) {
			fn = info.dli_sname ? info.dli_sname : "?";
			obj = info.dli_fname ? info.dli_fname : "?";
		}
		green_log_write("green thread %llu (%s) blocked the hub for %ld ms in system call %s (%ld), "
				"made at 0x%lx in %s (%s): a blocking call libgreen passed through",
				(unsigned long long)g->id, name, ms, monitor_syscall_name(nr), nr, pc, fn,
				obj);
		return;
	}
	if (green_backtrace_init_done()) {
		union sigval v = { .sival_int = MONITOR_MAGIC };
		siginfo_t si;
		memset(&si, 0, sizeof si);
		si.si_signo = green_config.monitor_signal;
		si.si_code = SI_QUEUE;
		si.si_pid = getpid();
		si.si_uid = getuid();
		si.si_value = v;
		monitor_stall_ms = ms;
		if (green_sys(SYS_rt_tgsigqueueinfo, getpid(), getpid(), si.si_signo, &si) == 0) {
			/* Wait a little for the handler; a green thread that blocked the signal gets
			 * the report without a backtrace. */
			for (int i = 0; i < 50 && monitor_stall_ms; i++) {
				struct timespec ms1 = { 0, 1000000 };
				green_real()->nanosleep(&ms1, NULL);
			}
			if (!monitor_stall_ms)
				return;
		}
		monitor_stall_ms = 0;
	}
	green_log_write("green thread %llu (%s) blocked the hub for %ld ms (other green threads cannot "
			"run: a busy loop?)", (unsigned long long)g->id, name, ms);
}

static void *monitor_main(void *unused)
{
	long period = green_config.monitor_ms;
	struct timespec half = { period / 2000, (period % 2000) * 500000 };
	uint64_t last = (uint64_t)-1, since = 0, reported = (uint64_t)-1;

	(void)unused;
	for (;;) {
		uint64_t now_switches, now;
		struct green_thread *g;

		green_real()->nanosleep(&half, NULL);
		if (__atomic_load_n(&green_boot_state, __ATOMIC_ACQUIRE) != GREEN_BOOT_LIVE)
			continue;
		now_switches = __atomic_load_n(&green_sched.switches, __ATOMIC_RELAXED);
		g = __atomic_load_n(&green_sched.current, __ATOMIC_RELAXED);
		if (now_switches != last || !g || g == green_sched.hub) {
			last = now_switches;
			since = green_clock_coarse_ns();
			continue;
		}
		now = green_clock_coarse_ns();
		if (now - since >= (uint64_t)period * 1000000u && reported != now_switches) {
			monitor_report(g, (long)((now - since) / 1000000u));
			reported = now_switches;
		}
	}
	return NULL;
}

int green_monitor_signal_install(void)
{
	/* On the interrupted thread's stack: the preemption handler switches from there. */
	return green_signal_own(green_config.monitor_signal, monitor_handler, false);
}

int green_monitor_start(void)
{
	int r;

	if (green_config.monitor_ms <= 0)
		return 0;
	r = green_monitor_signal_install();
	if (r)
		return r;
	return green_helper_start(monitor_main, NULL, 64 << 10);
}
