/* SPDX-License-Identifier: MIT
 * Raw system calls: the syscall instruction itself, so no symbol lookup can intercept them.
 * libgreen exports `syscall` (hooks/futex.c), so core and preload must never call libc's
 * syscall(3) by name: it would reach our own hook (a second futex wake, a recursion while the
 * real-function table is being resolved). Header-only: the launcher and unit tests use it too.
 */
#ifndef GREEN_CORE_SYS_H
#define GREEN_CORE_SYS_H

#include <sys/syscall.h>

/* green_sys(nr, a0, ..., a5): the kernel's answer, >= 0 or -errno. Never touches errno, never
 * parks, async-signal-safe; any thread. Unused arguments may be omitted (they are passed as 0). */
#define green_sys(...) green_sys6(GREEN_SYS_PAD(__VA_ARGS__, 0, 0, 0, 0, 0, 0))
#define GREEN_SYS_PAD(nr, a, b, c, d, e, f, ...) \
	(long)(nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f)

#if defined(__x86_64__)
static inline long green_sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d; /* 4th argument: r10, not rcx (syscall clobbers it) */
	register long r8 __asm__("r8") = e;   /* 5th argument */
	register long r9 __asm__("r9") = f;   /* 6th argument */
	long ret;

	__asm__ volatile("syscall"            /* rax = nr in, result out; rdi, rsi, rdx = a, b, c */
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory"); /* the instruction overwrites rcx and r11 */
	return ret;
}
#elif defined(__aarch64__)
static inline long green_sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = nr; /* the call number */
	register long x0 __asm__("x0") = a;  /* arguments in x0..x5; x0 also carries the result */
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ volatile("svc #0"            /* trap into the kernel */
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
}
#else
#error "core/sys.h: add the raw system call sequence for this architecture"
#endif

#endif
