/* SPDX-License-Identifier: MIT
 * The signal trampoline and the hub side of EINTR. The trampoline is async-signal-safe: it only
 * flips the gate, calls the program's handler, sets a bit and writes an eventfd; the hub reads
 * the eventfd in normal context and readies the interrupted green thread (HAZARDS H9).
 */
#include "signal.h"
#include "ownfd.h"
#include "sys.h"

#include "hub.h"
#include "log.h"
#include "sched.h"
#include "preempt.h"
#include "tls.h"
#include "sem.h"
#include "../preload/boot.h"
#include "../preload/real.h"

#include <errno.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

/* The program's view of one signal's disposition. Written by green_signal_action (hub OS
 * thread) and by the trampoline (SA_RESETHAND). */
struct signal_slot {
	struct sigaction user;        /* what the program installed */
	bool wrapped;                 /* the kernel holds our trampoline for it */
	struct green_thread *target;  /* the green thread a pthread_kill aimed at, or NULL */
	bool owned;                   /* libgreen's own handler holds it (green_signal_own) */
};

static struct signal_slot signal_table[NSIG];
static uint64_t signal_pending;   /* signals whose handler ran (bit sig - 1); atomics */
static uint64_t signal_restart;   /* ... and had SA_RESTART */
static int signal_efd = -1;       /* written by the trampoline, read by the hub */
/* Handlers run so far, and the count when each signal's handler last ran: a call that began
 * after the handler ran was not interrupted by it (no stale EINTR). Atomics. */
static uint64_t signal_seq;
static uint64_t signal_seq_of[NSIG];

/* Whether a runs a function of the program (not SIG_DFL or SIG_IGN). */
static bool signal_has_handler(const struct sigaction *a)
{
	return a->sa_flags & SA_SIGINFO ? a->sa_sigaction != NULL
					: a->sa_handler != SIG_DFL && a->sa_handler != SIG_IGN;
}

/* The green thread a signal delivered while the hub waited belongs to, as the kernel would
 * choose among threads: main if it does not block sig, else the first that does not (one in
 * pause or sigsuspend first). NULL: none (the hub's OS thread only runs libgreen's own). */
static struct green_thread *signal_recipient(int sig)
{
	uint64_t bit = 1ull << (sig - 1);
	struct green_thread *any = NULL;

	if (green_sched.main && green_sched.main->state != GREEN_DONE && !(green_sched.main->sigmask & bit))
		return green_sched.main;
	for (struct green_thread *g = green_thread_first(); g; g = green_thread_next(g)) {
		if (g == green_sched.hub || g->state == GREEN_DONE || (g->sigmask & bit))
			continue;
		if (g->state == GREEN_PARKED && g->wait == GREEN_WAIT_SIGNAL)
			return g;
		if (!any)
			any = g;
	}
	return any;
}

/* Handlers running on this OS thread, and the state before the outermost one (for a handler
 * left by longjmp). */
static __thread int signal_depth;
static __thread int signal_outer_gate;
static __thread struct green_thread *signal_outer_current;

int green_signal_handler_depth(void)
{
	return signal_depth;
}

bool green_signal_program_handles(int sig)
{
	return sig > 0 && sig < NSIG && signal_has_handler(&signal_table[sig].user);
}

void green_signal_jumped_out(void)
{
	if (!signal_depth)
		return;
	signal_depth = 0;
	green_boot_gate = signal_outer_gate;
	if (green_boot_hub_thread)
		green_sched.current = signal_outer_current;
}

static void signal_trampoline(int sig, siginfo_t *info, void *uc)
{
	int saved = errno, gate = green_boot_gate;
	struct signal_slot *s = &signal_table[sig];
	struct sigaction a = s->user;
	uint64_t bit = 1ull << (sig - 1);
	struct green_thread *was = green_sched.current, *as = NULL;

	if (signal_depth++ == 0) {
		signal_outer_gate = gate;
		signal_outer_current = was;
	}

	/* Delivered while the hub waited (with every green thread's unblocked signals): the
	 * handler runs as the thread that gets it (pthread_self), which its EINTR goes to. */
	if (green_boot_hub_thread && was == green_sched.hub && (as = signal_recipient(sig))) {
		green_sched.current = as;
		s->target = as;
	}
	green_boot_gate = 0; /* hooks reached from the handler pass straight through */
	if (a.sa_flags & SA_RESETHAND) { /* the kernel already reset our trampoline */
		s->user.sa_handler = SIG_DFL;
		s->user.sa_flags &= ~SA_SIGINFO;
		s->wrapped = false;
	}
	{
		/* ... and on its TLS (its own errno, __thread variables, thread_local objects). */
		struct green_tls_loan loan;
		bool lent = as && green_tls_borrow(as, &loan);
		if (a.sa_flags & SA_SIGINFO)
			a.sa_sigaction(sig, info, uc);
		else if (a.sa_handler != SIG_IGN && a.sa_handler != SIG_DFL)
			a.sa_handler(sig);
		if (lent)
			green_tls_unborrow(&loan);
	}
	if (as)
		green_sched.current = was;
	green_boot_gate = gate;
	signal_depth--;
	if (signal_efd >= 0 &&
	    __atomic_load_n(&green_boot_state, __ATOMIC_RELAXED) == GREEN_BOOT_LIVE) {
		uint64_t one = 1;
		__atomic_store_n(&signal_seq_of[sig], __atomic_add_fetch(&signal_seq, 1, __ATOMIC_SEQ_CST),
				 __ATOMIC_SEQ_CST);
		__atomic_or_fetch(&signal_pending, bit, __ATOMIC_SEQ_CST);
		if (a.sa_flags & SA_RESTART)
			__atomic_or_fetch(&signal_restart, bit, __ATOMIC_SEQ_CST);
		else
			__atomic_and_fetch(&signal_restart, ~bit, __ATOMIC_SEQ_CST);
		green_sys(SYS_write, signal_efd, &one, sizeof one);
	}
	errno = saved;
}

/* A green thread parked in pause or sigsuspend since before handler number seq ran, or NULL. */
static struct green_thread *signal_waiter(uint64_t seq)
{
	for (struct green_thread *g = green_thread_first(); g; g = green_thread_next(g))
		if (g->state == GREEN_PARKED && g->wait == GREEN_WAIT_SIGNAL && g->interruptible &&
		    g->intr_since < seq)
			return g;
	return NULL;
}

/* Hub: deliver EINTR for each signal whose handler ran. */
static void signal_dispatch(void)
{
	uint64_t pending = __atomic_exchange_n(&signal_pending, 0, __ATOMIC_SEQ_CST);
	uint64_t restart = __atomic_load_n(&signal_restart, __ATOMIC_SEQ_CST);

	for (int sig = 1; sig < NSIG && pending; sig++) {
		uint64_t bit = 1ull << (sig - 1);
		struct green_thread *g;

		if (!(pending & bit))
			continue;
		pending &= ~bit;
		/* The kernel gives a process-directed signal to the main thread first; a thread
		 * parked only to wait for a handler (pause, sigsuspend) is next. */
		uint64_t seq = __atomic_load_n(&signal_seq_of[sig], __ATOMIC_SEQ_CST);
		g = signal_table[sig].target ? signal_table[sig].target : green_sched.main;
		signal_table[sig].target = NULL;
		if (!g || g->state != GREEN_PARKED || !g->interruptible || g->intr_since >= seq)
			g = signal_waiter(seq);
		if (g && g->state == GREEN_PARKED && g->interruptible && g->intr_since < seq) {
			g->intr_pending = true;
			g->intr_restart = (restart & bit) != 0;
			green_sched_ready(g, GREEN_WAKE_SIGNAL);
		}
	}
}

static void signal_efd_ready(void *arg)
{
	uint64_t v;

	(void)arg;
	while (green_real()->read(signal_efd, &v, sizeof v) == sizeof v)
		;
	signal_dispatch();
	green_sem_handler_ran();
}

/* Create the eventfd and its hub watch on first use. Returns 0 or -errno. */
static int signal_init(void)
{
	int fd;

	if (signal_efd >= 0)
		return 0;
	fd = (int)green_sys(SYS_eventfd2, 0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (fd < 0)
		return fd;
	signal_efd = fd;
	if (green_hub_watch_internal(&signal_efd, signal_efd_ready, NULL, NULL)) {
		green_sys(SYS_close, signal_efd);
		signal_efd = -1;
		return -ENOMEM;
	}
	return 0;
}

int green_signal_action(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct signal_slot *s;
	struct sigaction k, prev;
	bool wrap;
	int r;

	if (sig <= 0 || sig >= NSIG)
		return green_real()->sigaction(sig, act, old) ? -errno : 0;
	s = &signal_table[sig];
	if (s->owned) { /* libgreen keeps the kernel's handler and chains to the program's */
		prev = s->user;
		if (act) {
			if (signal_has_handler(act))
				signal_init();
			s->user = *act;
			green_preempt_disposition(sig);
		}
		if (old)
			*old = prev;
		return 0;
	}
	if (!act) {
		if (green_real()->sigaction(sig, NULL, &prev))
			return -errno;
		if (old)
			*old = s->wrapped ? s->user : prev;
		return 0;
	}
	/* SIG_DFL and SIG_IGN have no handler to wrap; without the eventfd we cannot deliver
	 * EINTR, but the handler still runs with the gate closed. */
	wrap = signal_has_handler(act);
	k = *act;
	if (wrap) {
		signal_init();
		k.sa_sigaction = signal_trampoline;
		k.sa_flags |= SA_SIGINFO;
	}
	r = green_real()->sigaction(sig, &k, &prev);
	if (r)
		return -errno;
	if (old)
		*old = s->wrapped ? s->user : prev;
	s->user = *act;
	s->wrapped = wrap;
	return 0;
}

int green_signal_own(int sig, void (*fn)(int, siginfo_t *, void *), bool onstack)
{
	struct signal_slot *s = &signal_table[sig];
	struct sigaction k = { .sa_sigaction = fn,
			       .sa_flags = SA_SIGINFO | SA_RESTART | (onstack ? SA_ONSTACK : 0) };
	struct sigaction prev;

	if (sig <= 0 || sig >= NSIG)
		return -EINVAL;
	if (s->owned)
		return 0;
	sigemptyset(&k.sa_mask);
	if (green_real()->sigaction(sig, &k, &prev))
		return -errno;
	if (!s->wrapped) /* else s->user already holds the program's handler */
		s->user = prev;
	if ((s->user.sa_flags & SA_SIGINFO) || (s->user.sa_handler != SIG_DFL && s->user.sa_handler != SIG_IGN))
		signal_init();
	s->wrapped = false;
	s->owned = true;
	return 0;
}

bool green_signal_managed(int sig)
{
	return sig > 0 && sig < NSIG && (signal_table[sig].owned || signal_table[sig].wrapped);
}

bool green_signal_chain(int sig, siginfo_t *info, void *uc, bool fault)
{
	struct sigaction a = signal_table[sig].user;

	if (a.sa_flags & SA_SIGINFO ? a.sa_sigaction == NULL
				    : a.sa_handler == SIG_DFL || (fault && a.sa_handler == SIG_IGN))
		return false;
	if (a.sa_flags & SA_SIGINFO || a.sa_handler != SIG_IGN) {
		/* What the kernel would block for the program's handler: the mask before the
		 * signal, its sa_mask, and sig itself unless SA_NODEFER (sigreturn restores the
		 * mask from uc afterwards). */
		uint64_t m, add;

		memcpy(&m, &((ucontext_t *)uc)->uc_sigmask, sizeof m);
		memcpy(&add, &a.sa_mask, sizeof add);
		m |= add;
		if (a.sa_flags & SA_NODEFER)
			m &= ~(1ull << (sig - 1));
		else
			m |= 1ull << (sig - 1);
		m &= ~((1ull << (SIGKILL - 1)) | (1ull << (SIGSTOP - 1)));
		green_sys(SYS_rt_sigprocmask, SIG_SETMASK, &m, NULL, sizeof m);
		signal_trampoline(sig, info, uc);
	}
	return true;
}

void green_signal_default(int sig, const siginfo_t *info)
{
	struct sigaction k = { .sa_handler = SIG_DFL };

	/* SIG_DFL ignores these: nothing to act on. */
	if (sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT)
		return;
	sigemptyset(&k.sa_mask);
	green_real()->sigaction(sig, &k, NULL);
	signal_table[sig].owned = false;
	signal_table[sig].user = k;
	/* A fault faults again when the handler returns; a signal somebody sent is sent again
	 * (pending until the handler returns, then the default action). */
	if (info->si_code <= 0 || (sig != SIGSEGV && sig != SIGBUS && sig != SIGILL && sig != SIGFPE))
		green_sys(SYS_tgkill, getpid(), green_sys(SYS_gettid), sig);
}

void green_signal_interruptible(bool on)
{
	struct green_thread *self = green_sched_self();

	self->interruptible = on;
	if (on) {
		self->intr_pending = false;
		self->intr_since = __atomic_load_n(&signal_seq, __ATOMIC_SEQ_CST);
	}
}

bool green_signal_interrupted(void)
{
	struct green_thread *self = green_sched_self();

	return self->interruptible && self->intr_pending;
}

bool green_signal_restart(void)
{
	struct green_thread *self = green_sched_self();
	bool restart = self->intr_restart && self->intr_class == GREEN_INTR_RESTART;

	self->intr_pending = false;
	return restart;
}

/* One instance of a signal pending in a green thread that needs more than its bit: a
 * pthread_sigqueue value, or each instance of a real-time signal (they queue, in order).
 * Heap, FIFO; hub OS thread only. */
struct signal_queued {
	struct green_thread *g;
	int sig, code;
	union sigval value;
	struct signal_queued *next;
};

static struct signal_queued *signal_queued_list;

/* Unlink the oldest instance for (g, sig) (sig 0: any) into *out; false if none. */
static bool signal_queued_take(struct green_thread *g, int sig, struct signal_queued *out)
{
	for (struct signal_queued **p = &signal_queued_list; *p; p = &(*p)->next) {
		struct signal_queued *q = *p;

		if (q->g == g && (sig == 0 || q->sig == sig)) {
			*p = q->next;
			if (out)
				*out = *q;
			free(q);
			return true;
		}
	}
	return false;
}

static bool signal_queued_has(const struct green_thread *g, int sig)
{
	for (const struct signal_queued *q = signal_queued_list; q; q = q->next)
		if (q->g == g && q->sig == sig)
			return true;
	return false;
}

/* Append an instance. Returns 0 or -EAGAIN. */
static int signal_queued_add(struct green_thread *g, int sig, int code, const union sigval *value)
{
	struct signal_queued *q = malloc(sizeof *q), **p = &signal_queued_list;

	if (!q)
		return -EAGAIN;
	*q = (struct signal_queued){ g, sig, code, value ? *value : (union sigval){ 0 }, NULL };
	while (*p)
		p = &(*p)->next;
	*p = q;
	return 0;
}

/* Whether sig, sent now, is discarded at once: its disposition ignores it (SIG_IGN, or SIG_DFL
 * for the signals whose default is to ignore). */
static bool signal_ignored(int sig)
{
	struct sigaction a;

	if (green_signal_action(sig, NULL, &a))
		return false;
	if (a.sa_flags & SA_SIGINFO)
		return false;
	return a.sa_handler == SIG_IGN ||
	       (a.sa_handler == SIG_DFL &&
		(sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT));
}

int green_signal_send(struct green_thread *g, int sig, int code, const union sigval *value)
{
	uint64_t bit = 1ull << (sig - 1);

	if (!(g->sigmask & bit) && signal_ignored(sig))
		return 0;
	green_sched.rare = true;
	/* A real-time signal queues every instance; a standard one already pending merges. */
	if (sig >= 32 || (code == SI_QUEUE && !(g->sig_pending & bit))) {
		int r = signal_queued_add(g, sig, code, value);
		if (r)
			return r;
	}
	g->sig_pending |= bit;
	if (g == green_sched.current) {
		if (!(g->sigmask & bit))
			green_signal_deliver_own();
		return 0;
	}
	if (g->state != GREEN_PARKED)
		return 0; /* runnable or new: delivered when it runs */
	if (!(g->sigmask & bit)) {
		green_sched_ready(g, GREEN_WAKE_DELIVER);
	} else if ((g->sig_waiting & bit) && g->interruptible) {
		g->intr_pending = true; /* its sigwait takes it */
		g->intr_restart = false;
		green_sched_ready(g, GREEN_WAKE_SIGNAL);
	}
	return 0;
}

/* The siginfo a thread-directed signal from this process carries (the oldest instance of a
 * queued one; its bit is set again while others remain). Clear the bit before calling. */
static void signal_info(struct green_thread *g, int sig, siginfo_t *info)
{
	struct signal_queued q;

	memset(info, 0, sizeof *info);
	info->si_signo = sig;
	info->si_code = SI_TKILL;
	info->si_pid = (pid_t)green_sys(SYS_getpid);
	info->si_uid = (uid_t)green_sys(SYS_getuid);
	if (signal_queued_take(g, sig, &q)) {
		info->si_code = q.code;
		info->si_value = q.value;
		if (signal_queued_has(g, sig)) /* another instance stays pending */
			g->sig_pending |= 1ull << (sig - 1);
	}
}

void green_signal_deliver_own(void)
{
	struct green_thread *self = green_sched.current;
	uint64_t due;

	while ((due = self->sig_pending & ~self->sigmask)) {
		int sig = __builtin_ctzll(due) + 1;
		siginfo_t info;

		self->sig_pending &= ~(1ull << (sig - 1));
		signal_info(self, sig, &info);
		signal_table[sig].target = self; /* its EINTR is this thread's */
		green_sys(SYS_rt_tgsigqueueinfo, info.si_pid, green_sys(SYS_gettid), sig, &info);
	}
}

int green_signal_take_own(uint64_t set, siginfo_t *info)
{
	struct green_thread *self = green_sched.current;
	uint64_t due = self->sig_pending & set;
	siginfo_t si;
	int sig;

	if (!due)
		return 0;
	sig = __builtin_ctzll(due) + 1;
	self->sig_pending &= ~(1ull << (sig - 1));
	signal_info(self, sig, &si);
	if (info)
		*info = si;
	return sig;
}

void green_signal_thread_gone(struct green_thread *g)
{
	while (signal_queued_take(g, 0, NULL))
		;
	g->sig_pending = 0;
}

void green_signal_forked(void)
{
	/* The eventfd is shared with the parent: the child gets its own once the hub is rebuilt
	 * (green_signal_forked_rewatch). */
	if (signal_efd >= 0) {
		green_ownfd_close(signal_efd);
		signal_efd = -1;
	}
	__atomic_store_n(&signal_pending, 0, __ATOMIC_SEQ_CST);
	for (int sig = 1; sig < NSIG; sig++)
		signal_table[sig].target = NULL;
	/* A child starts with no pending signals. */
	while (signal_queued_list) {
		struct signal_queued *q = signal_queued_list;

		signal_queued_list = q->next;
		free(q);
	}
	green_sched.current->sig_pending = 0;
}

bool green_signal_dispatch_due(void)
{
	return __atomic_load_n(&signal_pending, __ATOMIC_SEQ_CST) != 0;
}

int green_signal_forked_rewatch(void)
{
	/* The handlers the child inherited still run through the trampoline: they need the
	 * eventfd now (the trampoline cannot make one) for their EINTR to reach anyone. */
	for (int sig = 1; sig < NSIG; sig++) {
		const struct signal_slot *s = &signal_table[sig];

		if (s->wrapped || (s->owned && signal_has_handler(&s->user))) {
			if (signal_init())
				green_log_write("fork child: no signal eventfd; handlers interrupt no call");
			return 0;
		}
	}
	return 0;
}

int green_signal_pause(void)
{
	green_signal_interruptible(true);
	/* A signal can come from anywhere (a child's exit, a timer, kill): never a deadlock. */
	green_hub_waiters_add(1);
	while (!green_signal_interrupted())
		green_sched_park(GREEN_WAIT_SIGNAL, NULL);
	green_hub_waiters_add(-1);
	green_signal_restart();
	green_signal_interruptible(false);
	return -EINTR;
}

int green_signal_mask(int how, const sigset_t *set, sigset_t *old)
{
	struct green_thread *self = green_sched.current;
	uint64_t cur;

	if (old) {
		sigemptyset(old);
		memcpy(old, &self->sigmask, sizeof self->sigmask);
	}
	/* The OS thread wears the thread's mask less the signals kept open (os_open): give it
	 * the whole mask first, so that what glibc computes from it is the thread's. */
	if (self->sigmask & green_sched.os_open)
		green_sys(SYS_rt_sigprocmask, SIG_SETMASK, &self->sigmask, NULL, sizeof self->sigmask);
	/* glibc's pthread_sigmask validates how and keeps its internal signals unblocked. */
	if (green_real()->pthread_sigmask(how, set, NULL)) {
		if (self->sigmask & green_sched.os_open)
			green_sys(SYS_rt_sigprocmask, SIG_SETMASK, &green_sched.os_sigmask, NULL,
				  sizeof green_sched.os_sigmask);
		return -EINVAL;
	}
	green_sys(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &cur, sizeof cur);
	green_sched_mask_change(self->sigmask, cur);
	self->sigmask = green_sched.os_sigmask = cur;
	if (cur & green_sched.os_open) /* kept unblocked at the OS level (core/preempt.c) */
		green_sched_keep_open(green_sched.os_open);
	if (self->sig_pending & ~cur) /* unblocked with one pending: it arrives now */
		green_signal_deliver_own();
	return 0;
}

void green_signal_epipe(void)
{
	uint64_t bit = 1ull << (SIGPIPE - 1), pending = 0;
	struct timespec zero = { 0, 0 };

	if (!(green_sched.current->sigmask & bit))
		return; /* not blocked: its handler or default action has already happened */
	if (green_sys(SYS_rt_sigpending, &pending, sizeof pending) == 0 && (pending & bit))
		green_sys(SYS_rt_sigtimedwait, &bit, NULL, &zero, sizeof bit);
}
