/* SPDX-License-Identifier: MIT
 * What every hook file needs: the logic functions the contract table (preload/hooks.def) names,
 * GREEN_PASS, and for the hand-written rows the export attribute and the pass-through gate.
 * A logic function green_hook_<name> runs only when its row's gate is open (green), returns
 * core's convention (a result >= 0 or -errno; see the row's RET column) or GREEN_PASS, and never
 * touches errno, the gate or the cancellation bracket: preload/shim.c does.
 */
#ifndef GREEN_HOOKS_HOOK_H
#define GREEN_HOOKS_HOOK_H

#include "../preload/boot.h"
#include "../preload/libc.h"
#include "../preload/real.h"
#include "../core/cancel.h"
#include "../core/fd.h"
#include "../core/log.h"
#include "../core/mem.h"
#include "../core/sched.h"
#include "../core/ownfd.h"
#include "../core/thread.h"

#include <errno.h>
#include <limits.h>

/* The logic's "decline": hand the call to libc's function unchanged (a regular file, a zero
 * timeout, MSG_DONTWAIT, a foreign handle). Never a valid result or -errno. */
#define GREEN_PASS LONG_MIN

/* The "-1 and errno" convention for a logic result r (>= 0, or -errno): errno (*e) set from a
 * failure, else restored to saved. Returns the caller's result. The shim's ERRNO rows and the
 * hand-written variadic hooks (fcntl, open) convert through it. */
static inline long green_hook_ret_errno(long r, int saved, int *e)
{
	if (r < 0) {
		*e = (int)-r;
		return -1;
	}
	*e = saved;
	return r;
}

/* A new fd from a real call (fd, or -1 with errno): the number may carry a stale entry from an
 * unseen close, so the fd table forgets it. Returns fd or -errno. Hub OS thread. */
static inline long green_hook_new_fd(int fd)
{
	if (fd < 0)
		return -errno;
	if (green_ownfd_capturing) /* a library of ours (libevent, libunwind) */
		return green_ownfd_adopt(fd, green_ownfd_capture_owner);
	green_fd_created(fd);
	return fd;
}

/* The same for the two fds of a real pipe/pipe2/socketpair call that returned r. */
static inline long green_hook_new_fds(int r, int fds[2])
{
	if (r)
		return -errno;
	if (green_ownfd_capturing) {
		fds[0] = green_ownfd_adopt(fds[0], green_ownfd_capture_owner);
		fds[1] = green_ownfd_adopt(fds[1], green_ownfd_capture_owner);
		return 0;
	}
	green_fd_created(fds[0]);
	green_fd_created(fds[1]);
	return 0;
}

/* Copy len bytes of the program's src (a timeout, fd sets, iovecs) that the kernel would check:
 * 0, or -EFAULT where the kernel would say EFAULT (never a crash in the hook). Green thread. */
static inline int green_hook_copy_in(void *dst, const void *src, size_t len)
{
	return green_sched_copy_in(dst, src, len);
}

/* The green thread behind handle t, for a hook taking a pthread_t: 0 with *g set, -ESRCH for
 * a finished and reclaimed one, GREEN_PASS for a real pthread (glibc's function handles it).
 * Hub OS thread. */
static inline long green_hook_thread(pthread_t t, struct green_thread **g)
{
	switch (green_thread_lookup(t, g)) {
	case GREEN_HANDLE_GREEN: return 0;
	case GREEN_HANDLE_STALE: return -ESRCH;
	case GREEN_HANDLE_FOREIGN: break;
	}
	return GREEN_PASS;
}

/* One logic function per GREEN_HOOK row, named after the row (aliases share their target's). */
#define GREEN_HOOK(ret, name, params, ...) long green_hook_##name params;
#define GREEN_HOOK_AS(...)
#define GREEN_HOOK_RAW(...)
#include "../preload/hooks.def"
#undef GREEN_HOOK
#undef GREEN_HOOK_AS
#undef GREEN_HOOK_RAW

/* fcntl's waiting record locks (F_SETLKW, F_OFD_SETLKW), run on the thread pool (hooks/flock.c,
 * called by hooks/fd.c): the result or -errno, GREEN_PASS when not offloaded. Green thread. */
long green_flock_fcntl_wait(int fd, int cmd, long arg);

/* syscall(2)'s numbers that libgreen handles (hooks/syscall.c dispatches): a[] are the six
 * raw arguments. The result or -errno, GREEN_PASS to make the call unchanged. Hub OS thread,
 * gate open. Futex waits and wakes (hooks/futex.c); close, close_range, dup*, fcntl, ioctl
 * and setsockopt, which the fd table must see (hooks/fd.c). */
long green_syscall_futex(const long a[6]);

/* The INTR class of each GREEN_HOOK row (preload/shim.c). */
#define GREEN_HOOK(ret, name, ...) extern const unsigned char green_shim_intr_##name;
#define GREEN_HOOK_AS(...)
#define GREEN_HOOK_RAW(...)
#include "../preload/hooks.def"
#undef GREEN_HOOK
#undef GREEN_HOOK_AS
#undef GREEN_HOOK_RAW
long green_syscall_fd(long number, const long a[6]);

/* Marks the definition of a hand-written export (a GREEN_HOOK_RAW row). C name and symbol
 * differ, as in preload/shim.c, so glibc's declarations of the name never clash with ours. */
#define GREEN_EXPORT_RAW(ret, name, params)                                            \
	ret green_export_##name params __asm__(#name) __attribute__((visibility("default"))); \
	ret green_export_##name params

/* glibc reserves the first two real-time signals (nptl/pthreadP.h: SIGCANCEL, SIGSETXID). */
#define SIGCANCEL_GLIBC 32
#define SIGSETXID_GLIBC 33

#endif
