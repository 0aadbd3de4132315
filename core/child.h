/* SPDX-License-Identifier: MIT
 * Waiting for child processes without blocking the hub: a pidfd per waited child when a
 * specific pid is waited for, short polling otherwise.
 */
#ifndef GREEN_CORE_CHILD_H
#define GREEN_CORE_CHILD_H

#include <sys/types.h>
#include <sys/wait.h>

/* Park until a waitid(idtype, id, ..., options | WNOHANG)-style probe says a child matching
 * (idtype, id) has a state change to report (or none can: ECHILD), so that the caller's real,
 * blocking wait call then returns at once. idtype: P_PID, P_PGID, P_ALL, P_PIDFD.
 * options: the caller's WEXITED/WSTOPPED/WCONTINUED (waitid) or the waitpid flags converted.
 * Returns 0, -EINTR (a handler without SA_RESTART ran), or -ECANCELED (cancellation point).
 * Green thread only; parks. */
int green_child_wait(idtype_t idtype, id_t id, int options);

#endif
