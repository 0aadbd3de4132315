/* SPDX-License-Identifier: MIT
 * poll, select and epoll_wait logic: ask the kernel with a zero timeout; if nothing is
 * ready, park on the fds' readiness (or the epoll fd's) until an edge or the timeout, and ask
 * again, so results (revents, counts, fd_set contents) are exactly the kernel's (HAZARDS H12).
 */
#include "hook.h"

#include "../core/clock.h"
#include "../core/fd.h"
#include "../core/signal.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>

/* The absolute deadline for a timeout in ms (< 0: none). */
static const struct timespec *poll_deadline(int ms, struct timespec *out)
{
	if (ms < 0)
		return NULL;
	*out = green_clock_add(green_clock_now(CLOCK_MONOTONIC),
			       (struct timespec){ ms / 1000, (long)(ms % 1000) * 1000000 });
	return out;
}

static const struct timespec *poll_deadline_ts(const struct timespec *ts, struct timespec *out)
{
	if (!ts)
		return NULL;
	*out = green_clock_add(green_clock_now(CLOCK_MONOTONIC), *ts);
	return out;
}

/* Park on fds/events until an edge, the deadline or a cancel. 0, -ETIMEDOUT, -ECANCELED. */
static int poll_park(const struct pollfd *pfds, nfds_t n, const struct timespec *deadline)
{
	int stack_fds[64] = { 0 };
	short stack_ev[64] = { 0 };
	int *fds = n <= 64 ? stack_fds : malloc(sizeof *fds * n);
	short *ev = n <= 64 ? stack_ev : malloc(sizeof *ev * n);
	int k = 0, r;

	if (!fds || !ev) {
		r = -ENOMEM;
	} else {
		for (nfds_t i = 0; i < n; i++)
			if (pfds[i].fd >= 0) {
				fds[k] = pfds[i].fd;
				ev[k++] = pfds[i].events;
			}
		r = green_fd_wait_many(fds, ev, k, deadline);
	}
	if (fds != stack_fds)
		free(fds);
	if (ev != stack_ev)
		free(ev);
	return r;
}

/* The cooperative wait shared by poll, select and epoll_wait: check() asks the kernel with a
 * zero timeout; while it answers 0, park on pfds until an edge or the deadline, then ask again
 * (once more at the deadline, as the kernel would). mask (ppoll, pselect, epoll_pwait: NULL for
 * none) is the green thread's signal mask for the whole wait, as the kernel swaps it in and
 * out: a signal it unblocks runs its handler and ends the wait with EINTR unless the fds are
 * ready. Returns check's answer or -errno. */
static long poll_loop(int (*check)(void *), void *ctx, const struct pollfd *pfds, nfds_t n,
		      const struct timespec *deadline, const sigset_t *mask)
{
	sigset_t old;
	int r;

	green_signal_interruptible(true); /* never restarted after a handler (signal(7)) */
	if (mask)
		green_signal_mask(SIG_SETMASK, mask, &old); /* a pending signal's handler runs here */
	for (;;) {
		r = check(ctx);
		if (r != 0)
			break;
		if (green_signal_interrupted()) {
			r = -EINTR;
			green_signal_restart();
			break;
		}
		r = poll_park(pfds, n, deadline);
		if (r == -ETIMEDOUT) {
			r = check(ctx);
			break;
		}
		if (r) {
			if (r == -EINTR)
				green_signal_restart();
			break;
		}
	}
	green_signal_interruptible(false);
	if (mask)
		green_signal_mask(SIG_SETMASK, &old, NULL);
	return r;
}

/* The signal mask a p-variant was given, copied as the kernel reads it (8 bytes): 0 with *use
 * set (NULL for none), or GREEN_PASS when the kernel answers at once (EFAULT). */
static long poll_copy_mask(const sigset_t *mask, sigset_t *out, const sigset_t **use)
{
	*use = NULL;
	if (!mask)
		return 0;
	sigemptyset(out);
	if (green_hook_copy_in(out, mask, _NSIG / 8))
		return GREEN_PASS;
	*use = out;
	return 0;
}

/* poll and ppoll: the caller's pollfd array is both what to wait on and the kernel's answer. */
struct poll_args {
	struct pollfd *fds;
	nfds_t n;
};

/* The checks answer like the kernel: a count, or -errno. */
static int poll_check(void *ctx)
{
	struct poll_args *a = ctx;
	int r = GREEN_REAL_CALL(poll)(a->fds, a->n, 0);

	return r < 0 ? -errno : r;
}

static long poll_run(struct pollfd *fds, nfds_t n, const struct timespec *deadline, const sigset_t *mask)
{
	struct poll_args a = { fds, n };

	return poll_loop(poll_check, &a, fds, n, deadline, mask);
}

long green_hook_poll(struct pollfd *fds, nfds_t n, int timeout)
{
	struct timespec store;

	if (timeout == 0)
		return GREEN_PASS;
	return poll_run(fds, n, poll_deadline(timeout, &store), NULL);
}

long green_hook___poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t fdslen)
{
	if (fdslen / sizeof *fds < n)
		return GREEN_PASS;
	return green_hook_poll(fds, n, timeout);
}

/* A timeout the program passed, copied in: 0 (*out set; or none), or GREEN_PASS when the
 * kernel answers at once (EFAULT, EINVAL, a zero timeout). */
static long poll_copy_ts(const struct timespec *ts, struct timespec *out, const struct timespec **use)
{
	*use = NULL;
	if (!ts)
		return 0;
	if (green_hook_copy_in(out, ts, sizeof *out) || !green_clock_valid(out) || (!out->tv_sec && !out->tv_nsec))
		return GREEN_PASS;
	*use = out;
	return 0;
}

long green_hook_ppoll(struct pollfd *fds, nfds_t n, const struct timespec *ts, const sigset_t *mask)
{
	struct timespec store, t;
	const struct timespec *use;
	const sigset_t *m;
	sigset_t ms;

	if (poll_copy_ts(ts, &t, &use) || poll_copy_mask(mask, &ms, &m))
		return GREEN_PASS;
	return poll_run(fds, n, poll_deadline_ts(use, &store), m);
}

long green_hook___ppoll_chk(struct pollfd *fds, nfds_t n, const struct timespec *ts, const sigset_t *mask,
			    size_t fdslen)
{
	if (fdslen / sizeof *fds < n)
		return GREEN_PASS;
	return green_hook_ppoll(fds, n, ts, mask);
}

/* select: the kernel's answer on copies of the caller's sets (so a zero answer leaves them
 * intact for the next try), any nfds (programs with more than FD_SETSIZE fds allocate larger
 * sets), and a pollfd list of the fds in the sets to wait on. */
struct select_args {
	int nfds;
	size_t bytes;            /* of each set: nfds bits, in longs */
	unsigned long *in[3];    /* the caller's sets as they came (NULL: none) */
	unsigned long *out[3];   /* the kernel's last answer */
};

static int select_check(void *ctx)
{
	struct select_args *a = ctx;
	struct timeval zero = { 0, 0 };

	for (int i = 0; i < 3; i++)
		if (a->in[i])
			memcpy(a->out[i], a->in[i], a->bytes);
	int r = GREEN_REAL_CALL(select)(a->nfds, (fd_set *)a->out[0], (fd_set *)a->out[1],
					(fd_set *)a->out[2], &zero);

	return r < 0 ? -errno : r;
}

static bool select_bit(const unsigned long *set, int fd)
{
	return set && (set[fd / (8 * sizeof *set)] >> (fd % (8 * sizeof *set)) & 1);
}

/* -EFAULT when a set cannot be read (the kernel's answer), else as poll_loop. */
static long select_run(int nfds, fd_set *r, fd_set *w, fd_set *e, const struct timespec *deadline,
		       const sigset_t *mask)
{
	fd_set *user[3] = { r, w, e };
	struct select_args a = { .nfds = nfds };
	unsigned long stack_sets[6][FD_SETSIZE / (8 * sizeof(unsigned long))], *heap = NULL;
	struct pollfd stack[64] = { { 0 } }, *p = stack; /* zeroed: GCC cannot see n bounds the reads */
	int n = 0;
	long ret = 0;

	a.bytes = ((size_t)nfds + 8 * sizeof(unsigned long) - 1) / (8 * sizeof(unsigned long)) * sizeof(unsigned long);
	if (nfds > FD_SETSIZE && !(heap = malloc(6 * a.bytes)))
		return -ENOMEM;
	for (int i = 0; i < 3; i++) {
		if (!user[i])
			continue;
		a.in[i] = heap ? heap + 2 * i * (a.bytes / sizeof *heap) : stack_sets[2 * i];
		a.out[i] = heap ? heap + (2 * i + 1) * (a.bytes / sizeof *heap) : stack_sets[2 * i + 1];
		if (green_hook_copy_in(a.in[i], user[i], a.bytes))
			ret = -EFAULT;
	}
	if (!ret && nfds > 64 && !(p = malloc(sizeof *p * (size_t)nfds)))
		ret = -ENOMEM;
	if (!ret) {
		for (int fd = 0; fd < nfds; fd++) {
			short ev = (select_bit(a.in[0], fd) ? POLLIN : 0) | (select_bit(a.in[1], fd) ? POLLOUT : 0) |
				   (select_bit(a.in[2], fd) ? POLLPRI : 0);
			if (ev)
				p[n++] = (struct pollfd){ fd, ev, 0 };
		}
		ret = poll_loop(select_check, &a, p, (nfds_t)n, deadline, mask);
	}
	if (p != stack)
		free(p);
	if (ret >= 0) /* the kernel's answer, including cleared sets on timeout */
		for (int i = 0; i < 3; i++)
			if (user[i])
				memcpy(user[i], a.out[i], a.bytes);
	free(heap);
	return ret;
}

long green_hook_select(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
	struct timespec store, *deadline = NULL;
	struct timeval t;
	long ret;

	if (nfds < 0 || (tv && green_hook_copy_in(&t, tv, sizeof t)) ||
	    (tv && (t.tv_sec < 0 || t.tv_usec < 0 || (!t.tv_sec && !t.tv_usec))))
		return GREEN_PASS; /* the kernel answers at once: EINVAL, EFAULT, a zero timeout */
	if (tv) {
		store = green_clock_add(green_clock_now(CLOCK_MONOTONIC),
					(struct timespec){ t.tv_sec + t.tv_usec / 1000000, (t.tv_usec % 1000000) * 1000 });
		deadline = &store;
	}
	ret = select_run(nfds, r, w, e, deadline, NULL);
	if (ret == -EFAULT)
		return GREEN_PASS; /* a set the kernel cannot read: its EFAULT */
	if (tv && ret >= 0) { /* Linux writes back the time left */
		struct timespec left = green_clock_sub(*deadline, green_clock_now(CLOCK_MONOTONIC));
		if (left.tv_sec < 0)
			left.tv_sec = left.tv_nsec = 0;
		tv->tv_sec = left.tv_sec;
		tv->tv_usec = left.tv_nsec / 1000;
	}
	return ret;
}

long green_hook_pselect(int nfds, fd_set *r, fd_set *w, fd_set *e, const struct timespec *ts,
			const sigset_t *mask)
{
	struct timespec store, t;
	const struct timespec *use;
	const sigset_t *m;
	sigset_t ms;
	long ret;

	if (nfds < 0 || poll_copy_ts(ts, &t, &use) || poll_copy_mask(mask, &ms, &m))
		return GREEN_PASS;
	ret = select_run(nfds, r, w, e, poll_deadline_ts(use, &store), m);
	return ret == -EFAULT ? GREEN_PASS : ret;
}

/* epoll_wait family: the epoll fd is itself readable when events are ready. */
struct epoll_args {
	int epfd;
	struct epoll_event *ev;
	int max;
};

static int epoll_check(void *ctx)
{
	struct epoll_args *a = ctx;

	int r = GREEN_REAL_CALL(epoll_wait)(a->epfd, a->ev, a->max, 0);

	return r < 0 ? -errno : r;
}

static long epoll_run(int epfd, struct epoll_event *ev, int max, const struct timespec *deadline,
		      const sigset_t *mask)
{
	struct epoll_args a = { epfd, ev, max };
	struct pollfd p = { epfd, POLLIN, 0 };

	return poll_loop(epoll_check, &a, &p, 1, deadline, mask);
}

long green_hook_epoll_wait(int epfd, struct epoll_event *ev, int max, int timeout)
{
	struct timespec store;

	if (timeout == 0 || max <= 0)
		return GREEN_PASS;
	return epoll_run(epfd, ev, max, poll_deadline(timeout, &store), NULL);
}

long green_hook_epoll_pwait(int epfd, struct epoll_event *ev, int max, int timeout, const sigset_t *mask)
{
	struct timespec store;
	const sigset_t *m;
	sigset_t ms;

	if (timeout == 0 || max <= 0 || poll_copy_mask(mask, &ms, &m))
		return GREEN_PASS;
	return epoll_run(epfd, ev, max, poll_deadline(timeout, &store), m);
}

long green_hook_epoll_pwait2(int epfd, struct epoll_event *ev, int max, const struct timespec *ts,
			     const sigset_t *mask)
{
	struct timespec store, t;
	const struct timespec *use;
	const sigset_t *m;
	sigset_t ms;

	if (max <= 0 || poll_copy_ts(ts, &t, &use) || poll_copy_mask(mask, &ms, &m))
		return GREEN_PASS;
	return epoll_run(epfd, ev, max, poll_deadline_ts(use, &store), m);
}
