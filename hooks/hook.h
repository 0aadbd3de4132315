/* SPDX-License-Identifier: MIT
 * What every hook file needs: the export attribute, the pass-through gate and the conversion
 * of core's negative errno into libc's conventions.
 */
#ifndef GREEN_HOOKS_HOOK_H
#define GREEN_HOOKS_HOOK_H

#include "../preload/boot.h"
#include "../preload/libc.h"
#include "../preload/real.h"
#include "../core/log.h"

#include <errno.h>

/* Marks a definition as one of the exported hooks (the version script lists the same names). */
#define GREEN_EXPORT __attribute__((visibility("default")))

/* The real libc function behind hook `name`. */
#define GREEN_REAL_CALL(name) (green_real()->name)

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
