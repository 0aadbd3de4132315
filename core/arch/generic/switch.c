/* SPDX-License-Identifier: MIT
 * Portable context switch on ucontext (makecontext/swapcontext) for architectures without
 * switch.S, or when built with GREEN_ARCH=generic. Slower (swapcontext saves the signal mask
 * with a system call) but correct; the FP environment is part of the ucontext.
 */
#include "../../context.h"

#if !defined(__x86_64__) || defined(GREEN_ARCH_GENERIC)

#include <stdint.h>

/* makecontext passes int arguments only: split the two pointers into 32-bit halves. */
static void generic_entry(unsigned fn_hi, unsigned fn_lo, unsigned arg_hi, unsigned arg_lo)
{
	void (*fn)(void *) = (void (*)(void *))(((uintptr_t)fn_hi << 16 << 16) | fn_lo);
	void *arg = (void *)(((uintptr_t)arg_hi << 16 << 16) | arg_lo);

	fn(arg);
	__builtin_trap(); /* fn never returns */
}

void green_context_switch(struct green_context *from, struct green_context *to)
{
	swapcontext(&from->uc, &to->uc);
}

void green_context_make(struct green_context *ctx, void *lo, size_t size,
			void (*fn)(void *), void *arg)
{
	uintptr_t f = (uintptr_t)fn, a = (uintptr_t)arg;

	getcontext(&ctx->uc); /* inherits the caller's FP environment and signal mask */
	ctx->uc.uc_stack.ss_sp = lo;
	ctx->uc.uc_stack.ss_size = size;
	ctx->uc.uc_link = NULL;
	makecontext(&ctx->uc, (void (*)(void))generic_entry, 4, (unsigned)(f >> 16 >> 16),
		    (unsigned)f, (unsigned)(a >> 16 >> 16), (unsigned)a);
}

#endif
