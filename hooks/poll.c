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
 * (once more at the deadline, as the kernel would). Returns check's answer or -errno. */
static long poll_loop(int (*check)(void *), void *ctx, const struct pollfd *pfds, nfds_t n,
		      const struct timespec *deadline)
{
	int r;

	green_signal_interruptible(true); /* never restarted after a handler (signal(7)) */
	for (;;) {
		r = check(ctx);
		if (r != 0)
			break;
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
	return r;
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

static long poll_run(struct pollfd *fds, nfds_t n, const struct timespec *deadline)
{
	struct poll_args a = { fds, n };

	return poll_loop(poll_check, &a, fds, n, deadline);
}

long green_hook_poll(struct pollfd *fds, nfds_t n, int timeout)
{
	struct timespec store;

	if (timeout == 0)
		return GREEN_PASS;
	return poll_run(fds, n, poll_deadline(timeout, &store));
}

long green_hook___poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t fdslen)
{
	if (fdslen / sizeof *fds < n)
		return GREEN_PASS;
	return green_hook_poll(fds, n, timeout);
}

long green_hook_ppoll(struct pollfd *fds, nfds_t n, const struct timespec *ts, const sigset_t *mask)
{
	struct timespec store;

	/* A signal mask to apply while waiting is not emulated: such calls go to the kernel. */
	if (mask || (ts && !ts->tv_sec && !ts->tv_nsec) || (ts && !green_clock_valid(ts)))
		return GREEN_PASS;
	return poll_run(fds, n, poll_deadline_ts(ts, &store));
}

long green_hook___ppoll_chk(struct pollfd *fds, nfds_t n, const struct timespec *ts, const sigset_t *mask,
			    size_t fdslen)
{
	if (fdslen / sizeof *fds < n)
		return GREEN_PASS;
	return green_hook_ppoll(fds, n, ts, mask);
}

/* select: the kernel's answer (on copies of the caller's sets, so a zero answer leaves them
 * intact for the next try) and a pollfd list of the fds in the sets to wait on. */
struct select_args {
	int nfds;
	fd_set *r, *w, *e;       /* the caller's sets */
	fd_set rc, wc, ec;       /* the kernel's last answer */
};

static int select_check(void *ctx)
{
	struct select_args *a = ctx;
	struct timeval zero = { 0, 0 };

	if (a->r)
		a->rc = *a->r;
	if (a->w)
		a->wc = *a->w;
	if (a->e)
		a->ec = *a->e;
	int r = GREEN_REAL_CALL(select)(a->nfds, a->r ? &a->rc : NULL, a->w ? &a->wc : NULL,
					a->e ? &a->ec : NULL, &zero);

	return r < 0 ? -errno : r;
}

static long select_run(int nfds, fd_set *r, fd_set *w, fd_set *e, const struct timespec *deadline)
{
	struct select_args a = { .nfds = nfds, .r = r, .w = w, .e = e };
	struct pollfd stack[64], *p = stack;
	int n = 0;
	long ret;

	if (nfds > 64 && !(p = malloc(sizeof *p * (size_t)nfds)))
		return -ENOMEM;
	for (int fd = 0; fd < nfds; fd++) {
		short ev = 0;
		if (r && FD_ISSET(fd, r))
			ev |= POLLIN;
		if (w && FD_ISSET(fd, w))
			ev |= POLLOUT;
		if (e && FD_ISSET(fd, e))
			ev |= POLLPRI;
		if (ev)
			p[n++] = (struct pollfd){ fd, ev, 0 };
	}
	ret = poll_loop(select_check, &a, p, (nfds_t)n, deadline);
	if (p != stack)
		free(p);
	if (ret >= 0) { /* the kernel's answer, including cleared sets on timeout */
		if (r)
			*r = a.rc;
		if (w)
			*w = a.wc;
		if (e)
			*e = a.ec;
	}
	return ret;
}

long green_hook_select(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
	struct timespec store, *deadline = NULL;
	long ret;

	if (nfds < 0 || nfds > FD_SETSIZE ||
	    (tv && (tv->tv_sec < 0 || tv->tv_usec < 0 || (!tv->tv_sec && !tv->tv_usec))))
		return GREEN_PASS;
	if (tv) {
		store = green_clock_add(green_clock_now(CLOCK_MONOTONIC),
					(struct timespec){ tv->tv_sec + tv->tv_usec / 1000000,
							   (tv->tv_usec % 1000000) * 1000 });
		deadline = &store;
	}
	ret = select_run(nfds, r, w, e, deadline);
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
	struct timespec store;

	if (mask || nfds < 0 || nfds > FD_SETSIZE ||
	    (ts && (!green_clock_valid(ts) || (!ts->tv_sec && !ts->tv_nsec))))
		return GREEN_PASS;
	return select_run(nfds, r, w, e, poll_deadline_ts(ts, &store));
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

static long epoll_run(int epfd, struct epoll_event *ev, int max, const struct timespec *deadline)
{
	struct epoll_args a = { epfd, ev, max };
	struct pollfd p = { epfd, POLLIN, 0 };

	return poll_loop(epoll_check, &a, &p, 1, deadline);
}

long green_hook_epoll_wait(int epfd, struct epoll_event *ev, int max, int timeout)
{
	struct timespec store;

	if (timeout == 0 || max <= 0)
		return GREEN_PASS;
	return epoll_run(epfd, ev, max, poll_deadline(timeout, &store));
}

long green_hook_epoll_pwait(int epfd, struct epoll_event *ev, int max, int timeout, const sigset_t *mask)
{
	struct timespec store;

	if (mask || timeout == 0 || max <= 0)
		return GREEN_PASS;
	return epoll_run(epfd, ev, max, poll_deadline(timeout, &store));
}

long green_hook_epoll_pwait2(int epfd, struct epoll_event *ev, int max, const struct timespec *ts,
			     const sigset_t *mask)
{
	struct timespec store;

	if (mask || max <= 0 || (ts && !green_clock_valid(ts)) || (ts && !ts->tv_sec && !ts->tv_nsec))
		return GREEN_PASS;
	return epoll_run(epfd, ev, max, poll_deadline_ts(ts, &store));
}
