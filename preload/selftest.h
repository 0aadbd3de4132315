/* SPDX-License-Identifier: MIT
 * The launcher's --self-test (preload/selftest.c).
 */
#ifndef GREEN_PRELOAD_SELFTEST_H
#define GREEN_PRELOAD_SELFTEST_H

/* Run the checks under libgreen.so at lib (a child: this executable with --self-test-run) and
 * print each verdict and the TLS mode libgreen chose. Returns the exit status: 0 when every
 * check the mode promises passed. */
int green_selftest(const char *lib, char *const self_argv0);

/* The child's side (--self-test-run, libgreen preloaded): run the checks, one line each. */
int green_selftest_run(void);

#endif
