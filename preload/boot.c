/* SPDX-License-Identifier: MIT
 * The .so entry: constructor, destructor and the boot state machine. Booting is lazy: the
 * first hook reached on the main thread (possibly inside another library's constructor, before
 * ours) boots the runtime; our constructor (linked -z initfirst) boots it otherwise.
 */
#include "boot.h"

#include "config.h"
#include "real.h"

#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int green_boot_state = GREEN_BOOT_COLD;
__thread int green_boot_gate __attribute__((tls_model("initial-exec")));

static void boot_fork_child(void)
{
	/* The child runs only the forking green thread, on its green stack; the hub's epoll set is
	 * shared with the parent, so the child must never touch it: pass through from now on. */
	__atomic_store_n(&green_boot_state, GREEN_BOOT_DISABLED, __ATOMIC_RELEASE);
	green_boot_gate = 0;
	green_sched_forked();
}

/* Boot on the calling thread if it is the main thread and nobody booted yet. */
static void boot_start(void)
{
	int expect = GREEN_BOOT_COLD;
	int err;

	/* Only the process's main thread becomes the hub's OS thread. */
	if (syscall(SYS_gettid) != getpid())
		return;
	if (!__atomic_compare_exchange_n(&green_boot_state, &expect, GREEN_BOOT_RESOLVING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return;
	green_real_resolve();
	green_config_load();
	if (green_config.disable) {
		__atomic_store_n(&green_boot_state, GREEN_BOOT_DISABLED, __ATOMIC_RELEASE);
		return;
	}
	err = green_sched_boot();
	if (err) {
		fprintf(stderr, "libgreen: cannot start the hub (error %d); running natively\n", -err);
		__atomic_store_n(&green_boot_state, GREEN_BOOT_DISABLED, __ATOMIC_RELEASE);
		return;
	}
	pthread_atfork(NULL, NULL, boot_fork_child);
	__atomic_store_n(&green_boot_state, GREEN_BOOT_LIVE, __ATOMIC_RELEASE);
	green_boot_gate = 1;
}

bool green_boot_slow(void)
{
	if (__atomic_load_n(&green_boot_state, __ATOMIC_ACQUIRE) == GREEN_BOOT_COLD)
		boot_start();
	return green_boot_gate;
}

__attribute__((constructor)) static void boot_ctor(void)
{
	boot_start();
}

__attribute__((destructor)) static void boot_dtor(void)
{
	/* Destructors run from exit() after every atexit handler (which may still park); from
	 * here on the process is going away: hooks pass through, green threads are abandoned. */
	__atomic_store_n(&green_boot_state, GREEN_BOOT_DYING, __ATOMIC_RELEASE);
	green_boot_gate = 0;
}
