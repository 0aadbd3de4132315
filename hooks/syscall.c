/* SPDX-License-Identifier: MIT
 * syscall(2): the system call numbers libgreen must see when a program makes them raw. Futex
 * waits and wakes park green threads (hooks/futex.c), io_uring_enter's waits park on the ring
 * (core/uring.c); the fd calls keep the fd table true and libgreen's own fds hidden
 * (hooks/fd.c); the blocking calls libc has a hook for (read, accept, nanosleep, poll, wait4...)
 * run that hook's logic. Every other number goes straight to the kernel.
 */
#include "hook.h"

#include "../core/signal.h"
#include "../core/uring.h"

#include <stdarg.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>

/* The logic of hook row `row` for a blocking call made raw: in the row's signal class, never a
 * cancellation point (glibc's syscall() is not one). The result or -errno, or GREEN_PASS. */
#define SYSCALL_AS(row, ...)                                                                      \
	({                                                                                        \
		unsigned char prev_ = green_signal_call_begin(green_sched_self(), green_shim_intr_##row); \
		long r_ = green_hook_##row(__VA_ARGS__);                                          \
		green_signal_call_end(green_sched_self(), prev_);                                 \
		r_;                                                                               \
	})

/* The blocking system calls a program may make through syscall(2) instead of libc: each runs
 * its libc function's hook, where the kernel's arguments mean the same (a signal-set size other
 * than the kernel's, waitid's rusage: straight to the kernel). GREEN_PASS for the others. */
static long syscall_blocking(long number, const long a[6])
{
	const size_t ss = _NSIG / 8;
	struct { const sigset_t *set; size_t size; } ps;

	switch (number) {
	case SYS_read: return SYSCALL_AS(read, (int)a[0], (void *)a[1], (size_t)a[2]);
	case SYS_write: return SYSCALL_AS(write, (int)a[0], (const void *)a[1], (size_t)a[2]);
	case SYS_readv: return SYSCALL_AS(readv, (int)a[0], (const struct iovec *)a[1], (int)a[2]);
	case SYS_writev: return SYSCALL_AS(writev, (int)a[0], (const struct iovec *)a[1], (int)a[2]);
	case SYS_recvfrom:
		return SYSCALL_AS(recvfrom, (int)a[0], (void *)a[1], (size_t)a[2], (int)a[3], (struct sockaddr *)a[4],
				  (socklen_t *)a[5]);
	case SYS_sendto:
		return SYSCALL_AS(sendto, (int)a[0], (const void *)a[1], (size_t)a[2], (int)a[3],
				  (const struct sockaddr *)a[4], (socklen_t)a[5]);
	case SYS_recvmsg: return SYSCALL_AS(recvmsg, (int)a[0], (struct msghdr *)a[1], (int)a[2]);
	case SYS_sendmsg: return SYSCALL_AS(sendmsg, (int)a[0], (const struct msghdr *)a[1], (int)a[2]);
	case SYS_recvmmsg:
		return SYSCALL_AS(recvmmsg, (int)a[0], (struct mmsghdr *)a[1], (unsigned)a[2], (int)a[3],
				  (struct timespec *)a[4]);
	case SYS_sendmmsg: return SYSCALL_AS(sendmmsg, (int)a[0], (struct mmsghdr *)a[1], (unsigned)a[2], (int)a[3]);
	case SYS_accept: return SYSCALL_AS(accept, (int)a[0], (struct sockaddr *)a[1], (socklen_t *)a[2]);
	case SYS_accept4: return SYSCALL_AS(accept4, (int)a[0], (struct sockaddr *)a[1], (socklen_t *)a[2], (int)a[3]);
	case SYS_connect: return SYSCALL_AS(connect, (int)a[0], (const struct sockaddr *)a[1], (socklen_t)a[2]);
	case SYS_nanosleep: return SYSCALL_AS(nanosleep, (const struct timespec *)a[0], (struct timespec *)a[1]);
	case SYS_clock_nanosleep:
		return SYSCALL_AS(clock_nanosleep, (clockid_t)a[0], (int)a[1], (const struct timespec *)a[2],
				  (struct timespec *)a[3]);
	case SYS_poll: return SYSCALL_AS(poll, (struct pollfd *)a[0], (nfds_t)a[1], (int)a[2]);
	case SYS_ppoll:
		if (a[3] && (size_t)a[4] != ss)
			return GREEN_PASS;
		return SYSCALL_AS(ppoll, (struct pollfd *)a[0], (nfds_t)a[1], (const struct timespec *)a[2],
				  (const sigset_t *)a[3]);
	case SYS_select:
		return SYSCALL_AS(select, (int)a[0], (fd_set *)a[1], (fd_set *)a[2], (fd_set *)a[3], (struct timeval *)a[4]);
	case SYS_pselect6: /* the sixth argument: { const sigset_t *, size_t } */
		ps.set = NULL;
		if (a[5] && (green_hook_copy_in(&ps, (const void *)a[5], sizeof ps) || (ps.set && ps.size != ss)))
			return GREEN_PASS;
		return SYSCALL_AS(pselect, (int)a[0], (fd_set *)a[1], (fd_set *)a[2], (fd_set *)a[3],
				  (const struct timespec *)a[4], ps.set);
	case SYS_epoll_wait: return SYSCALL_AS(epoll_wait, (int)a[0], (struct epoll_event *)a[1], (int)a[2], (int)a[3]);
	case SYS_epoll_pwait:
		if (a[4] && (size_t)a[5] != ss)
			return GREEN_PASS;
		return SYSCALL_AS(epoll_pwait, (int)a[0], (struct epoll_event *)a[1], (int)a[2], (int)a[3],
				  (const sigset_t *)a[4]);
	case SYS_wait4: return SYSCALL_AS(wait4, (pid_t)a[0], (int *)a[1], (int)a[2], (struct rusage *)a[3]);
	case SYS_waitid:
		if (a[4]) /* the kernel's rusage, which libc's waitid has not */
			return GREEN_PASS;
		return SYSCALL_AS(waitid, (idtype_t)a[0], (id_t)a[1], (siginfo_t *)a[2], (int)a[3]);
	case SYS_pause: return SYSCALL_AS(pause);
	case SYS_rt_sigsuspend:
		if ((size_t)a[1] != ss)
			return GREEN_PASS;
		return SYSCALL_AS(sigsuspend, (const sigset_t *)a[0]);
	case SYS_rt_sigtimedwait:
		if ((size_t)a[3] != ss)
			return GREEN_PASS;
		return SYSCALL_AS(sigtimedwait, (const sigset_t *)a[0], (siginfo_t *)a[1], (const struct timespec *)a[2]);
	case SYS_flock: return SYSCALL_AS(flock, (int)a[0], (int)a[1]);
	case SYS_mq_timedreceive:
		return SYSCALL_AS(mq_timedreceive, (mqd_t)a[0], (char *)a[1], (size_t)a[2], (unsigned *)a[3],
				  (const struct timespec *)a[4]);
	case SYS_mq_timedsend:
		return SYSCALL_AS(mq_timedsend, (mqd_t)a[0], (const char *)a[1], (size_t)a[2], (unsigned)a[3],
				  (const struct timespec *)a[4]);
	case SYS_msgrcv: return SYSCALL_AS(msgrcv, (int)a[0], (void *)a[1], (size_t)a[2], a[3], (int)a[4]);
	case SYS_msgsnd: return SYSCALL_AS(msgsnd, (int)a[0], (const void *)a[1], (size_t)a[2], (int)a[3]);
	case SYS_semop: return SYSCALL_AS(semop, (int)a[0], (struct sembuf *)a[1], (size_t)a[2]);
	case SYS_semtimedop:
		return SYSCALL_AS(semtimedop, (int)a[0], (struct sembuf *)a[1], (size_t)a[2], (const struct timespec *)a[3]);
	default: return GREEN_PASS;
	}
}

GREEN_EXPORT_RAW(long, syscall, (long number, ...))
{
	va_list ap;
	long a[6], r = GREEN_PASS;
	int saved = errno; /* untouched on success, whatever the logic's attempts set */

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
		if (green_boot_hooking())
			r = syscall_blocking(number, a);
		break;
	}
	if (r != GREEN_PASS)
		return r < 0 ? (errno = (int)-r, -1) : (errno = saved, r);
	return GREEN_REAL_CALL(syscall)(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
