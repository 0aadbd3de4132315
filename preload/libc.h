/* SPDX-License-Identifier: MIT
 * The headers of every type and function hooks.def names (its rows give each signature), and
 * the one entry point glibc's public headers do not declare that libgreen calls by name.
 * Include before anything else.
 */
#ifndef GREEN_PRELOAD_LIBC_H
#define GREEN_PRELOAD_LIBC_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <liburing.h>
#include <grp.h>
#include <mqueue.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/sendfile.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

/* The _FORTIFY_SOURCE printf entry point the hand-written __printf_chk/__fprintf_chk forward
 * to (glibc debug/vfprintf_chk.c); every other hooked name is typed by its hooks.def row. */
int __vfprintf_chk(FILE *fp, int flag, const char *fmt, va_list ap);

#endif
