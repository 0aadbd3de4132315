/* SPDX-License-Identifier: MIT
 * pthread_exit from any depth of a green thread: a forced unwind of its own stack, as glibc
 * does (nptl/unwind.c), so C++ destructors and __attribute__((cleanup)) run; the unwinder stops
 * at green_context_entry (marked .cfi_undefined rip) and the thread then finishes. glibc's real
 * pthread_exit must never run on a green stack: it would end the hub's OS thread.
 */
#include "thread.h"

#include "cancel.h"
#include "sched.h"

#include <stdbool.h>
#include <stdint.h>

#include <string.h>

/* glibc's exception class for thread exit ("GNUCNPTL"), so C++ personality routines treat it
 * exactly like a native pthread_exit (abi::__forced_unwind). */
#define UNWIND_CLASS 0x474e55434e50544cull

static _Unwind_Reason_Code unwind_stop(int version, _Unwind_Action actions,
				       _Unwind_Exception_Class cls, struct _Unwind_Exception *exc,
				       struct _Unwind_Context *ctx, void *arg)
{
	bool end = actions & _UA_END_OF_STACK;

	(void)version;
	(void)cls;
	(void)exc;
	(void)arg;
	/* C cleanup handlers (pthread_cleanup_push without exceptions) run when the unwind
	 * leaves the function that pushed them: this longjmps into it if so. */
	green_cancel_unwind_frame(end ? 0 : (uintptr_t)_Unwind_GetCFA(ctx), end);
	/* Every frame's cleanups have run when the unwinder reaches the entry frame. */
	if (end)
		green_thread_finish(green_sched_self()->result);
	return _URC_NO_REASON;
}

static void unwind_cleanup(_Unwind_Reason_Code reason, struct _Unwind_Exception *exc)
{
	(void)reason;
	(void)exc;
	/* Called if a catch(...) swallows the forced unwind and the exception is destroyed:
	 * libstdc++ then calls std::terminate, as with a native thread. Nothing of ours to free. */
}

_Noreturn void green_unwind_exit(void *result)
{
	struct green_thread *self = green_sched_self();

	self->exiting = true;
	self->result = result;
	memset(&self->unwind, 0, sizeof self->unwind);
	self->unwind.exception_class = UNWIND_CLASS;
	self->unwind.exception_cleanup = unwind_cleanup;
	_Unwind_ForcedUnwind(&self->unwind, unwind_stop, NULL);
	/* Only returns if some frame has no unwind information (C built without tables):
	 * such frames have no destructors; run the C cleanup handlers left, then finish. */
	green_cancel_unwind_frame(0, true);
	green_thread_finish(result);
}
