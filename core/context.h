/* SPDX-License-Identifier: MIT
 * Machine contexts of green threads: create one on a fresh stack, switch between two.
 * x86-64 uses core/arch/x86_64/switch.S; other architectures (or GREEN_ARCH=generic) use the
 * portable ucontext fallback in core/arch/generic/switch.c.
 */
#ifndef GREEN_CORE_CONTEXT_H
#define GREEN_CORE_CONTEXT_H

#include <stddef.h>

#if defined(__x86_64__) && !defined(GREEN_ARCH_GENERIC)
#include "arch/x86_64/context.h"
/* A suspended context is just its stack pointer: everything else lives on its stack. */
struct green_context {
	void *sp; /* saved stack pointer, written by green_context_switch() of the leaving side */
	void *tp; /* its thread pointer (fs base: its glibc TCB) when green threads have their
	           * own TLS (core/tls.h); read by the _tls switches; GREEN_CTX_TP in switch.S */
};
#else
#include <ucontext.h>
struct green_context {
	ucontext_t uc; /* glibc's full context, written by swapcontext() of the leaving side */
	void *tp;      /* unused: own TLS per green thread needs the x86-64 switch */
};
#endif

/* Save the caller's callee-saved registers, MXCSR and x87 control word into *from, load *to
 * and continue there. Returns when something switches back to *from. Hub OS thread only;
 * never touches errno (the scheduler saves it). */
void green_context_switch(struct green_context *from, struct green_context *to);

#if defined(__x86_64__) && !defined(GREEN_ARCH_GENERIC)
/* green_context_switch that also loads to->tp into the fs base, in the same routine that moves
 * the stack pointer (no C code runs with one thread's stack and another's TLS): with the
 * wrfsbase instruction (the CPU and kernel must allow it: AT_HWCAP2 FSGSBASE) or with the
 * arch_prctl(ARCH_SET_FS) system call. Same contract as green_context_switch otherwise. */
void green_context_switch_wrfs(struct green_context *from, struct green_context *to);
void green_context_switch_prctl(struct green_context *from, struct green_context *to);
#endif

/* Prepare *ctx so that the first switch to it calls fn(arg) on the stack [lo, lo+size), with the
 * caller's current MXCSR and x87 control word (a new thread inherits its creator's FP modes).
 * fn must never return. The outermost frame is marked so that unwinders (libgcc, libunwind, gdb)
 * stop there. Any thread; cannot fail. */
void green_context_make(struct green_context *ctx, void *lo, size_t size,
			void (*fn)(void *), void *arg);

#endif
