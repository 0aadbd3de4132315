/* SPDX-License-Identifier: MIT
 * Declarations of libc entry points that libgreen hooks or calls but glibc's public headers
 * do not declare (old `__`-prefixed exports). Include before anything that names them.
 */
#ifndef GREEN_PRELOAD_LIBC_H
#define GREEN_PRELOAD_LIBC_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

/* glibc exports __nanosleep@GLIBC_2.2.6 as an alias of nanosleep; old binaries call it. */
int __nanosleep(const struct timespec *req, struct timespec *rem);

#endif
