/* SPDX-License-Identifier: MIT
 * libgreen's own OS threads (the thread pool, the hub monitor): real, detached, and with every
 * signal blocked, so that process-directed signals always reach the hub's OS thread, where
 * the program's threads live.
 */
#ifndef GREEN_CORE_HELPER_H
#define GREEN_CORE_HELPER_H

#include <stddef.h>

/* Start fn(arg) on a new detached OS thread with stack_size bytes of stack (0: the default)
 * and all signals blocked. Returns 0 or -errno. Any thread. */
int green_helper_start(void *(*fn)(void *), void *arg, size_t stack_size);

#endif
