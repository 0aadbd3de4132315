/* SPDX-License-Identifier: MIT
 * syscall(2): the system call numbers libgreen must see when a program makes them raw. Futex
 * waits and wakes park green threads (hooks/futex.c), io_uring_enter's waits park on the ring
 * (core/uring.c); the fd calls keep the fd table true
 * and libgreen's own fds hidden (hooks/fd.c). Every other number goes straight to the kernel.
 */
#include "hook.h"

#include "../core/uring.h"

#include <stdarg.h>
#include <sys/syscall.h>

GREEN_EXPORT_RAW(long, syscall, (long number, ...))
{
	va_list ap;
	long a[6], r = GREEN_PASS;

	/* Six register-sized arguments, as the kernel takes them; reading unused ones is harmless
	 * on the SysV ABIs we build for. */
	va_start(ap, number);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	switch (number) {
	case SYS_futex:
		if (green_boot_hooking())
			r = green_syscall_futex(a);
		break;
	case SYS_io_uring_enter:
		if (green_boot_hooking()) {
			r = green_uring_enter((int)a[0], (unsigned)a[1], (unsigned)a[2], (unsigned)a[3],
					      (const void *)a[4], (size_t)a[5]);
			r = r == GREEN_URING_PASS ? GREEN_PASS : r;
		}
		break;
	case SYS_close:
	case SYS_close_range:
	case SYS_dup:
#ifdef SYS_dup2
	case SYS_dup2:
#endif
	case SYS_dup3:
	case SYS_fcntl:
	case SYS_ioctl:
	case SYS_setsockopt:
		r = green_syscall_fd(number, a); /* any thread: libgreen's own fds stay hidden */
		break;
	default:
		break;
	}
	if (r != GREEN_PASS)
		return r < 0 ? (errno = (int)-r, -1) : r;
	return GREEN_REAL_CALL(syscall)(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
