/* SPDX-License-Identifier: MIT
 * GREEN_DUMP_SIGNAL: on that signal, print every green thread (what it waits for, for how long,
 * its backtrace) to stderr, then let the program go on.
 */
#ifndef GREEN_CORE_DUMP_H
#define GREEN_CORE_DUMP_H

/* Take GREEN_DUMP_SIGNAL (if set) for the dump. Boot, hub OS thread, after
 * green_backtrace_init(). Returns 0 or -errno. */
int green_dump_install(void);

#endif
