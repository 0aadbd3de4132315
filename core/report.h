/* SPDX-License-Identifier: MIT
 * Describing green threads for people: one line per thread (id, name, state, what it waits
 * for and for how long) and its backtrace. Used by the deadlock report, the dump signal, the
 * hub monitor and the stack-overflow report.
 */
#ifndef GREEN_CORE_REPORT_H
#define GREEN_CORE_REPORT_H

#include "thread.h"

/* A short English name for what a thread parked with why waits for ("sleep", "mutex", ...). */
const char *green_report_wait_name(enum green_wait why);

/* Write "libgreen: <prefix>green thread N (name) <state> [in <wait> <object>] for X s
 * [, timeout in Y s]" and, when with_backtrace, g's frames indented under it. g must not be
 * running (its saved context is read). Hub OS thread; safe in a signal handler. */
void green_report_thread(const char *prefix, const struct green_thread *g, int with_backtrace);

/* Write every green thread but the hub (and the running one, which only a signal handler can
 * show: pass its context as uc, or NULL), each with its backtrace, under a header line.
 * Hub OS thread; safe in a signal handler. */
void green_report_all(const char *header, void *uc);

#endif
