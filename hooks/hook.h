/* SPDX-License-Identifier: MIT
 * What every hook file needs: the export attribute, the pass-through gate and the conversion
 * of core's negative errno into libc's conventions.
 */
#ifndef GREEN_HOOKS_HOOK_H
#define GREEN_HOOKS_HOOK_H

#include "../preload/boot.h"
#include "../preload/libc.h"
#include "../preload/real.h"
#include "../core/cancel.h"
#include "../core/log.h"

#include <errno.h>

/* Marks a definition as one of the exported hooks (the version script lists the same names). */
#define GREEN_EXPORT __attribute__((visibility("default")))

/* Run expr (a core call returning 0 or -errno) as a cancellation point: a cancel due on entry
 * or interrupting its park acts (unwinds the thread with PTHREAD_CANCELED); otherwise the
 * result is expr's. */
#define GREEN_CANCEL_POINT(expr) (green_cancel_enter(), green_cancel_leave(expr))

/* libc convention "-1 and errno": r is 0/positive or a negative errno from core. */
static inline int green_hook_errno(int r)
{
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return r;
}

#endif
