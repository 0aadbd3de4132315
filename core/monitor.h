/* SPDX-License-Identifier: MIT
 * The hub monitor (GREEN_MONITOR_MS): a real OS thread that notices when the running green
 * thread has not let the hub run for too long (a busy loop, or a call that blocked the OS
 * thread) and says which thread it is, once per stall.
 */
#ifndef GREEN_CORE_MONITOR_H
#define GREEN_CORE_MONITOR_H

/* Start the monitor thread if GREEN_MONITOR_MS > 0. Boot thread, once. Returns 0 or -errno. */
int green_monitor_start(void);

/* Install the handler of GREEN_MONITOR_SIGNAL (the monitor's reports and the preemption
 * timer's signal share it; the program's own use of the signal is chained). Idempotent.
 * Hub OS thread. Returns 0 or -errno. */
int green_monitor_signal_install(void);

#endif
