/* SPDX-License-Identifier: MIT
 * The alternate signal stack libgreen's handlers run on (SA_ONSTACK): a stack overflow leaves
 * no room on the green stack, and a 16 KiB green stack has none for libunwind either.
 */
#ifndef GREEN_CORE_ALTSTACK_H
#define GREEN_CORE_ALTSTACK_H

/* Give the calling (hub) OS thread a 64 KiB alternate signal stack with a guard page, unless
 * the program already installed one (then its stack is used). Boot, once. Returns 0 or -errno. */
int green_altstack_install(void);

#endif
