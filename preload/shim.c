/* SPDX-License-Identifier: MIT
 * The boundary: the exported function of every GREEN_HOOK row of hooks.def, generated here and
 * nowhere else. Each one decides, in this order: pass straight through or go green (the row's
 * GATE), save errno, enter a cancellation point (CANCEL), mark the call's signal class
 * (INTR) for core's restart decision, run green_hook_<logic>, leave the point, hand a declined call (GREEN_PASS) to libc, and convert the logic's result to libc's
 * convention (RET), restoring errno on success.
 */
#include "boot.h"
#include "real.h"

#include "../core/cancel.h"
#include "../core/log.h"
#include "../core/ownfd.h"
#include "../core/sched.h"
#include "../core/signal.h"
#include "../core/thread.h"
#include "../hooks/hook.h"

#include <errno.h>
#include <stdint.h>

/* GATE: true when the logic runs. Each takes the call's arguments. */
#define SHIM_GATE_LIVE(...) green_boot_hooking()
#define SHIM_GATE_BOOT(...) green_boot_starting()
#define SHIM_GATE_HUB(...) (green_boot_hooking() || green_boot_hub_thread)
#define SHIM_GATE_ALWAYS(...) 1
#define SHIM_GATE_SIGNAL(sig, ...) shim_signal_gate(sig)
#define SHIM_GATE_HANDLE(...) green_boot_hooking()
#define SHIM_GATE_OWNFD(...) green_boot_hooking()
#define SHIM_GATE_OWNFD2(...) green_boot_hooking()
#define SHIM_GATE_NEWFD(...) (green_boot_hooking() || green_ownfd_capturing)

/* Where errno lives for a call whose gate is open: the running thread's TCB at a known offset
 * for every gate that opens only on the hub's OS thread; wherever the caller runs (libc's
 * __errno_location) for ALWAYS and SIGNAL. */
#define SHIM_ERRNO_LIVE green_boot_errno()
#define SHIM_ERRNO_BOOT green_boot_errno()
#define SHIM_ERRNO_HUB green_boot_errno()
#define SHIM_ERRNO_HANDLE green_boot_errno()
#define SHIM_ERRNO_ALWAYS (&errno)
#define SHIM_ERRNO_SIGNAL (&errno)
#define SHIM_ERRNO_OWNFD green_boot_errno()
#define SHIM_ERRNO_OWNFD2 green_boot_errno()
#define SHIM_ERRNO_NEWFD (&errno) /* also before boot, while libevent starts */

/* sigaction/signal also go to core from any thread, a handler included, for the signals
 * libgreen holds while live: its diagnostics' (the program's action is recorded, not
 * installed) and those whose handler runs through the trampoline (so a query reports it). */
static inline bool shim_signal_gate(int sig)
{
	return green_boot_hooking() ||
	       (green_signal_managed(sig) &&
		__atomic_load_n(&green_boot_state, __ATOMIC_ACQUIRE) == GREEN_BOOT_LIVE);
}

/* A green handle reached a hook whose gate is closed (another OS thread, the hub, process
 * exit): glibc would dereference it as a struct pthread and crash; it gets EINVAL instead. */
static inline bool shim_green_handle(pthread_t t)
{
	struct green_thread *g;

	return __atomic_load_n(&green_boot_state, __ATOMIC_ACQUIRE) == GREEN_BOOT_LIVE &&
	       green_thread_lookup(t, &g) != GREEN_HANDLE_FOREIGN;
}
/* One of libgreen's own fds reached an fd hook whose gate is closed (another OS thread, the
 * hub, before boot): it is not the program's, so EBADF, as for a number not open. libevent's
 * own closes while it rebuilds (capturing) go through, and leave the table. */
static inline int shim_own_fd(long fd)
{
	return green_ownfd_refuse((int)fd) ? EBADF : 0;
}

static inline int shim_own_fd2(long oldfd, long newfd)
{
	int e = shim_own_fd(oldfd);

	return e ? e : green_ownfd_is((int)newfd) ? EBUSY : 0;
}

/* The error a call whose gate is closed gets instead of libc's function (0: none). */
#define SHIM_ARG1(a, ...) a
#define SHIM_CLOSED_LIVE(...) 0
#define SHIM_CLOSED_BOOT(...) 0
#define SHIM_CLOSED_HUB(...) 0
#define SHIM_CLOSED_ALWAYS(...) 0
#define SHIM_CLOSED_SIGNAL(...) 0
#define SHIM_CLOSED_NEWFD(...) 0
#define SHIM_CLOSED_HANDLE(args) (shim_green_handle(SHIM_ARG1 args) ? EINVAL : 0)
#define SHIM_CLOSED_OWNFD(args) shim_own_fd((long)(SHIM_ARG1 args))
#define SHIM_ARG2(a, b, ...) b
#define SHIM_CLOSED_OWNFD2(args) shim_own_fd2((long)(SHIM_ARG1 args), (long)(SHIM_ARG2 args))

/* That error as the row's result. */
#define SHIM_FAIL_ERRNO(ret, err) (errno = (err), (ret)-1)
#define SHIM_FAIL_ERRNUM(ret, err) ((ret)(err))
#define SHIM_FAIL_C11(ret, err) ((ret)thrd_error)
#define SHIM_FAIL_PTR(ret, err) (errno = (err), (ret)NULL)
#define SHIM_FAIL_HANDLER(ret, err) (errno = (err), (ret)SIG_ERR)
#define SHIM_FAIL_VALUE(ret, err) ((ret)0)
#define SHIM_FAIL_LIBC(ret, err) (errno = (err), (ret)0)

/* The value a hook whose optional real function is missing returns when it passes through. */
#define SHIM_MISSING_ERRNO(ret) (errno = ENOSYS, (ret)-1)
#define SHIM_MISSING_ERRNUM(ret) ((ret)ENOSYS)
#define SHIM_MISSING_C11(ret) ((ret)thrd_error)
#define SHIM_MISSING_PTR(ret) (errno = ENOSYS, (ret)NULL)
#define SHIM_MISSING_HANDLER(ret) (errno = ENOSYS, (ret)SIG_ERR)
#define SHIM_MISSING_VALUE(ret) ((ret)0)
#define SHIM_MISSING_LIBC(ret) (errno = ENOSYS, (ret)0)

/* REAL: the pass-through call. */
#define SHIM_REAL_MUST(ret, name, args, RET) GREEN_REAL_CALL(name) args
#define SHIM_REAL_OPT(ret, name, args, RET)                               \
	({                                                                \
		__typeof__(green_real_table.name) f_ = GREEN_REAL_OPTIONAL(name); \
		f_ ? f_ args : SHIM_MISSING_##RET(ret);                   \
	})
#define SHIM_REAL_VOID_MUST(name, args) GREEN_REAL_CALL(name) args
#define SHIM_REAL_VOID_OPT(name, args)                                    \
	do {                                                              \
		__typeof__(green_real_table.name) f_ = GREEN_REAL_OPTIONAL(name); \
		if (f_)                                                   \
			f_ args;                                          \
	} while (0)

/* CANCEL: the cancellation bracket around the logic. */
#define SHIM_ENTER_POINT() green_cancel_enter()
#define SHIM_ENTER_NOPOINT() ((void)0)
#define SHIM_LEAVE_POINT(r) green_cancel_leave((r) == -ECANCELED ? -ECANCELED : 0)
#define SHIM_LEAVE_NOPOINT(r) ((r) == -ECANCELED ? green_cancel_async_leave(r) : (r))

/* INTR: the call's class for core's restart decision (NONE rows never park interruptibly). */
#define SHIM_INTR_BEGIN_RESTART() unsigned char intr_ = green_signal_call_begin(green_sched_self(), GREEN_INTR_RESTART)
#define SHIM_INTR_BEGIN_NEVER() unsigned char intr_ = green_signal_call_begin(green_sched_self(), GREEN_INTR_NEVER)
#define SHIM_INTR_BEGIN_NONE() ((void)0)
#define SHIM_INTR_END_RESTART() green_signal_call_end(green_sched_self(), intr_)
#define SHIM_INTR_END_NEVER() green_signal_call_end(green_sched_self(), intr_)
#define SHIM_INTR_END_NONE() ((void)0)

/* glibc's thrd_err_map: an error number to a thrd_* code. */
static inline int shim_c11(long r)
{
	switch (r) {
	case 0: return thrd_success;
	case -ENOMEM: return thrd_nomem;
	case -ETIMEDOUT: return thrd_timedout;
	case -EBUSY: return thrd_busy;
	default: return thrd_error;
	}
}

/* RET: the logic's long as libc's result. errno (*e) is saved on entry and restored on success
 * for the kinds whose logic may make libc calls that set it on the way (ERRNO: an I/O attempt's
 * EAGAIN; HANDLER; LIBC before a declined call). The others (ERRNUM, C11, PTR, VALUE, VOID) run
 * core, which never writes errno (a park keeps each thread's own): they leave it alone, which
 * keeps the lock, key and identity calls as cheap as before the table. */
#define SHIM_SAVES_ERRNO 1
#define SHIM_SAVES_HANDLER 1
#define SHIM_SAVES_LIBC 1
#define SHIM_SAVES_ERRNUM 0
#define SHIM_SAVES_C11 0
#define SHIM_SAVES_PTR 0
#define SHIM_SAVES_VALUE 0
#define SHIM_SAVES_VOID 0
#define SHIM_RET_ERRNO(ret, r, saved, e) ((ret)green_hook_ret_errno((r), (saved), (e)))
#define SHIM_RET_ERRNUM(ret, r, saved, e) ((void)(saved), (void)(e), (ret)-(r))
#define SHIM_RET_C11(ret, r, saved, e) ((void)(saved), (void)(e), (ret)shim_c11(r))
#define SHIM_RET_PTR(ret, r, saved, e) \
	((void)(saved), (r) < 0 && (r) >= -4095 ? (*(e) = (int)-(r), (ret)NULL) : (ret)(intptr_t)(r))
#define SHIM_RET_HANDLER(ret, r, saved, e) \
	((r) < 0 && (r) >= -4095 ? (*(e) = (int)-(r), (ret)SIG_ERR) : (*(e) = (saved), (ret)(intptr_t)(r)))
#define SHIM_RET_VALUE(ret, r, saved, e) ((void)(saved), (void)(e), (ret)(r))
#define SHIM_RET_LIBC(ret, r, saved, e) ((void)(saved), (void)(e), (ret)(intptr_t)(r))

/* Under GREEN_DEBUG=2, a declined call says so (a regular file, a zero timeout: every such
 * call); the closed gate logs at level 1 in green_boot_slow. */
#define SHIM_DECLINED(name) green_log_debug(2, "%s passes through: declined (libc handles it)", #name)

/* r = the logic's answer, inside the row's cancellation bracket and signal class. */
#define SHIM_RUN(r, CANCEL, INTR, logic, args)          \
	do {                                            \
		SHIM_ENTER_##CANCEL();                  \
		{                                       \
			SHIM_INTR_BEGIN_##INTR();       \
			(r) = green_hook_##logic args;  \
			SHIM_INTR_END_##INTR();         \
		}                                       \
		SHIM_LEAVE_##CANCEL(r);                 \
	} while (0)

/* The exported function of a row that returns a value. */
#define SHIM_VALUE_FN(ret, name, params, args, RET, GATE, CANCEL, INTR, REAL, logic) \
	ret green_export_##name params __asm__(#name) __attribute__((visibility("default"))); \
	ret green_export_##name params                                           \
	{                                                                        \
		int saved_;                                                      \
		long r_;                                                         \
		if (!SHIM_GATE_##GATE args) {                                    \
			int closed_ = SHIM_CLOSED_##GATE(args);                  \
			if (closed_)                                             \
				return SHIM_FAIL_##RET(ret, closed_);            \
			return SHIM_REAL_##REAL(ret, name, args, RET);           \
		}                                                                \
		saved_ = SHIM_SAVES_##RET ? *SHIM_ERRNO_##GATE : 0;              \
		SHIM_RUN(r_, CANCEL, INTR, logic, args);                         \
		green_sched_slice_check();                                       \
		if (__builtin_expect(r_ == GREEN_PASS, 0)) {                     \
			SHIM_DECLINED(name);                                     \
			if (SHIM_SAVES_##RET)                                    \
				*SHIM_ERRNO_##GATE = saved_;                     \
			return SHIM_REAL_##REAL(ret, name, args, RET);           \
		}                                                                \
		return SHIM_RET_##RET(ret, r_, saved_, SHIM_ERRNO_##GATE);       \
	}

/* The exported function of a row that returns nothing. */
#define SHIM_VOID_FN(name, params, args, GATE, CANCEL, INTR, REAL, logic)        \
	void green_export_##name params __asm__(#name) __attribute__((visibility("default"))); \
	void green_export_##name params                                          \
	{                                                                        \
		long r_;                                                         \
		if (!SHIM_GATE_##GATE args) {                                    \
			if (!SHIM_CLOSED_##GATE(args))                           \
				SHIM_REAL_VOID_##REAL(name, args);               \
			return;                                                  \
		}                                                                \
		SHIM_RUN(r_, CANCEL, INTR, logic, args);                         \
		green_sched_slice_check();                                       \
		if (__builtin_expect(r_ == GREEN_PASS, 0)) {                     \
			SHIM_DECLINED(name);                                     \
			SHIM_REAL_VOID_##REAL(name, args);                       \
		}                                                                \
	}

/* RET picks the shape: VOID rows get SHIM_VOID_FN, every other RET SHIM_VALUE_FN. */
#define SHIM_FN_ERRNO SHIM_VALUE_FN
#define SHIM_FN_ERRNUM SHIM_VALUE_FN
#define SHIM_FN_C11 SHIM_VALUE_FN
#define SHIM_FN_PTR SHIM_VALUE_FN
#define SHIM_FN_HANDLER SHIM_VALUE_FN
#define SHIM_FN_VALUE SHIM_VALUE_FN
#define SHIM_FN_LIBC SHIM_VALUE_FN
#define SHIM_FN_VOID(ret, name, params, args, RET, GATE, CANCEL, INTR, REAL, logic) \
	SHIM_VOID_FN(name, params, args, GATE, CANCEL, INTR, REAL, logic)

#define GREEN_HOOK(ret, name, params, args, RET, GATE, CANCEL, INTR, REAL) \
	SHIM_FN_##RET(ret, name, params, args, RET, GATE, CANCEL, INTR, REAL, name)
#define GREEN_HOOK_AS(ret, name, params, args, RET, GATE, CANCEL, INTR, REAL, logic) \
	SHIM_FN_##RET(ret, name, params, args, RET, GATE, CANCEL, INTR, REAL, logic)
#define GREEN_HOOK_RAW(...)
#include "hooks.def"
#undef GREEN_HOOK
#undef GREEN_HOOK_AS
#undef GREEN_HOOK_RAW

/* Each generated row's INTR class, for hooks/syscall.c: a blocking call made through syscall(2)
 * runs the row's logic in the same class (the kernel restarts it, or not, as for the libc
 * function). */
#define GREEN_HOOK(ret, name, params, args, RET, GATE, CANCEL, INTR, REAL) \
	const unsigned char green_shim_intr_##name = GREEN_INTR_##INTR;
#define GREEN_HOOK_AS(...)
#define GREEN_HOOK_RAW(...)
#include "hooks.def"
#undef GREEN_HOOK
#undef GREEN_HOOK_AS
#undef GREEN_HOOK_RAW
