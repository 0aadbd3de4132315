/* SPDX-License-Identifier: MIT
 * POSIX message queue logic: a queue descriptor is an fd that is readable when a message
 * waits and writable when there is room. Each try is the kernel's own call with a timeout
 * already past (ETIMEDOUT instead of blocking, whatever the queue's O_NONBLOCK); while it would
 * block, the caller parks on the fd until an edge or its own deadline.
 */
#include "hook.h"

#include "../core/clock.h"
#include "../core/fd.h"
#include "../core/signal.h"
#include "../core/sys.h"

#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <sys/syscall.h>

/* One send or receive, cooperatively. abs: the caller's CLOCK_REALTIME deadline (NULL: none),
 * which the kernel reads and checks first (EFAULT, EINVAL). */
static long mq_run(mqd_t q, bool send, char *buf, size_t len, unsigned *prio_out, unsigned prio_in,
		   const struct timespec *abs)
{
	static const struct timespec past = { 0, 0 };
	struct timespec t, dl;
	int fd = (int)q;
	short ev = send ? POLLOUT : POLLIN;
	long r;

	if (abs && (green_hook_copy_in(&t, abs, sizeof t) || !green_clock_valid(&t)))
		return GREEN_PASS; /* the kernel's EFAULT or EINVAL, at once */
	green_signal_interruptible(true);
	for (;;) {
		int w;
		r = send ? green_sys(SYS_mq_timedsend, fd, buf, len, prio_in, &past)
			 : green_sys(SYS_mq_timedreceive, fd, buf, len, prio_out, &past);
		if (r != -ETIMEDOUT)
			break; /* done, or the kernel's answer (EAGAIN for O_NONBLOCK, EBADF, EMSGSIZE) */
		if (abs) {
			struct timespec left;
			left = green_clock_sub(t, green_clock_now(CLOCK_REALTIME));
			if (left.tv_sec < 0)
				break; /* ETIMEDOUT */
			dl = green_clock_add(green_clock_now(CLOCK_MONOTONIC), left);
		}
		w = green_fd_wait_many(&fd, &ev, 1, abs ? &dl : NULL);
		if (w == -EINTR && green_signal_restart())
			continue;
		if (w && w != -ETIMEDOUT) {
			r = w;
			break;
		}
	}
	green_signal_interruptible(false);
	return r;
}

long green_hook_mq_receive(mqd_t q, char *buf, size_t len, unsigned *prio)
{
	return mq_run(q, false, buf, len, prio, 0, NULL);
}

long green_hook_mq_timedreceive(mqd_t q, char *buf, size_t len, unsigned *prio, const struct timespec *abs)
{
	return mq_run(q, false, buf, len, prio, 0, abs);
}

long green_hook_mq_send(mqd_t q, const char *buf, size_t len, unsigned prio)
{
	return mq_run(q, true, (char *)buf, len, NULL, prio, NULL);
}

long green_hook_mq_timedsend(mqd_t q, const char *buf, size_t len, unsigned prio, const struct timespec *abs)
{
	return mq_run(q, true, (char *)buf, len, NULL, prio, abs);
}

/* glibc's mq_close is a raw close: the fd table forgets the number first. */
long green_hook_mq_close(mqd_t q)
{
	green_fd_forget((int)q);
	return GREEN_PASS;
}

GREEN_EXPORT_RAW(mqd_t, mq_open, (const char *name, int oflag, ...))
{
	mode_t mode = 0;
	struct mq_attr *attr = NULL;
	mqd_t q;

	if (oflag & O_CREAT) {
		va_list ap;
		va_start(ap, oflag);
		mode = va_arg(ap, mode_t);
		attr = va_arg(ap, struct mq_attr *);
		va_end(ap);
	}
	q = GREEN_REAL_CALL(mq_open)(name, oflag, mode, attr);
	if (q >= 0 && green_boot_hooking())
		green_fd_created((int)q);
	return q;
}
