/* SPDX-License-Identifier: MIT
 * Child waits: probe with waitid(WNOHANG | WNOWAIT), which leaves the child's state in place for
 * the caller's own real call; park on the child's pidfd (readable when it exits) or, for a group
 * of children, poll with backoff. HAZARDS H8.
 */
#include "child.h"
#include "ownfd.h"
#include "sys.h"

#include "fd.h"
#include "annotate.h"
#include "sched.h"
#include "signal.h"
#include "wait.h"
#include "../preload/real.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* True if a state change is ready to be reported (or the wait would fail at once). */
static bool child_ready(idtype_t idtype, id_t id, int options)
{
	siginfo_t si;
	int saved = errno;

	memset(&si, 0, sizeof si);
	if (green_real()->waitid(idtype, id, &si, options | WNOHANG | WNOWAIT) < 0) {
		errno = saved;
		return true; /* ECHILD, EINVAL...: the real call reports it */
	}
	errno = saved;
	return si.si_pid != 0;
}

int green_child_wait(idtype_t idtype, id_t id, int options)
{
	unsigned round = 0;
	int pidfd = -1, r = 0;

	/* Only exits make a pidfd readable; stop/continue waits are polled. */
	/* ... and ptrace stops of a traced child are reported without WSTOPPED: tracers (strace,
	 * gdb) wait with __WALL, so such waits are polled too. */
	if (idtype == P_PID && !(options & (WSTOPPED | WCONTINUED | __WALL)) && !green_annotate_valgrind())
		pidfd = green_ownfd_adopt((int)green_sys(SYS_pidfd_open, (pid_t)id, 0), GREEN_OWNFD_TRANSIENT);
	green_signal_interruptible(true);
	green_sched_wait_arg(idtype == P_PID ? (long)id : -1);
	green_sched.current->wait_child = idtype == P_PID ? (long)id : -1;
	while (!child_ready(idtype, id, options)) {
		if (pidfd >= 0) {
			struct green_fd *f = green_fd_get(pidfd);
			r = f ? green_fd_wait(f, pidfd, GREEN_FD_READ, NULL) : -EBADF;
			if (r == -EINTR && green_signal_restart()) { /* the wait family restarts */
				r = 0;
				continue;
			}
			if (r == -ECANCELED || r == -EINTR)
				break;
			if (r) { /* cannot wait on it (or the program took its number): poll */
				green_fd_forget(pidfd);
				green_ownfd_close(pidfd);
				pidfd = -1;
				r = 0;
			}
		} else {
			r = green_wait_backoff(&round, GREEN_WAIT_CHILD, NULL, CLOCK_MONOTONIC, NULL);
			if (r == -EINTR && green_signal_restart()) {
				r = 0;
				continue;
			}
			if (r)
				break;
		}
	}
	green_signal_interruptible(false);
	green_sched.current->wait_child = 0;
	if (pidfd >= 0 && green_ownfd_is(pidfd)) {
		green_fd_forget(pidfd);
		green_ownfd_close(pidfd);
	}
	return r;
}
