/* SPDX-License-Identifier: MIT
 * Sleeping: park the current green thread until a clock reaches a time.
 */
#ifndef GREEN_CORE_SLEEP_H
#define GREEN_CORE_SLEEP_H

#include <time.h>

/* Park until clk (REALTIME, MONOTONIC, BOOTTIME, TAI, *_ALARM) reaches *deadline; never
 * returns early. A deadline already past yields once (other runnable threads run) and returns.
 * Returns 0, -EINTR (a signal handler ran), -ECANCELED (a cancellation interrupted it), or
 * -ENOMEM when no timer could be
 * allocated (the caller then sleeps natively).
 * Green thread only; parks. */
int green_sleep_until(clockid_t clk, const struct timespec *deadline);

#endif
