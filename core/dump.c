/* SPDX-License-Identifier: MIT
 * The dump runs in the signal handler itself, so it also shows a program whose hub is stuck
 * in a busy loop; it only reads thread objects and formats into stack buffers. The signal is
 * libgreen's: a handler the program installs for it is recorded and not called.
 */
#include "dump.h"
#include "sys.h"

#include "report.h"
#include "signal.h"
#include "../preload/boot.h"
#include "../preload/config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void dump_handler(int sig, siginfo_t *info, void *uc)
{
	int saved = errno, gate = green_boot_gate;
	char header[64];

	(void)info;
	/* Green threads live on the process's main OS thread: a signal another thread took is
	 * passed on to it (libgreen's own helper threads block every signal anyway). */
	if (green_sys(SYS_gettid) != getpid()) {
		green_sys(SYS_tgkill, getpid(), getpid(), sig);
		errno = saved;
		return;
	}
	green_boot_gate = 0; /* hooks reached from here (libunwind opening files) pass through */
	snprintf(header, sizeof header, "dump (signal SIG%s)", sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
	green_report_all(header, uc);
	green_boot_gate = gate;
	errno = saved;
}

int green_dump_install(void)
{
	if (!green_config.dump_signal)
		return 0;
	return green_signal_own(green_config.dump_signal, dump_handler, true);
}
