/* SPDX-License-Identifier: MIT
 * Green thread objects and their life cycle: create, join, detach, exit, handles.
 */
#ifndef GREEN_CORE_THREAD_H
#define GREEN_CORE_THREAD_H

#include "context.h"
#include "stack.h"

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <unwind.h>

#define GREEN_THREAD_MAGIC 0x475245454e544844ull /* "GREENTHD": a live green handle */
#define GREEN_THREAD_FREED 0x444541444748544eull /* the handle was joined or reclaimed */

/* Where a green thread is in its life. */
enum green_state {
	GREEN_RUNNABLE, /* on the run queue */
	GREEN_RUNNING,  /* the current green thread */
	GREEN_PARKED,   /* waiting; only green_sched_ready() moves it on */
	GREEN_DONE,     /* finished; a joinable one waits for its joiner */
};

/* What a parked green thread waits for: one member per row of core/wait.def. */
enum green_wait {
#define GREEN_WAIT_REASON(id, shortname, longname) GREEN_WAIT_##id,
#include "wait.def"
#undef GREEN_WAIT_REASON
	GREEN_WAIT_COUNT
};

/* The short name of each reason ("sleep", "cond"), indexed by enum green_wait: the GREEN_STATS
 * counters and libgreen-gdb.py read it. */
extern const char *const green_wait_names[GREEN_WAIT_COUNT];

/* Why a parked green thread was made runnable. */
enum green_wake {
	GREEN_WAKE_NONE,
	GREEN_WAKE_TIMER, /* its timer fired (hub) */
	GREEN_WAKE_EVENT, /* the thing it waited for happened */
	GREEN_WAKE_CANCEL, /* a cancellation interrupted its cancellation point */
	GREEN_WAKE_SIGNAL,    /* a signal handler ran: its interruptible call fails with EINTR */
	GREEN_WAKE_DELIVER,   /* only to run a signal sent to it; then it parks again (sched.c) */
};

/* One green thread. Allocated from a never-unmapped slab so stale handles can be recognised;
 * every field is read and written on the hub's OS thread only. */
struct green_thread {
	uint64_t magic;              /* GREEN_THREAD_MAGIC while the handle is valid (thread.c) */
	struct green_context ctx;    /* saved registers while not running (context switch) */
	struct green_thread *next;   /* run-queue link (sched.c) */
	struct green_thread *prev_all, *next_all; /* list of all threads (thread.c) */
	uint64_t id;                 /* 1 = main, 0 = hub, then 2, 3, ... (thread.c) */
	int lock_id;                 /* owner id in lock words, unique across forks (mutex.c) */
	pthread_t handle;            /* what pthread_self() returns in it (thread.c) */
	enum green_state state;      /* life-cycle state (sched.c, thread.c) */
	enum green_wait wait;        /* what it is parked on (sched.c) */
	const void *wait_obj;        /* the object it is parked on, if any (sched.c) */
	uint64_t park_ns;            /* CLOCK_MONOTONIC_COARSE ns when it parked (sched.c) */
	uint64_t timeout_ns;         /* a timed park ends this long after park_ns, 0: untimed */
	long wait_arg;               /* the fd, fd count or child pid of an fd/poll/child wait */
	long wait_child;             /* the child pid a waitpid-family call waits for, or 0 */
	enum green_wake wake;        /* why it was last readied (sched.c) */
	void *(*start)(void *);      /* start routine (thread.c) */
	void *arg;                   /* its argument (thread.c) */
	bool c11;                    /* start returns int (thrd_create), not void * (thread.c) */
	bool detached;               /* nobody will join; reclaimed at exit (thread.c) */
	bool is_main;                /* the process's initial thread, on the OS stack (sched.c) */
	void *result;                /* value passed to pthread_exit or returned (thread.c) */
	struct green_thread *joiner; /* the green thread parked joining this one (thread.c) */
	struct green_stack stack;    /* its stack; empty for main (thread.c) */
	void *timer;                 /* the hub's timer event for timed parks (hub.c) */
	bool cancel_pending;         /* pthread_cancel was called on it (cancel.c) */
	bool cancel_disabled;        /* PTHREAD_CANCEL_DISABLE (cancel.c) */
	bool cancel_async;           /* PTHREAD_CANCEL_ASYNCHRONOUS, acted on like deferred */
	bool in_cancel_point;        /* inside a cancellation point: a cancel interrupts its park */
	bool exiting;                /* unwinding for pthread_exit or cancellation (unwind.c) */
	uint64_t sigmask;            /* its blocked signals (kernel word), applied while it runs */
	bool interruptible;          /* in a call a signal handler interrupts with EINTR (signal.c) */
	bool intr_pending;           /* a handler ran for it while interruptible (signal.c) */
	bool intr_restart;           /* that handler had SA_RESTART (signal.c) */
	uint64_t intr_since;         /* handlers run before its interruptible call began (signal.c) */
	uint64_t sig_pending;        /* signals sent to it (pthread_kill), not yet delivered */
	uint64_t sig_waiting;        /* the set its sigwait-family call waits for, or 0 */
	stack_t altstack;            /* its own sigaltstack, if altstack_set (altstack.c) */
	bool altstack_set;
	unsigned char intr_class;    /* the hooked call running: its INTR row (enum green_intr),
	                              * set by preload/shim.c around generated calls; 0 (RESTART)
	                              * otherwise */
	__pthread_unwind_buf_t *cleanup; /* innermost pthread_cleanup_push buffer (cancel.c) */
	pthread_mutex_t *robust;     /* robust mutexes it holds, linked through __list (mutex.c) */
	struct green_key_slot **tsd; /* thread-specific data blocks, lazily allocated (key.c) */
	int *once;                   /* the pthread_once control whose init it runs (once.c) */
	unsigned locks_held;         /* mutex locks it holds (mutex.c): its slice ends after the
	                              * last is released (sched.c) */
	void *eh_globals[2];         /* its C++ __cxa_eh_globals while not running (sched.c) */
	void *asan_fake;             /* ASan's fake-stack handle while switched out (annotate.c) */
	char name[16];               /* pthread_setname_np name, NUL-terminated (identity hooks) */
	int policy;                  /* pthread_setschedparam policy, stored only (identity hooks) */
	struct sched_param param;    /* pthread_setschedparam parameters, stored only */
	struct _Unwind_Exception unwind; /* pthread_exit's forced unwind (unwind.c) */
};

/* What a pthread_t names, from green_thread_lookup(). */
enum green_handle {
	GREEN_HANDLE_GREEN,   /* a live green thread (possibly finished, not yet joined) */
	GREEN_HANDLE_STALE,   /* a green thread already joined or reclaimed: ESRCH */
	GREEN_HANDLE_FOREIGN, /* a real pthread (made before libgreen was live or on another OS thread) */
};

/* Classify handle h, setting *g for GREEN_HANDLE_GREEN. h must be a handle some thread
 * returned (like glibc, a random value may crash). Hub OS thread only. */
enum green_handle green_thread_lookup(pthread_t h, struct green_thread **g);

/* Allocate a zeroed thread object with a fresh id and link it into the all-threads list.
 * Returns NULL on ENOMEM. Hub OS thread only. */
struct green_thread *green_thread_alloc(void);

/* Create a runnable green thread running start(arg) with attr's detach state, stack size,
 * guard size or user stack (NULL: defaults; GREEN_STACK_SIZE applies when attr asks for the
 * default size). c11: start returns int. Sets *out. Returns 0, -EAGAIN (no stack or memory) or
 * -EINVAL (unreadable attribute). Green thread only; does not park: the new thread runs when
 * the caller next parks or yields. */
int green_thread_create(struct green_thread **out, const pthread_attr_t *attr,
			void *(*start)(void *), void *arg, bool c11);

/* How green_thread_join() waits. */
enum green_join_mode {
	GREEN_JOIN_BLOCK, /* park until it finishes */
	GREEN_JOIN_TRY,   /* -EBUSY if it has not finished */
	GREEN_JOIN_TIMED, /* park until it finishes or clk reaches *deadline */
};

/* Join g with glibc's checks and order: -EBUSY (try, still running), -EINVAL (detached, or
 * another thread is joining), -EDEADLK (g is the caller or is joining the caller), -ETIMEDOUT,
 * -ECANCELED (the caller was cancelled while waiting), else 0 with *result (if result) set and
 * g reclaimed. Green thread only; may park. */
int green_thread_join(struct green_thread *g, void **result, enum green_join_mode mode,
		      clockid_t clk, const struct timespec *deadline);

/* Detach g: -EINVAL if already detached; a finished g is reclaimed now. Green thread only. */
int green_thread_detach(struct green_thread *g);

/* End the current green thread with result: other threads run forced unwinding (destructors)
 * first; main waits for every other green thread and then calls exit(0), as POSIX says.
 * Green thread only; never returns. */
_Noreturn void green_thread_exit(void *result);

/* Finish the current (non-main) green thread after unwinding: store result, wake the joiner,
 * switch away for good. Green thread only; never returns. */
_Noreturn void green_thread_finish(void *result);

/* Return a finished thread's memory (after its stack is released) to the slab. Hub OS thread. */
void green_thread_free(struct green_thread *g);

/* First and next thread in the list of all threads (main, hub, live and unjoined ones). */
struct green_thread *green_thread_first(void);
struct green_thread *green_thread_next(struct green_thread *g);

/* Run forced unwinding of the current green thread's stack (C++ destructors, cleanup
 * attributes) and then green_thread_finish(result). Implemented in unwind.c. Never returns. */
_Noreturn void green_unwind_exit(void *result);

#endif
