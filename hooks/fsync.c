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

/* The result or -errno of the offloaded flush; GREEN_PASS when offload is off or impossible. */
static long fsync_do(int fd, bool data_only)
{
	struct fsync_call c = { fd, data_only, 0, 0 };

	if (!green_config.file_offload || green_pool_run(fsync_run, &c))
		return GREEN_PASS;
	return c.result < 0 ? -c.err : c.result;
}

long green_hook_fsync(int fd)
{
	return fsync_do(fd, false);
}

long green_hook_fdatasync(int fd)
{
	return fsync_do(fd, true);
}
