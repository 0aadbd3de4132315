/* SPDX-License-Identifier: MIT
 * fsync and fdatasync: with GREEN_FILE_OFFLOAD=1 they run on the thread pool (a flush to a
 * slow disk would stall every green thread); otherwise straight through.
 */
#include "hook.h"

#include "../core/pool.h"
#include "../preload/config.h"

/* One offloaded flush. */
struct fsync_call {
	int fd;
	bool data_only;
	int result, err;
};

static void fsync_run(void *p)
{
	struct fsync_call *c = p;

	c->result = c->data_only ? GREEN_REAL_CALL(fdatasync)(c->fd) : GREEN_REAL_CALL(fsync)(c->fd);
	c->err = errno;
}

static int fsync_do(int fd, bool data_only)
{
	struct fsync_call c = { fd, data_only, 0, 0 };

	if (!green_config.file_offload || !green_boot_hooking() || green_pool_run(fsync_run, &c))
		return data_only ? GREEN_REAL_CALL(fdatasync)(fd) : GREEN_REAL_CALL(fsync)(fd);
	errno = c.err;
	return c.result;
}

GREEN_EXPORT int fsync(int fd)
{
	return fsync_do(fd, false);
}

GREEN_EXPORT int fdatasync(int fd)
{
	return fsync_do(fd, true);
}
