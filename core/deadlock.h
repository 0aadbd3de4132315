/* SPDX-License-Identifier: MIT
 * What libgreen does when no green thread can ever run again.
 */
#ifndef GREEN_CORE_DEADLOCK_H
#define GREEN_CORE_DEADLOCK_H

/* Report every green thread and what it waits for on stderr ("libgreen: deadlock: ...") and exit
 * with status 70 (EX_SOFTWARE); with GREEN_DEADLOCK=hang, block forever as the program would
 * natively (signals still run their handlers). Hub only; never returns. */
_Noreturn void green_deadlock_found(void);

#endif
