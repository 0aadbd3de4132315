/* SPDX-License-Identifier: MIT
 * The set*id calls with TLS per green thread: glibc applies them to every OS thread by
 * signalling each one's TCB and waiting for it to answer (its set*id protocol), which a
 * green TCB never does. They run on main's TCB, the OS thread's own (core/tls.h).
 */
#include "hook.h"

#include "../core/tls.h"

#include <grp.h>
#include <unistd.h>

enum setxid_call {
	SETXID_UID, SETXID_GID, SETXID_EUID, SETXID_EGID, SETXID_REUID, SETXID_REGID,
	SETXID_RESUID, SETXID_RESGID, SETXID_GROUPS,
};

struct setxid_args {
	enum setxid_call call;
	long a, b, c;
	const gid_t *list;
};

/* libc's function, on main's TCB: 0 or -errno. */
static long setxid_run(void *arg)
{
	const struct setxid_args *x = arg;
	int r = -1;

	switch (x->call) {
	case SETXID_UID: r = GREEN_REAL_CALL(setuid)((uid_t)x->a); break;
	case SETXID_GID: r = GREEN_REAL_CALL(setgid)((gid_t)x->a); break;
	case SETXID_EUID: r = GREEN_REAL_CALL(seteuid)((uid_t)x->a); break;
	case SETXID_EGID: r = GREEN_REAL_CALL(setegid)((gid_t)x->a); break;
	case SETXID_REUID: r = GREEN_REAL_CALL(setreuid)((uid_t)x->a, (uid_t)x->b); break;
	case SETXID_REGID: r = GREEN_REAL_CALL(setregid)((gid_t)x->a, (gid_t)x->b); break;
	case SETXID_RESUID: r = GREEN_REAL_CALL(setresuid)((uid_t)x->a, (uid_t)x->b, (uid_t)x->c); break;
	case SETXID_RESGID: r = GREEN_REAL_CALL(setresgid)((gid_t)x->a, (gid_t)x->b, (gid_t)x->c); break;
	case SETXID_GROUPS: r = GREEN_REAL_CALL(setgroups)((size_t)x->a, x->list); break;
	}
	return r ? -errno : 0;
}

/* Pass through where the TCB is the OS thread's already (shared TLS, main). */
static long setxid(struct setxid_args x)
{
	if (green_tls_mode == GREEN_TLS_SHARED || green_sched_self() == green_sched.main)
		return GREEN_PASS;
	green_tls_settle(); /* no green TCB on glibc's list: it would be signalled too */
	return green_tls_call_on(green_sched.main, setxid_run, &x);
}

#define SETXID(call, a, b, c, list) setxid((struct setxid_args){ call, (long)(a), (long)(b), (long)(c), list })

long green_hook_setuid(uid_t u) { return SETXID(SETXID_UID, u, 0, 0, NULL); }
long green_hook_setgid(gid_t g) { return SETXID(SETXID_GID, g, 0, 0, NULL); }
long green_hook_seteuid(uid_t u) { return SETXID(SETXID_EUID, u, 0, 0, NULL); }
long green_hook_setegid(gid_t g) { return SETXID(SETXID_EGID, g, 0, 0, NULL); }
long green_hook_setreuid(uid_t r, uid_t e) { return SETXID(SETXID_REUID, r, e, 0, NULL); }
long green_hook_setregid(gid_t r, gid_t e) { return SETXID(SETXID_REGID, r, e, 0, NULL); }
long green_hook_setresuid(uid_t r, uid_t e, uid_t s) { return SETXID(SETXID_RESUID, r, e, s, NULL); }
long green_hook_setresgid(gid_t r, gid_t e, gid_t s) { return SETXID(SETXID_RESGID, r, e, s, NULL); }
long green_hook_setgroups(size_t n, const gid_t *list) { return SETXID(SETXID_GROUPS, n, 0, 0, list); }
