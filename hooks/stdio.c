/* SPDX-License-Identifier: MIT
 * stdio read logic for pipes and sockets (fdopen, popen, stdin when it is a pipe): glibc refills a
 * FILE with internal read calls we cannot hook, so before each refill these hooks wait
 * cooperatively until the fd is readable, and ask for no more than is there, so the refill
 * never blocks the hub (HAZARDS H1). Regular files and buffered data go straight through.
 */
#include "hook.h"

#include "../core/fd.h"
#include "../core/filelock.h"
#include "../core/sys.h"

#include <stdlib.h>
#include <sys/ioctl.h>

/* The fd entry of fp when a refill could block (a pipe, socket or tty the program did not
 * make non-blocking), else NULL. */
static struct green_fd *stdio_fd(FILE *fp, int *fd)
{
	if (fp)
		green_filelock_wait(fp); /* another green thread holds it (flockfile) */
	if (!fp || (*fd = fileno(fp)) < 0)
		return NULL;
	return green_fd_blocking(*fd);
}

/* True if fp has unread bytes in its buffer (glibc's struct _IO_FILE read pointers). */
static bool stdio_buffered(FILE *fp)
{
	return fp->_IO_read_ptr < fp->_IO_read_end;
}

/* Park until a refill of fp cannot block (a non-blocking description never blocks: libc's
 * refill then answers EAGAIN as natively). */
static void stdio_wait(FILE *fp, struct green_fd *f, int fd)
{
	while (!stdio_buffered(fp) && !green_fd_nonblocking(f, fd)) {
		green_fd_wait_ready(f, fd, GREEN_FD_READ);
		if (!green_filelock_busy(fp))
			return;
		green_filelock_wait(fp); /* taken meanwhile (flockfile): after its holder */
	}
}

/* One character, refilling cooperatively; EOF at end of file or error. */
static int stdio_getc(FILE *fp, struct green_fd *f, int fd)
{
	stdio_wait(fp, f, fd);
	return GREEN_REAL_CALL(fgetc)(fp);
}

/* One character: wait, then libc's fgetc (GREEN_PASS) refills without blocking. */
long green_hook_fgetc(FILE *fp)
{
	struct green_fd *f;
	int fd;

	if ((f = stdio_fd(fp, &fd)))
		stdio_wait(fp, f, fd);
	return GREEN_PASS;
}

long green_hook_getchar(void)
{
	return green_hook_fgetc(stdin);
}

/* The multi-refill calls hold fp's lock throughout, so that they stay one call to the other
 * green threads (libc's own lock would, natively). */
static long stdio_fgets(char *buf, int n, FILE *fp, struct green_fd *f, int fd)
{
	int i = 0, c;

	while (i < n - 1) {
		if ((c = stdio_getc(fp, f, fd)) == EOF) {
			if (i == 0 || ferror(fp))
				return 0; /* NULL; errno as fgetc left it */
			break;
		}
		buf[i++] = (char)c;
		if (c == '\n')
			break;
	}
	buf[i] = '\0';
	return (long)(intptr_t)buf;
}

long green_hook_fgets(char *buf, int n, FILE *fp)
{
	struct green_fd *f;
	long r;
	int fd;

	if (n <= 1 || !(f = stdio_fd(fp, &fd)))
		return GREEN_PASS;
	green_filelock_lock(fp);
	r = stdio_fgets(buf, n, fp, f, fd);
	green_filelock_unlock(fp);
	return r;
}

long green_hook___fgets_chk(char *buf, size_t size, int n, FILE *fp)
{
	if ((size_t)n > size)
		return GREEN_PASS;
	return green_hook_fgets(buf, n, fp);
}

static long stdio_getdelim(char **line, size_t *cap, int delim, FILE *fp, struct green_fd *f, int fd)
{
	size_t len = 0;
	int c;

	for (;;) {
		if ((c = stdio_getc(fp, f, fd)) == EOF) {
			if (len == 0 || ferror(fp))
				return -1;
			break;
		}
		if (len + 2 > *cap || !*line) {
			size_t ncap = *cap < 120 ? 120 : *cap * 2;
			char *p = realloc(*line, ncap);
			if (!p)
				return -1; /* realloc set ENOMEM */
			*line = p;
			*cap = ncap;
		}
		(*line)[len++] = (char)c;
		if (c == (unsigned char)delim) /* glibc compares as unsigned char (memchr) */
			break;
	}
	(*line)[len] = '\0';
	return (long)len;
}

long green_hook_getdelim(char **line, size_t *cap, int delim, FILE *fp)
{
	struct green_fd *f;
	long r;
	int fd;

	if (!line || !cap || !(f = stdio_fd(fp, &fd)))
		return GREEN_PASS;
	green_filelock_lock(fp);
	r = stdio_getdelim(line, cap, delim, fp, f, fd);
	green_filelock_unlock(fp);
	return r;
}

long green_hook_getline(char **line, size_t *cap, FILE *fp)
{
	return green_hook_getdelim(line, cap, '\n', fp);
}

long green_hook_fread(void *buf, size_t size, size_t n, FILE *fp)
{
	struct green_fd *f;
	size_t want, got = 0;
	int fd;

	if (!size || !n || !(f = stdio_fd(fp, &fd)) || n > SIZE_MAX / size)
		return GREEN_PASS;
	want = size * n;
	green_filelock_lock(fp);
	/* Byte-granular reads keep every refill non-blocking; whole items are returned. */
	while (got < want) {
		size_t avail;
		int fionread = 0;
		stdio_wait(fp, f, fd);
		avail = (size_t)(fp->_IO_read_end - fp->_IO_read_ptr);
		if (!avail && green_sys(SYS_ioctl, fd, FIONREAD, &fionread) == 0 && fionread > 0)
			avail = (size_t)fionread;
		if (!avail)
			avail = 1; /* EOF or an fd without FIONREAD: one byte cannot block now */
		if (avail > want - got)
			avail = want - got;
		size_t r = GREEN_REAL_CALL(fread)((char *)buf + got, 1, avail, fp);
		got += r;
		if (r < avail)
			break; /* EOF or error, as the real fread reports */
	}
	green_filelock_unlock(fp);
	return (long)(got / size);
}

long green_hook___fread_chk(void *buf, size_t buflen, size_t size, size_t n, FILE *fp)
{
	if (size && n > buflen / size)
		return GREEN_PASS;
	return green_hook_fread(buf, size, n, fp);
}
