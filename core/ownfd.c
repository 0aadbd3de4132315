/* SPDX-License-Identifier: MIT
 * The table of libgreen's own fds. With a soft RLIMIT_NOFILE up to OWNFD_TOP_CAP, they go just
 * above it: the soft limit is raised for the moment of the dup and put back, so the program
 * keeps every number below its limit, as natively (an fd above the limit stays valid). With no
 * room under the hard limit they take the top of the program's range; with a larger soft
 * limit, the numbers below OWNFD_TOP_CAP (the kernel sizes its fd table to the highest fd).
 */
#include "ownfd.h"
#include "sys.h"

#include "hub.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#define OWNFD_MAX 32          /* ours at any one time (8 usual: see ownfd.h) */
#define OWNFD_TOP_CAP 4096    /* highest number used: the kernel sizes its table to it */

__thread bool green_ownfd_capturing;
__thread enum green_ownfd_owner green_ownfd_capture_owner;

void green_ownfd_capture(bool on, enum green_ownfd_owner owner)
{
	green_ownfd_capture_owner = owner;
	green_ownfd_capturing = on;
}

static struct ownfd {
	int fd;
	enum green_ownfd_owner owner;
} ownfd_table[OWNFD_MAX];
static int ownfd_n;
static int ownfd_low = 1 << 30; /* no fd below this is ours: the fast answer */

/* Move fd to a high number: a copy with close-on-exec there, fd closed. Returns the copy, or
 * fd when no such number is free (fd then just gets close-on-exec). */
static int ownfd_move_high(int fd)
{
	struct rlimit rl, raised;
	int hi = -1;

	if (green_sys(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &rl))
		rl.rlim_cur = rl.rlim_max = OWNFD_TOP_CAP;
	if (rl.rlim_cur > OWNFD_TOP_CAP) {
		if (fd < OWNFD_TOP_CAP - OWNFD_MAX)
			hi = (int)green_sys(SYS_fcntl, fd, F_DUPFD_CLOEXEC, OWNFD_TOP_CAP - OWNFD_MAX);
	} else {
		/* above the program's limit: raised for this one dup, then put back (the hard limit
		 * too, when it is in the way and we may: CAP_SYS_RESOURCE) */
		raised.rlim_cur = rl.rlim_cur + OWNFD_MAX;
		raised.rlim_max = rl.rlim_max > raised.rlim_cur ? rl.rlim_max : raised.rlim_cur;
		if (fd < (int)rl.rlim_cur && green_sys(SYS_prlimit64, 0, RLIMIT_NOFILE, &raised, NULL) == 0) {
			hi = (int)green_sys(SYS_fcntl, fd, F_DUPFD_CLOEXEC, rl.rlim_cur);
			green_sys(SYS_prlimit64, 0, RLIMIT_NOFILE, &rl, NULL);
		} else if (rl.rlim_cur > OWNFD_MAX + 3 && fd < (int)rl.rlim_cur - OWNFD_MAX) {
			/* no room above: the top of the program's range */
			hi = (int)green_sys(SYS_fcntl, fd, F_DUPFD_CLOEXEC, rl.rlim_cur - OWNFD_MAX);
		}
	}
	if (hi < 0) {
		green_sys(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC);
		return fd;
	}
	green_sys(SYS_close, fd);
	return hi;
}

static void ownfd_recompute_low(void)
{
	int low = 1 << 30;

	for (int i = 0; i < ownfd_n; i++)
		if (ownfd_table[i].fd < low)
			low = ownfd_table[i].fd;
	__atomic_store_n(&ownfd_low, low, __ATOMIC_RELEASE);
}

int green_ownfd_adopt(int fd, enum green_ownfd_owner owner)
{
	if (fd < 0)
		return fd;
	fd = ownfd_move_high(fd);
	if (ownfd_n == OWNFD_MAX) {
		green_log_write("more than %d fds of libgreen's own at once: fd %d is not hidden", OWNFD_MAX, fd);
		return fd;
	}
	ownfd_table[ownfd_n].fd = fd;
	ownfd_table[ownfd_n].owner = owner;
	ownfd_n++;
	if (fd < ownfd_low)
		__atomic_store_n(&ownfd_low, fd, __ATOMIC_RELEASE);
	return fd;
}

static struct ownfd *ownfd_find(int fd)
{
	for (int i = 0; i < ownfd_n; i++)
		if (ownfd_table[i].fd == fd)
			return &ownfd_table[i];
	return NULL;
}

bool green_ownfd_is(int fd)
{
	if (fd < __atomic_load_n(&ownfd_low, __ATOMIC_ACQUIRE))
		return false;
	return ownfd_find(fd) != NULL;
}

void green_ownfd_forget(int fd)
{
	struct ownfd *o = ownfd_find(fd);

	if (!o)
		return;
	*o = ownfd_table[--ownfd_n];
	ownfd_recompute_low();
}

bool green_ownfd_refuse(int fd)
{
	if (!green_ownfd_is(fd))
		return false;
	if (green_ownfd_capturing) {
		green_ownfd_forget(fd);
		return false;
	}
	return true;
}

bool green_ownfd_close(int fd)
{
	if (!ownfd_find(fd))
		return false;
	green_ownfd_forget(fd);
	green_sys(SYS_close, fd);
	return true;
}

int green_ownfd_evict(int fd)
{
	struct ownfd *o = ownfd_find(fd);

	if (!o)
		return 0;
	switch (o->owner) {
	case GREEN_OWNFD_TRANSIENT: /* its one waiter is woken with EBADF and does without */
	case GREEN_OWNFD_LIBUNWIND: /* never used again on kernels with mincore */
		green_ownfd_forget(fd);
		return 0;
	case GREEN_OWNFD_INTERNAL:
		return green_hub_move_internal(fd);
	case GREEN_OWNFD_LIBEVENT:
		return green_hub_rebuild();
	case GREEN_OWNFD_LOG:
		return green_log_move(fd);
	}
	return -EBUSY;
}

int green_ownfd_in_range(unsigned first, unsigned last, int *out, int max)
{
	int n = 0;

	for (int i = 0; i < ownfd_n && n < max; i++) {
		unsigned fd = (unsigned)ownfd_table[i].fd;
		if (fd >= first && fd <= last)
			out[n++] = (int)fd;
	}
	/* insertion sort: a handful */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && out[j - 1] > out[j]; j--) {
			int t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}
