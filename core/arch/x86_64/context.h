/* SPDX-License-Identifier: MIT
 * Layout of a suspended x86-64 context, shared by switch.S and the C side (which pins it with
 * static asserts). Offsets are from the saved stack pointer.
 */
#ifndef GREEN_CORE_ARCH_X86_64_CONTEXT_H
#define GREEN_CORE_ARCH_X86_64_CONTEXT_H

#define GREEN_CTX_MXCSR 0   /* 4 bytes: SSE control/status register */
#define GREEN_CTX_FPUCW 4   /* 2 bytes: x87 control word (2 bytes padding follow) */
#define GREEN_CTX_R15 8
#define GREEN_CTX_R14 16
#define GREEN_CTX_R13 24    /* first entry: the argument of fn */
#define GREEN_CTX_R12 32    /* first entry: fn */
#define GREEN_CTX_RBX 40
#define GREEN_CTX_RBP 48
#define GREEN_CTX_RIP 56    /* return address: where the switch resumes */
#define GREEN_CTX_SIZE 64   /* bytes popped by a switch, keeps 16-byte alignment */

/* Offset of tp in struct green_context (core/context.h, pinned in context.c). */
#define GREEN_CTX_TP 8

#endif
