/* SPDX-License-Identifier: MIT
 * libgreen's only output path: single-line messages on stderr (the one the process started
 * with) or the GREEN_LOG file, through the raw write(2).
 */
#include "log.h"

#include "sys.h"
#include "ownfd.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

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

static int log_file = -1;          /* GREEN_LOG's fd (one of ours), or -1 */
static bool log_started;           /* stderr's identity below is known */
static dev_t log_dev;
static ino_t log_ino;

int green_log_start(const char *path)
{
	struct stat st;
	long fd;

	if (green_sys(SYS_fstat, 2, &st) == 0) {
		log_dev = st.st_dev;
		log_ino = st.st_ino;
	} else {
		log_dev = 0;
		log_ino = 0; /* no stderr at start: nothing to write to but GREEN_LOG */
	}
	log_started = true;
	if (!path)
		return 0;
	fd = green_sys(SYS_openat, AT_FDCWD, path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		green_log_write("cannot open GREEN_LOG=%s (error %ld): writing to stderr", path, -fd);
		return (int)fd;
	}
	log_file = green_ownfd_adopt((int)fd, GREEN_OWNFD_LOG);
	return 0;
}

int green_log_move(int fd)
{
	long to = green_sys(SYS_fcntl, fd, F_DUPFD_CLOEXEC, fd + 1);

	if (to < 0)
		return (int)to;
	__atomic_store_n(&log_file, green_ownfd_adopt((int)to, GREEN_OWNFD_LOG), __ATOMIC_RELEASE);
	green_ownfd_close(fd);
	return 0;
}

/* The fd to write lines to now, or -1 (fd 2 is no longer the stderr we started with). */
static int log_fd(void)
{
	int f = __atomic_load_n(&log_file, __ATOMIC_ACQUIRE);
	struct stat st;

	if (f >= 0 || !log_started)
		return f >= 0 ? f : 2;
	if (green_sys(SYS_fstat, 2, &st) || st.st_dev != log_dev || st.st_ino != log_ino || !log_ino)
		return -1;
	return 2;
}

static void log_raw(const char *buf, size_t len)
{
	int fd = log_fd();

	if (fd >= 0)
		log_raw_fd(fd, buf, len);
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

	int fd = log_fd();

	if (fd < 0)
		return;
	va_start(ap, fmt);
	log_vwrite(fd, fmt, ap);
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
