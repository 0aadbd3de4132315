/* SPDX-License-Identifier: MIT
 * GREEN_STATS=1: one line of runtime statistics on stderr at exit.
 */
#ifndef GREEN_CORE_STATS_H
#define GREEN_CORE_STATS_H

/* Write "libgreen: stats: ..." (threads created, peak alive, switches, hub loop passes, parks
 * by reason, offloaded jobs, longest hub stall). Any time; called at process exit. */
void green_stats_print(void);

#endif
