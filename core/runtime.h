/* SPDX-License-Identifier: MIT
 * The runtime's life cycle, driven from one table of modules (core/runtime.c): start on the
 * main thread, carry on in a fork child, report at exit. preload/boot.c's only way into core.
 */
#ifndef GREEN_CORE_RUNTIME_H
#define GREEN_CORE_RUNTIME_H

#include <stdbool.h>

/* Start every module in table order on the calling (main) OS thread: the main green thread,
 * the hub, then the diagnostics. Returns 0, or the -errno of the first mandatory module that
 * failed (libgreen then runs natively); an optional module (a diagnostic) that fails is
 * reported and left off. Boot machine only, once. */
int green_runtime_boot(void);

/* In a fork child whose forking thread is green: keep that green thread alone and let each
 * module drop what belonged to the parent, in table order. Returns 0 or a negative errno
 * (libgreen then passes through in the child). Fork child, hub OS thread. */
int green_runtime_forked(void);

/* Before fork, in the forking thread (any OS thread): every open file description will be
 * shared with the child. */
void green_runtime_forking(void);

/* At process exit (our destructor), while live on the hub's OS thread: the GREEN_STATS line
 * when asked for. */
void green_runtime_exit(void);

/* True while the hub green thread itself runs (libevent's own calls). Hub OS thread; for the
 * boot machine's GREEN_DEBUG reasons. */
bool green_runtime_in_hub(void);

#endif
