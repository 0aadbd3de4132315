/* SPDX-License-Identifier: MIT
 * Telling memory checkers about green stacks (HAZARDS H19): valgrind's stack registration and
 * AddressSanitizer's fiber-switch annotations. Both cost nothing when the program does not run
 * under valgrind and is not built with ASan.
 */
#ifndef GREEN_CORE_ANNOTATE_H
#define GREEN_CORE_ANNOTATE_H

#include <stddef.h>

struct green_thread;

/* Look up the ASan runtime's fiber functions (present only in ASan-built programs). Boot. */
void green_annotate_boot(void);

/* True when the program runs under valgrind (which lacks some new system calls, and reports
 * libunwind's memory probing as errors). Any thread. */
int green_annotate_valgrind(void);

/* A stack [lo, lo+size) was mapped (valgrind: register it; returns its id) or is about to be
 * unmapped (deregister id). Hub OS thread. */
unsigned green_annotate_stack_new(void *lo, size_t size);
void green_annotate_stack_gone(unsigned id);

/* Memory libgreen mapped itself [p, p+size) holds pointers to heap objects (thread objects
 * with their timer events): LeakSanitizer must scan it. Hub OS thread. */
void green_annotate_root(void *p, size_t size);

/* A cached stack is handed to a new thread: forget the shadow state a thread abandoned on it
 * (ASan would otherwise report old poisoned frames as overflows). Hub OS thread. */
void green_annotate_stack_reuse(void *lo, size_t size);

/* Nonzero when the program is built with ASan (its fiber functions were found): the switch
 * annotations below are only called then. Written once at boot. */
extern int green_annotate_fibers;

/* Around every context switch from the current thread to next (dying: the current thread
 * never runs again), and on the switched-to side when it resumes or first runs. */
void green_annotate_switch_start(struct green_thread *self, struct green_thread *next, int dying);
void green_annotate_switch_end(struct green_thread *self);

#endif
