/* SPDX-License-Identifier: MIT
 * Builds the first frame of a new x86-64 green thread so that the first green_context_switch()
 * to it "returns" into green_context_entry with r12 = fn and r13 = arg.
 */
#include "../../context.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && !defined(GREEN_ARCH_GENERIC)

void green_context_fpstate(void *out);
void green_context_entry(void);

_Static_assert(GREEN_CTX_SIZE == 8 * 8, "switch.S pushes 6 registers, an FP slot and the return address");
_Static_assert(GREEN_CTX_RIP == GREEN_CTX_SIZE - 8, "the return address is the last slot");
_Static_assert(GREEN_CTX_SIZE % 16 == 0, "the frame keeps the stack 16-byte aligned");
_Static_assert(offsetof(struct green_context, tp) == GREEN_CTX_TP, "switch.S reads to->tp there");

void green_context_make(struct green_context *ctx, void *lo, size_t size,
			void (*fn)(void *), void *arg)
{
	uintptr_t top = ((uintptr_t)lo + size) & ~(uintptr_t)15;
	unsigned char *frame = (unsigned char *)(top - GREEN_CTX_SIZE);
	uint64_t slot;

	/* After the switch pops 64 bytes, rsp == top: 16-byte aligned at the call in the entry. */
	memset(frame, 0, GREEN_CTX_SIZE); /* rbp = 0 ends frame-pointer walks too */
	green_context_fpstate(frame);
	slot = (uint64_t)(uintptr_t)fn;
	memcpy(frame + GREEN_CTX_R12, &slot, 8);
	slot = (uint64_t)(uintptr_t)arg;
	memcpy(frame + GREEN_CTX_R13, &slot, 8);
	slot = (uint64_t)(uintptr_t)green_context_entry;
	memcpy(frame + GREEN_CTX_RIP, &slot, 8);
	ctx->sp = frame;
}

#endif
