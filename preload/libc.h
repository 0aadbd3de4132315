/* SPDX-License-Identifier: MIT
 * The headers of every type and function hooks.def names, and declarations of the entry points
 * glibc's public headers do not declare (old `__`-prefixed exports, _FORTIFY_SOURCE entry
 * points, libstdc++'s guards) for code that calls them by name. Include before anything else.
 */
#ifndef GREEN_PRELOAD_LIBC_H
#define GREEN_PRELOAD_LIBC_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/sendfile.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

/* glibc exports __nanosleep@GLIBC_2.2.6 as an alias of nanosleep; old binaries call it. */
int __nanosleep(const struct timespec *req, struct timespec *rem);

/* libstdc++'s static-initialisation guards (Itanium C++ ABI 3.3.2); the guard is 64 bits. */
int __cxa_guard_acquire(int64_t *guard);
void __cxa_guard_release(int64_t *guard);
void __cxa_guard_abort(int64_t *guard);

/* _FORTIFY_SOURCE entry points (glibc debug/read_chk.c and friends). */
ssize_t __read_chk(int fd, void *buf, size_t len, size_t buflen);
ssize_t __recv_chk(int fd, void *buf, size_t len, size_t buflen, int flags);
ssize_t __recvfrom_chk(int fd, void *buf, size_t len, size_t buflen, int flags,
		       struct sockaddr *addr, socklen_t *addrlen);
int __poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t fdslen);
int __ppoll_chk(struct pollfd *fds, nfds_t n, const struct timespec *ts, const sigset_t *mask,
		size_t fdslen);

char *__fgets_chk(char *buf, size_t size, int n, FILE *fp);
size_t __fread_chk(void *buf, size_t buflen, size_t size, size_t n, FILE *fp);
ssize_t __getdelim(char **line, size_t *cap, int delim, FILE *fp);
int _IO_getc(FILE *fp);
int _IO_putc(int c, FILE *fp);
int __printf_chk(int flag, const char *fmt, ...);
int __fprintf_chk(FILE *fp, int flag, const char *fmt, ...);
int __vprintf_chk(int flag, const char *fmt, va_list ap);
int __vfprintf_chk(FILE *fp, int flag, const char *fmt, va_list ap);

/* Old exported aliases of pthread functions (compat symbols, no longer declared). */
int __pthread_mutex_lock(pthread_mutex_t *m);
int __pthread_mutex_trylock(pthread_mutex_t *m);
int __pthread_mutex_unlock(pthread_mutex_t *m);
int __pthread_rwlock_rdlock(pthread_rwlock_t *rw);
int __pthread_rwlock_tryrdlock(pthread_rwlock_t *rw);
int __pthread_rwlock_wrlock(pthread_rwlock_t *rw);
int __pthread_rwlock_trywrlock(pthread_rwlock_t *rw);
int __pthread_rwlock_unlock(pthread_rwlock_t *rw);
int __pthread_once(pthread_once_t *once, void (*init)(void));
int __pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
void *__pthread_getspecific(pthread_key_t key);
int __pthread_setspecific(pthread_key_t key, const void *value);

#endif
