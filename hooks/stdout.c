/* SPDX-License-Identifier: MIT
 * stdio output logic for pipes and sockets (stdout into a pipe, fdopen, popen "w"): glibc flushes with
 * internal write calls we cannot hook, and a full pipe would block the hub. Before an output
 * call that may flush, these hooks wait cooperatively until the fd is writable (a pipe then
 * takes a whole PIPE_BUF-sized buffer at once). A fully buffered stream with room to spare
 * costs nothing extra; regular files go straight through.
 */
#include "hook.h"

#include "../core/fd.h"
#include "../core/filelock.h"

#include <stdarg.h>
#include <stdio_ext.h>
#include <string.h>
#include <limits.h>

/* Bytes of room under which a printf-style call might flush a fully buffered stream. */
#define STDOUT_MARGIN 1024

/* Wait until writing fp's buffer cannot block, if an output of need bytes may flush it. */
static void stdout_wait(FILE *fp, size_t need)
{
	struct green_fd *f;
	int fd;

	if (!fp)
		return;
	/* Until neither another green thread's flockfile nor a full pipe stands in the way. */
	do {
		green_filelock_wait(fp);
		if ((fd = fileno(fp)) < 0 || !(f = green_fd_blocking(fd)))
			return;
		if (!__flbf(fp) && __fbufsize(fp) > 1 && __fbufsize(fp) - __fpending(fp) > need)
			return; /* fully buffered with room: no flush now */
		if (green_fd_nonblocking(f, fd))
			return;
		green_fd_wait_ready(f, fd, GREEN_FD_WRITE);
	} while (green_filelock_busy(fp));
}

/* Each waits, then hands the call to libc's function (GREEN_PASS), whose result and errno the
 * caller sees unchanged. */
long green_hook_fflush(FILE *fp)
{
	if (fp) /* fflush(NULL) flushes every stream: glibc holds its list lock; never park then */
		stdout_wait(fp, SIZE_MAX / 2);
	return GREEN_PASS;
}

/* Larger writes go out in PIPE_BUF pieces through libc's fwrite, each after a writability
 * wait: the result is the items written, errno as fwrite left it. */
long green_hook_fwrite(const void *buf, size_t size, size_t n, FILE *fp)
{
	size_t total = size && n <= SIZE_MAX / size ? size * n : 0, done = 0;

	if (total <= PIPE_BUF) {
		stdout_wait(fp, total);
		return GREEN_PASS;
	}
	green_filelock_lock(fp); /* the pieces stay one write to the other green threads */
	while (done < total) {
		size_t piece = total - done < PIPE_BUF ? total - done : PIPE_BUF;
		size_t w;
		stdout_wait(fp, piece);
		w = GREEN_REAL_CALL(fwrite)((const char *)buf + done, 1, piece, fp);
		done += w;
		if (w < piece)
			break;
	}
	green_filelock_unlock(fp);
	return (long)(done / size);
}

long green_hook_fputs(const char *s, FILE *fp)
{
	stdout_wait(fp, strlen(s));
	return GREEN_PASS;
}

long green_hook_puts(const char *s)
{
	stdout_wait(stdout, strlen(s) + 1);
	return GREEN_PASS;
}

long green_hook_fputc(int c, FILE *fp)
{
	(void)c;
	stdout_wait(fp, 1);
	return GREEN_PASS;
}

long green_hook_putchar(int c)
{
	return green_hook_fputc(c, stdout);
}

/* The va_list is not touched here: libc's function receives it intact. */
long green_hook_vfprintf(FILE *fp, const char *fmt, va_list ap)
{
	(void)fmt;
	(void)ap;
	stdout_wait(fp, STDOUT_MARGIN);
	return GREEN_PASS;
}

long green_hook_vprintf(const char *fmt, va_list ap)
{
	return green_hook_vfprintf(stdout, fmt, ap);
}

/* The _FORTIFY_SOURCE variants (flag: the checking level). */
long green_hook___vfprintf_chk(FILE *fp, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	return green_hook_vfprintf(fp, fmt, ap);
}

long green_hook___vprintf_chk(int flag, const char *fmt, va_list ap)
{
	return green_hook___vfprintf_chk(stdout, flag, fmt, ap);
}

/* Variadic: hand-written, each forwards its arguments to the v-variant's export. */
GREEN_EXPORT_RAW(int, fprintf, (FILE *fp, const char *fmt, ...))
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(fp, fmt, ap);
	va_end(ap);
	return r;
}

GREEN_EXPORT_RAW(int, printf, (const char *fmt, ...))
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

GREEN_EXPORT_RAW(int, __fprintf_chk, (FILE *fp, int flag, const char *fmt, ...))
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = __vfprintf_chk(fp, flag, fmt, ap);
	va_end(ap);
	return r;
}

GREEN_EXPORT_RAW(int, __printf_chk, (int flag, const char *fmt, ...))
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = __vfprintf_chk(stdout, flag, fmt, ap);
	va_end(ap);
	return r;
}
