/* SPDX-License-Identifier: MIT
 * What libgreen does when no green thread can ever run again.
 */
#ifndef GREEN_CORE_DEADLOCK_H
#define GREEN_CORE_DEADLOCK_H

/* No green thread can run and nothing the hub watches can wake one. If a timer of the process
 * is armed (alarm, setitimer, timer_create), its signal still may (a handler that posts a
 * semaphore, or the default action): wait for a signal in the kernel and return. Otherwise
 * report every green thread and what it waits for ("libgreen: deadlock: ...") and exit with
 * status 70 (EX_SOFTWARE); with GREEN_DEADLOCK=hang, block forever as the program would
 * natively (signals still run their handlers). Hub only. */
void green_deadlock_found(void);

#endif
