/* SPDX-License-Identifier: MIT
 * Reading program-supplied pointers without crashing the hub on a bad address.
 */
#ifndef GREEN_CORE_MEM_H
#define GREEN_CORE_MEM_H

#include <stddef.h>

/* Copy len bytes from the program's src into dst. [lo, hi) is memory known to be readable (the
 * calling thread's stack): copied directly; anything else is read by the kernel. Returns 0, or
 * -EFAULT when src is not readable (the caller then lets the real call report EFAULT). Any
 * thread; at most one system call. */
int green_mem_copy_in(void *dst, const void *src, size_t len, const void *lo, const void *hi);

/* Forget the cached pid (in a fork child). */
void green_mem_forked(void);

#endif
