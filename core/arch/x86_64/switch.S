/* SPDX-License-Identifier: MIT
 * The x86-64 context switch: the only assembly in libgreen.
 *
 * C prototypes (core/context.h):
 *   void green_context_switch(struct green_context *from, struct green_context *to);
 *   void green_context_fpstate(void *out);   -- stores MXCSR at out+0, x87 CW at out+4
 *   void green_context_switch_wrfs(from, to); -- also loads to->tp into fs (wrfsbase)
 *   void green_context_switch_prctl(from, to); -- the same with arch_prctl(ARCH_SET_FS)
 *   green_context_entry                      -- first frame of every green thread
 *
 * Register policy: a switch is a function call, so only what the SysV ABI makes callee-saved
 * needs saving: rbx, rbp, r12-r15, rsp, plus the MXCSR control bits and the x87 control word
 * (a green thread may change rounding modes). Saved context, from the saved rsp upwards
 * (core/arch/x86_64/context.h, pinned by static asserts in context.c):
 *   +0 MXCSR (4)  +4 x87 CW (2, 2 pad)  +8 r15  +16 r14  +24 r13  +32 r12  +40 rbx  +48 rbp
 *   +56 return address                  total 64 bytes
 */
#include "context.h"

	.text

/* Push the callee-saved registers and FP modes, store rsp into from->sp (rdi). */
	.macro	SWITCH_SAVE
	pushq	%rbp			/* save callee-saved registers on the old stack */
	.cfi_adjust_cfa_offset 8
	pushq	%rbx
	.cfi_adjust_cfa_offset 8
	pushq	%r12
	.cfi_adjust_cfa_offset 8
	pushq	%r13
	.cfi_adjust_cfa_offset 8
	pushq	%r14
	.cfi_adjust_cfa_offset 8
	pushq	%r15
	.cfi_adjust_cfa_offset 8
	subq	$8, %rsp		/* room for MXCSR and the x87 control word */
	.cfi_adjust_cfa_offset 8
	stmxcsr	GREEN_CTX_MXCSR(%rsp)	/* save SSE modes */
	fnstcw	GREEN_CTX_FPUCW(%rsp)	/* save x87 modes */
	movq	%rsp, (%rdi)		/* from->sp = rsp */
	.endm

/* On the new stack: restore its FP modes and callee-saved registers, return into it. */
	.macro	SWITCH_RESTORE
	ldmxcsr	GREEN_CTX_MXCSR(%rsp)	/* restore its SSE modes */
	fldcw	GREEN_CTX_FPUCW(%rsp)	/* restore its x87 modes */
	addq	$8, %rsp		/* drop the FP slot */
	.cfi_adjust_cfa_offset -8
	popq	%r15			/* restore its callee-saved registers */
	.cfi_adjust_cfa_offset -8
	popq	%r14
	.cfi_adjust_cfa_offset -8
	popq	%r13
	.cfi_adjust_cfa_offset -8
	popq	%r12
	.cfi_adjust_cfa_offset -8
	popq	%rbx
	.cfi_adjust_cfa_offset -8
	popq	%rbp
	.cfi_adjust_cfa_offset -8
	ret				/* resume where it called the switch */
	.endm

	.globl	green_context_switch
	.hidden	green_context_switch
	.type	green_context_switch, @function
green_context_switch:
	.cfi_startproc
	SWITCH_SAVE
	movq	(%rsi), %rsp		/* rsp = to->sp: now on the new stack */
	SWITCH_RESTORE
	.cfi_endproc
	.size	green_context_switch, .-green_context_switch

/* The same, loading to->tp into the fs base with wrfsbase (FSGSBASE CPUs and kernels). */
	.globl	green_context_switch_wrfs
	.hidden	green_context_switch_wrfs
	.type	green_context_switch_wrfs, @function
green_context_switch_wrfs:
	.cfi_startproc
	SWITCH_SAVE
	movq	GREEN_CTX_TP(%rsi), %rax	/* its thread pointer (TCB) */
	movq	(%rsi), %rsp		/* rsp = to->sp: now on the new stack */
	wrfsbase %rax			/* fs = its TCB: its TLS from here on */
	SWITCH_RESTORE
	.cfi_endproc
	.size	green_context_switch_wrfs, .-green_context_switch_wrfs

/* The same with the arch_prctl(ARCH_SET_FS, to->tp) system call (no FSGSBASE, valgrind). */
	.globl	green_context_switch_prctl
	.hidden	green_context_switch_prctl
	.type	green_context_switch_prctl, @function
green_context_switch_prctl:
	.cfi_startproc
	SWITCH_SAVE
	movq	%rsi, %rbx		/* keep `to` (rbx is saved, and restored from its stack) */
	movq	GREEN_CTX_TP(%rbx), %rsi	/* arg 2: its thread pointer */
	movl	$0x1002, %edi		/* arg 1: ARCH_SET_FS */
	movl	$158, %eax		/* SYS_arch_prctl; clobbers rcx, r11 (not saved) */
	syscall
	movq	(%rbx), %rsp		/* rsp = to->sp: now on the new stack */
	SWITCH_RESTORE
	.cfi_endproc
	.size	green_context_switch_prctl, .-green_context_switch_prctl

	.globl	green_context_fpstate
	.hidden	green_context_fpstate
	.type	green_context_fpstate, @function
green_context_fpstate:
	.cfi_startproc
	stmxcsr	GREEN_CTX_MXCSR(%rdi)	/* *(u32 *)(out + 0) = MXCSR */
	fnstcw	GREEN_CTX_FPUCW(%rdi)	/* *(u16 *)(out + 4) = x87 control word */
	ret
	.cfi_endproc
	.size	green_context_fpstate, .-green_context_fpstate

	.globl	green_context_entry
	.hidden	green_context_entry
	.type	green_context_entry, @function
green_context_entry:
	.cfi_startproc
	.cfi_undefined rip		/* no caller: unwinders and gdb stop here */
	movq	%r13, %rdi		/* fn's argument, placed by green_context_make */
	callq	*%r12			/* fn(arg); rsp is 16-byte aligned here */
	ud2				/* fn never returns */
	.cfi_endproc
	.size	green_context_entry, .-green_context_entry

	.section .note.GNU-stack,"",@progbits
