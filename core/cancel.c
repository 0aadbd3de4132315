/* SPDX-License-Identifier: MIT
 * Cancellation. Deferred: a cancel acts in a cancellation point (sleeps, joins, condition and
 * semaphore waits, pthread_testcancel), which a cancel request also wakes. Asynchronous: it
 * also acts at once when requested by the thread itself or when the type or state is switched
 * with one pending, and in a mutex or rwlock wait; a thread that runs without ever parking is
 * not interrupted (no preemption on one OS thread).
 * Cleanup buffers follow glibc's layout (nptl/descr.h struct pthread_unwind_buf): priv.data =
 * { prev, cleanup, canceltype } in __pad.
 */
#include "cancel.h"

#include "sched.h"
#include "../preload/real.h"

#include <errno.h>
#include <setjmp.h>
#include <stdint.h>

/* glibc's jmp_buf slot of the saved rsp on x86-64 (sysdeps/x86_64/jmpbuf-offsets.h), mangled
 * with the thread's pointer guard at %fs:0x30 (PTR_MANGLE: xor guard, rotate left 0x11). */
#define JB_RSP 6
#define POINTER_GUARD_OFFSET 0x30

static __pthread_unwind_buf_t *cancel_prev(__pthread_unwind_buf_t *b)
{
	return (__pthread_unwind_buf_t *)b->__pad[0];
}

int green_cancel_request(struct green_thread *g)
{
	if (g->state == GREEN_DONE || g->exiting)
		return 0;
	g->cancel_pending = true;
	if (g->state == GREEN_PARKED && g->in_cancel_point && !g->cancel_disabled)
		green_sched_ready(g, GREEN_WAKE_CANCEL);
	return 0;
}

bool green_cancel_interrupted(void)
{
	struct green_thread *self = green_sched_self();

	return self->in_cancel_point && self->cancel_pending && !self->cancel_disabled &&
	       !self->exiting;
}

bool green_cancel_async_due(void)
{
	struct green_thread *self = green_sched_self();

	return self->cancel_async && self->cancel_pending && !self->cancel_disabled &&
	       !self->exiting;
}

bool green_cancel_async_begin(void)
{
	struct green_thread *self = green_sched_self();

	if (!self->cancel_async || self->in_cancel_point)
		return false;
	self->in_cancel_point = true;
	return true;
}

void green_cancel_async_end(bool began)
{
	if (began)
		green_sched_self()->in_cancel_point = false;
}

long green_cancel_async_leave(long r)
{
	if (r == -ECANCELED && green_cancel_async_due())
		green_cancel_act();
	return r;
}

void green_cancel_enter(void)
{
	struct green_thread *self = green_sched_self();

	self->in_cancel_point = true;
	if (green_cancel_interrupted())
		green_cancel_act();
}

int green_cancel_leave(int r)
{
	green_sched_self()->in_cancel_point = false;
	if (r == -ECANCELED)
		green_cancel_act();
	return r;
}

_Noreturn void green_cancel_act(void)
{
	struct green_thread *self = green_sched_self();

	self->in_cancel_point = false;
	self->cancel_disabled = true; /* glibc: no second cancel while exiting */
	green_thread_exit(PTHREAD_CANCELED);
}

int green_cancel_set(bool type, int value, int *old)
{
	struct green_thread *self = green_sched_self();

	if (type) {
		if (value != PTHREAD_CANCEL_DEFERRED && value != PTHREAD_CANCEL_ASYNCHRONOUS)
			return -EINVAL;
		if (old)
			*old = self->cancel_async ? PTHREAD_CANCEL_ASYNCHRONOUS : PTHREAD_CANCEL_DEFERRED;
		self->cancel_async = value == PTHREAD_CANCEL_ASYNCHRONOUS;
	} else {
		if (value != PTHREAD_CANCEL_ENABLE && value != PTHREAD_CANCEL_DISABLE)
			return -EINVAL;
		if (old)
			*old = self->cancel_disabled ? PTHREAD_CANCEL_DISABLE : PTHREAD_CANCEL_ENABLE;
		self->cancel_disabled = value == PTHREAD_CANCEL_DISABLE;
	}
	green_cancel_async_leave(-ECANCELED);
	return 0;
}

void green_cancel_push(__pthread_unwind_buf_t *buf, bool defer)
{
	struct green_thread *self = green_sched_self();

	buf->__pad[0] = self->cleanup;
	buf->__pad[1] = NULL;
	if (defer) {
		buf->__pad[2] = (void *)(intptr_t)self->cancel_async;
		self->cancel_async = false;
	}
	self->cleanup = buf;
}

void green_cancel_pop(__pthread_unwind_buf_t *buf, bool restore)
{
	struct green_thread *self = green_sched_self();

	self->cleanup = cancel_prev(buf);
	if (restore)
		self->cancel_async = (intptr_t)buf->__pad[2] != 0;
}

#if defined(__x86_64__)
/* The stack pointer saved by the buffer's setjmp, demangled. */
static uintptr_t cancel_saved_sp(__pthread_unwind_buf_t *buf)
{
	uintptr_t v = (uintptr_t)buf->__cancel_jmp_buf[0].__cancel_jmp_buf[JB_RSP];
	uintptr_t guard = *(uintptr_t *)((char *)__builtin_thread_pointer() + POINTER_GUARD_OFFSET);

	v = (v >> 0x11) | (v << (64 - 0x11)); /* rotate right: undo the mangling rotate */
	return v ^ guard;
}
#endif

void green_cancel_unwind_frame(uintptr_t cfa, bool end_of_stack)
{
	struct green_thread *self = green_sched_self();
	__pthread_unwind_buf_t *buf = self->cleanup;

	if (!buf)
		return;
#if defined(__x86_64__)
	/* glibc's _JMPBUF_CFA_UNWINDS_ADJ: the frame is still inside the pushing function's
	 * callees while its CFA is below the setjmp's stack pointer. */
	if (!end_of_stack && cfa < cancel_saved_sp(buf))
		return;
#else
	(void)cfa;
	if (!end_of_stack)
		return; /* without a known jmp_buf layout: run the handlers at the end */
#endif
	/* Jump into the pthread_cleanup_push block: it runs the handler, then calls
	 * __pthread_unwind_next, which continues from there. */
	/* The buffer holds only jmp_buf + mask_was_saved (0: sigsetjmp(..., 0)), which is all
	 * longjmp reads then; the compiler sees the full struct __jmp_buf_tag type. */
#if defined(__GNUC__) && !defined(__clang__) /* a GCC-only warning group */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#endif
	green_real()->longjmp((struct __jmp_buf_tag *)(void *)buf->__cancel_jmp_buf, 1);
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
}

_Noreturn void green_cancel_unwind_next(__pthread_unwind_buf_t *buf)
{
	struct green_thread *self = green_sched_self();

	self->cleanup = cancel_prev(buf);
	green_unwind_exit(self->result);
}
