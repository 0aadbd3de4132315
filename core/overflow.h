/* SPDX-License-Identifier: MIT
 * Stack overflow of a green thread: a guard-page hit is reported with the thread's name, stack
 * size and backtrace, then the fault goes where it would natively (the program's SIGSEGV
 * handler, or death by SIGSEGV).
 */
#ifndef GREEN_CORE_OVERFLOW_H
#define GREEN_CORE_OVERFLOW_H

/* Take SIGSEGV and SIGBUS (unless GREEN_OVERFLOW=0). Boot, hub OS thread, after the alternate
 * signal stack is installed. Returns 0 or -errno. */
int green_overflow_install(void);

#endif
