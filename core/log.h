/* SPDX-License-Identifier: MIT
 * Logging ("libgreen: " lines on stderr), debug tracing of hook decisions, panics and
 * never-compiled-out assertions.
 */
#ifndef GREEN_CORE_LOG_H
#define GREEN_CORE_LOG_H

#include "../preload/config.h"

/* Where lines go from now on: the GREEN_LOG file (path, NULL: none), else the stderr the
 * process has now, for as long as fd 2 still is that file: a daemon that made fd 2 something
 * else (a client's socket) gets no diagnostics written into it. Boot. 0 or -errno (the file
 * could not be opened: stderr it is). */
int green_log_start(const char *path);

/* The GREEN_LOG file's fd is wanted by the program (core/ownfd.h): move it. 0 or -errno. */
int green_log_move(int fd);

/* Format one line ("libgreen: " + message + "\n") into a stack buffer and write it to the log
 * (above) with the raw write(2): no malloc, no stdio lock. Any thread. Never parks. errno
 * preserved. */
void green_log_write(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* green_log_write to fd instead of stderr. Any thread. Never parks. errno preserved. */
void green_log_write_fd(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Log when GREEN_DEBUG >= level (1: decisions such as pass-through and why; 2: every park). */
#define green_log_debug(level, ...)                                      \
	do {                                                             \
		if (__builtin_expect(green_config.debug >= (level), 0))  \
			green_log_write(__VA_ARGS__);                    \
	} while (0)

/* Write "libgreen: panic: <what> (<file>:<line>)" with raw write(2) and abort(). Any thread,
 * async-signal-safe, no malloc. */
_Noreturn void green_log_panic(const char *what, const char *file, int line);

/* An invariant check that is never compiled out. */
#define GREEN_ASSERT(cond) \
	((cond) ? (void)0 : green_log_panic("assertion failed: " #cond, __FILE__, __LINE__))

#endif
