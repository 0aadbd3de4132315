/* SPDX-License-Identifier: MIT
 * libgreen's only output path: single-line messages on stderr through the real write(2).
 */
#include "log.h"

#include "sys.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write all of buf to fd, retrying short writes and EINTR; raw syscall, no hooks. */
static void log_raw_fd(int fd, const char *buf, size_t len)
{
	while (len) {
		long n = green_sys(SYS_write, fd, buf, len);
		if (n == -EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void log_raw(const char *buf, size_t len)
{
	log_raw_fd(2, buf, len);
}

static void log_vwrite(int fd, const char *fmt, va_list ap)
{
	char buf[1024];
	int saved = errno;
	size_t len = sizeof "libgreen: " - 1;
	int n;

	memcpy(buf, "libgreen: ", len);
	n = vsnprintf(buf + len, sizeof buf - len - 1, fmt, ap);
	if (n > 0)
		len += (size_t)n < sizeof buf - len - 1 ? (size_t)n : sizeof buf - len - 2;
	buf[len++] = '\n';
	log_raw_fd(fd, buf, len);
	errno = saved;
}

void green_log_write(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(2, fmt, ap);
	va_end(ap);
}

void green_log_write_fd(int fd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(fd, fmt, ap);
	va_end(ap);
}

_Noreturn void green_log_panic(const char *what, const char *file, int line)
{
	char num[16];
	int i = (int)sizeof num;

	/* itoa by hand: snprintf is not async-signal-safe. */
	do {
		num[--i] = (char)('0' + line % 10);
		line /= 10;
	} while (line && i > 0);
	log_raw("libgreen: panic: ", 17);
	log_raw(what, strlen(what));
	log_raw(" (", 2);
	log_raw(file, strlen(file));
	log_raw(":", 1);
	log_raw(num + i, sizeof num - (size_t)i);
	log_raw(")\n", 2);
	abort();
}
