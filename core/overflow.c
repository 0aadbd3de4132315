/* SPDX-License-Identifier: MIT
 * The SIGSEGV/SIGBUS handler runs on the alternate signal stack (the faulting green stack has
 * no room left). A fault address just below the running green thread's stack (in its guard,
 * or a frame that jumped over it by less than 64 KiB) is an overflow: say so, once. Then chain
 * exactly as the kernel would have delivered the fault: to the program's handler, or with the
 * default action restored, return and fault again, so the process ends with SIGSEGV as natively.
 */
#include "overflow.h"

#include "backtrace.h"
#include "log.h"
#include "sched.h"
#include "signal.h"
#include "../preload/boot.h"
#include "../preload/config.h"

#include <errno.h>
#include <stdint.h>

#define OVERFLOW_REACH (64u << 10) /* how far below the stack a fault still counts as overflow */

/* True if addr lies in the overflow zone below g's stack. */
static bool overflow_hit(const struct green_thread *g, uintptr_t addr)
{
	uintptr_t lo = (uintptr_t)g->stack.lo;
	size_t reach = g->stack.guard > OVERFLOW_REACH ? g->stack.guard : OVERFLOW_REACH;

	return lo && addr < lo && addr >= lo - reach;
}

static void overflow_handler(int sig, siginfo_t *info, void *uc)
{
	static int reported;
	int saved = errno, gate = green_boot_gate;
	const struct green_thread *g = green_sched.current;

	if (green_boot_hub_thread && g && g != green_sched.hub && !reported &&
	    overflow_hit(g, (uintptr_t)info->si_addr)) {
		reported = 1;
		green_boot_gate = 0;
		green_log_write("stack overflow in green thread %llu (%s), stack %zu KiB (fault at %p; "
				"raise it with GREEN_STACK_SIZE or pthread_attr_setstacksize)",
				(unsigned long long)g->id, g->name, g->stack.size >> 10, info->si_addr);
		green_backtrace_signal(uc, "    ");
		green_boot_gate = gate;
	}
	/* A fault cannot be ignored: SIG_IGN acts as SIG_DFL, as the kernel forces it. */
	if (!green_signal_chain(sig, info, uc, true))
		green_signal_default(sig, info);
	errno = saved;
}

int green_overflow_install(void)
{
	int r;

	if (!green_config.overflow)
		return 0;
	r = green_signal_own(SIGSEGV, overflow_handler, true);
	return r ? r : green_signal_own(SIGBUS, overflow_handler, true);
}
