/* SPDX-License-Identifier: MIT
 * The boot state machine (cold -> resolving -> live -> dying, or -> disabled) and the gate
 * every hook checks first: act, or pass straight through to libc.
 */
#ifndef GREEN_PRELOAD_BOOT_H
#define GREEN_PRELOAD_BOOT_H

#include <stdbool.h>

enum green_boot_state {
	GREEN_BOOT_COLD,      /* nothing done yet: hooks pass through and try to boot */
	GREEN_BOOT_RESOLVING, /* the main thread is booting: hooks pass through */
	GREEN_BOOT_LIVE,      /* the runtime runs: hooks act on the hub's OS thread */
	GREEN_BOOT_DISABLED,  /* GREEN_DISABLE=1, boot failed, or a fork child: pass through forever */
	GREEN_BOOT_DYING,     /* our destructor ran (process exit): pass through forever */
};

/* The current state; atomics only. Written by the boot machine, read by anyone. */
extern int green_boot_state;

/* Per OS thread (initial-exec TLS, no allocation): 1 when a hook called on this thread may
 * park, i.e. the runtime is live, this is the hub's OS thread and the running green thread is
 * not the hub. Written by the boot machine and by core's scheduler on every switch (0 while the
 * hub runs), later by signal-handler wrappers. */
extern __thread int green_boot_gate __attribute__((tls_model("initial-exec")));

/* Per OS thread: 1 on the hub's OS thread while the runtime is live (also inside signal
 * handlers and the hub, where the gate is closed). Written by the boot machine. */
extern __thread int green_boot_hub_thread __attribute__((tls_model("initial-exec")));

/* errno's offset from the thread pointer (set before the gate first opens): the same in every
 * TCB, libc's TLS block being static. A hook whose gate is open reaches the running thread's
 * errno with green_boot_errno() instead of a call to __errno_location. */
extern long green_boot_errno_off;

#if defined(__x86_64__)
/* The running thread's thread pointer (its glibc TCB). Any thread. */
static inline char *green_boot_tp(void)
{
	char *tp;

	__asm__ volatile("mov %%fs:0, %0" : "=r"(tp)); /* header.tcb: the thread pointer */
	return tp;
}
#endif

static inline int *green_boot_errno(void)
{
#if defined(__x86_64__)
	return (int *)(green_boot_tp() + green_boot_errno_off);
#else
	extern int *__errno_location(void);
	return __errno_location();
#endif
}

/* Slow half of green_boot_hooking()/green_boot_starting(): with may_boot, when cold, boot on
 * the main thread first. Returns the gate. */
bool green_boot_slow(bool may_boot);

/* True when the calling hook should act (park, emulate); false when it must call libc.
 * Never boots: a hook reached before boot, while resolving or booting (from the program's
 * allocator, another library's constructor, dlsym's error path) passes through. Any thread,
 * any time, including before our constructor; never blocks. */
static inline bool green_boot_hooking(void)
{
	if (__builtin_expect(green_boot_gate, 1))
		return true;
	return green_boot_slow(false);
}

/* green_boot_hooking() for the hooks that create threads (pthread_create, thrd_create): a
 * thread created before our constructor ran (from a constructor that runs first) boots the
 * runtime on the main thread so that the new thread is green. Same contract otherwise. */
static inline bool green_boot_starting(void)
{
	if (__builtin_expect(green_boot_gate, 1))
		return true;
	return green_boot_slow(true);
}

#endif
