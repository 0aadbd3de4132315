/* SPDX-License-Identifier: MIT
 * Child-process logic: the wait family parks only the caller (HAZARDS H8); system() is
 * reimplemented as glibc's (posix_spawn of /bin/sh, SIGINT/SIGQUIT ignored and SIGCHLD blocked
 * while waiting) with a cooperative wait; vfork becomes fork, which POSIX allows, because a
 * vfork child would run our hooks in the parent's memory.
 */
#include "hook.h"

#include "../core/child.h"
#include "../core/sched.h"
#include "../core/signal.h"

#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

extern char **environ;

/* waitpid/wait4's pid argument as waitid's (idtype, id). */
static void process_target(pid_t pid, idtype_t *type, id_t *id)
{
	if (pid > 0) {
		*type = P_PID;
		*id = (id_t)pid;
	} else if (pid == -1) {
		*type = P_ALL;
		*id = 0;
	} else {
		*type = P_PGID;
		*id = (id_t)(pid == 0 ? getpgid(0) : -pid);
	}
}

/* waitpid flags as waitid options (WUNTRACED is WSTOPPED; __WALL and friends pass). */
static int process_options(int options)
{
	return WEXITED | (options & ~(WUNTRACED | WNOHANG)) | (options & WUNTRACED ? WSTOPPED : 0);
}

/* The shared body of waitpid/wait4: park until the real call cannot block, then make it with
 * WNOHANG; if another green thread reaped the child first, wait again. The pid or -errno. */
static long process_wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	idtype_t type;
	id_t id;

	process_target(pid, &type, &id);
	for (;;) {
		pid_t r;
		int w = green_child_wait(type, id, process_options(options));
		if (w == -EINTR || w == -ECANCELED)
			return w;
		r = GREEN_REAL_CALL(wait4)(pid, status, options | WNOHANG, ru);
		if (r < 0)
			return -errno;
		if (r != 0)
			return r;
	}
}

long green_hook_waitpid(pid_t pid, int *status, int options)
{
	if (options & WNOHANG)
		return GREEN_PASS;
	return process_wait4(pid, status, options, NULL);
}

long green_hook_wait(int *status)
{
	return process_wait4(-1, status, 0, NULL);
}

long green_hook_wait3(int *status, int options, struct rusage *ru)
{
	if (options & WNOHANG)
		return GREEN_PASS;
	return process_wait4(-1, status, options, ru);
}

long green_hook_wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	if (options & WNOHANG)
		return GREEN_PASS;
	return process_wait4(pid, status, options, ru);
}

long green_hook_waitid(idtype_t type, id_t id, siginfo_t *info, int options)
{
	if (options & WNOHANG)
		return GREEN_PASS;
	for (;;) {
		int r, w = green_child_wait(type, id, options);
		if (w == -EINTR || w == -ECANCELED)
			return w;
		/* the kernel writes *info (si_pid 0 when no child is ready), or answers EFAULT */
		r = GREEN_REAL_CALL(waitid)(type, id, info, options | WNOHANG);
		if (r < 0)
			return -errno;
		if (!info || info->si_pid != 0)
			return r;
	}
}

/* posix_spawn(p): the child inherits every description without O_CLOEXEC and may change
 * its flags; the spawn itself is libc's. */
long green_hook_posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
			    const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	(void)pid, (void)path, (void)fa, (void)attr, (void)argv, (void)envp;
	green_fd_share_all();
	return GREEN_PASS;
}

long green_hook_posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
			     const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	return green_hook_posix_spawn(pid, file, fa, attr, argv, envp);
}

/* Even when passing through: a wrapper cannot call the real vfork (the child would return from
 * our frame and clobber it for the suspended parent); POSIX allows vfork to be fork. */
GREEN_EXPORT_RAW(pid_t, vfork, (void))
{
	return fork();
}

/* system(): SIGINT and SIGQUIT ignored and SIGCHLD blocked while any green thread waits in it
 * (glibc counts the users the same way, sysdeps/posix/system.c). Hub OS thread only. */
static int system_users;
static struct sigaction system_intr, system_quit;
static sigset_t system_mask;

/* Run line; *spawn_err: posix_spawn's error (0 when the shell ran). */
static int system_run(const char *line, int *spawn_err)
{
	const char *argv[] = { "sh", "-c", "--", line, NULL };
	posix_spawnattr_t attr;
	sigset_t reset;
	pid_t pid;
	int status = 0, err;
	bool cancelled = false;

	if (system_users++ == 0) {
		struct sigaction ign = { .sa_handler = SIG_IGN };
		sigset_t chld;
		sigemptyset(&chld);
		sigaddset(&chld, SIGCHLD);
		green_signal_action(SIGINT, &ign, &system_intr);
		green_signal_action(SIGQUIT, &ign, &system_quit);
		green_signal_mask(SIG_BLOCK, &chld, &system_mask);
	}
	sigemptyset(&reset);
	if (system_intr.sa_handler != SIG_IGN)
		sigaddset(&reset, SIGINT);
	if (system_quit.sa_handler != SIG_IGN)
		sigaddset(&reset, SIGQUIT);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &system_mask);
	posix_spawnattr_setsigdefault(&attr, &reset);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	green_fd_share_all(); /* descriptions without O_CLOEXEC reach the shell */
	err = GREEN_REAL_CALL(posix_spawn)(&pid, "/bin/sh", NULL, &attr, (char *const *)argv, environ);
	posix_spawnattr_destroy(&attr);
	if (err == 0) {
		long w;
		while ((w = process_wait4(pid, &status, 0, NULL)) == -EINTR)
			;
		if (w == -ECANCELED) /* a cancellation point: restore, then act */
			cancelled = true;
	} else {
		status = W_EXITCODE(127, 0); /* the shell could not be run */
	}
	if (--system_users == 0) {
		green_signal_action(SIGINT, &system_intr, NULL);
		green_signal_action(SIGQUIT, &system_quit, NULL);
		green_signal_mask(SIG_SETMASK, &system_mask, NULL);
	}
	green_cancel_leave(cancelled ? -ECANCELED : 0);
	*spawn_err = err;
	return status;
}

/* Hand-written: system's result is the shell's status, and errno is set only when the shell
 * could not be run. A cancellation point (POSIX). */
GREEN_EXPORT_RAW(int, system, (const char *line))
{
	int saved = errno, status, err;

	if (!green_boot_hooking())
		return GREEN_REAL_CALL(system)(line);
	green_cancel_enter();
	/* glibc: system(NULL) tells whether a shell is available by running one. */
	status = line ? system_run(line, &err) : system_run("exit 0", &err) == 0;
	errno = err ? err : saved;
	return status;
}
