/* SPDX-License-Identifier: MIT
 * Fault-free reads of program pointers: the kernel copies them with process_vm_readv(2), which
 * answers EFAULT instead of raising SIGSEGV in the hub's process.
 */
#include "mem.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static pid_t mem_pid; /* our pid, cached: getpid(2) is a system call in glibc >= 2.25 */

void green_mem_forked(void)
{
	mem_pid = 0;
}

int green_mem_copy_in(void *dst, const void *src, size_t len, const void *lo, const void *hi)
{
	static int unavailable; /* seccomp or an old kernel refused process_vm_readv once */
	struct iovec local = { dst, len }, remote = { (void *)src, len };
	int saved = errno;

	if (!src)
		return -EFAULT;
	/* Inside the caller's own stack (the usual `struct timespec ts` local): readable. */
	if ((const char *)src >= (const char *)lo && (const char *)src + len <= (const char *)hi) {
		memcpy(dst, src, len);
		return 0;
	}
	if (!unavailable) {
		if (!mem_pid)
			mem_pid = getpid();
		ssize_t n = process_vm_readv(mem_pid, &local, 1, &remote, 1, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0 || errno == EFAULT) {
			errno = saved;
			return -EFAULT;
		}
		errno = saved;
		unavailable = 1; /* ENOSYS/EPERM: fall back to a plain copy (NULL is still caught) */
	}
	memcpy(dst, src, len);
	return 0;
}
