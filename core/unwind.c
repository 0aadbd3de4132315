/* SPDX-License-Identifier: MIT
 * pthread_exit from any depth of a green thread: a forced unwind of its own stack, as glibc
 * does (nptl/unwind.c), so C++ destructors and __attribute__((cleanup)) run; the unwinder stops
 * at green_context_entry (marked .cfi_undefined rip) and the thread then finishes. glibc's real
 * pthread_exit must never run on a green stack: it would end the hub's OS thread.
 */
#include "thread.h"

#include "sched.h"

#include <string.h>

/* glibc's exception class for thread exit ("GNUCNPTL"), so C++ personality routines treat it
 * exactly like a native pthread_exit (abi::__forced_unwind). */
#define UNWIND_CLASS 0x474e55434e50544cull

static _Unwind_Reason_Code unwind_stop(int version, _Unwind_Action actions,
				       _Unwind_Exception_Class cls, struct _Unwind_Exception *exc,
				       struct _Unwind_Context *ctx, void *arg)
{
	(void)version;
	(void)cls;
	(void)exc;
	(void)ctx;
	/* Every frame's cleanups have run when the unwinder reaches the entry frame. */
	if (actions & _UA_END_OF_STACK)
		green_thread_finish(arg);
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

	memset(&self->unwind, 0, sizeof self->unwind);
	self->unwind.exception_class = UNWIND_CLASS;
	self->unwind.exception_cleanup = unwind_cleanup;
	_Unwind_ForcedUnwind(&self->unwind, unwind_stop, result);
	/* Only returns if some frame has no unwind information (C built without tables):
	 * such frames have no destructors to run, so finish right here. */
	green_thread_finish(result);
}
