/* SPDX-License-Identifier: MIT
 * popen and pclose, reimplemented as glibc's (libio/iopopen.c: posix_spawn of /bin/sh -c with
 * the child's end on stdin or stdout, earlier popen streams closed in the child) so that
 * pclose waits for the child cooperatively. Streams from the real popen (made before libgreen
 * was live) still go to the real pclose.
 */
#include "hook.h"

#include "../core/fd.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

/* One stream of ours: the FILE and its child. Hub OS thread only. */
struct popen_entry {
	FILE *fp;
	pid_t pid;
	struct popen_entry *next;
};

static struct popen_entry *popen_list;

/* Close one of our pipe ends (the fd table forgets it first). */
static void popen_close(int fd)
{
	green_fd_forget(fd);
	GREEN_REAL_CALL(close)(fd);
}

long green_hook_popen(const char *cmd, const char *mode)
{
	const char *argv[] = { "sh", "-c", "--", cmd, NULL };
	posix_spawn_file_actions_t fa;
	struct popen_entry *e;
	bool reading, cloexec = false;
	int fds[2], child_end, parent_end, child_std, err;
	pid_t pid;
	FILE *fp;

	long r;

	/* glibc accepts "r" or "w", optionally followed by 'e' (close-on-exec). */
	if (!mode || (mode[0] != 'r' && mode[0] != 'w') || (mode[1] && strcmp(mode + 1, "e")))
		return -EINVAL;
	reading = mode[0] == 'r';
	cloexec = mode[1] == 'e';
	if (!(e = malloc(sizeof *e)))
		return -ENOMEM;
	if ((r = green_hook_pipe2(fds, O_CLOEXEC))) {
		free(e);
		return r;
	}
	child_end = reading ? fds[1] : fds[0];
	parent_end = reading ? fds[0] : fds[1];
	child_std = reading ? STDOUT_FILENO : STDIN_FILENO;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, child_end, child_std);
	/* POSIX: streams of earlier popen calls still open in the parent are closed in the child. */
	for (struct popen_entry *p = popen_list; p; p = p->next)
		posix_spawn_file_actions_addclose(&fa, fileno(p->fp));
	green_fd_share_all(); /* descriptions without O_CLOEXEC reach the shell */
	err = GREEN_REAL_CALL(posix_spawn)(&pid, "/bin/sh", &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	popen_close(child_end);
	if (err) {
		popen_close(parent_end);
		free(e);
		return -err;
	}
	if (!cloexec)
		GREEN_REAL_CALL(fcntl)(parent_end, F_SETFD, 0);
	fp = fdopen(parent_end, reading ? "r" : "w");
	if (!fp) {
		err = errno;
		popen_close(parent_end);
		while (green_hook_waitpid(pid, NULL, 0) == -EINTR)
			;
		free(e);
		return -err;
	}
	e->fp = fp;
	e->pid = pid;
	e->next = popen_list;
	popen_list = e;
	return (long)(intptr_t)fp;
}

/* Streams of the real popen (made before libgreen was live) are declined to the real pclose. */
long green_hook_pclose(FILE *fp)
{
	struct popen_entry **pp, *e = NULL;
	int status;
	long r;

	for (pp = &popen_list; *pp; pp = &(*pp)->next)
		if ((*pp)->fp == fp) {
			e = *pp;
			*pp = e->next;
			break;
		}
	if (!e)
		return GREEN_PASS;
	green_fd_forget(fileno(fp));
	GREEN_REAL_CALL(fclose)(fp);
	/* glibc retries the wait after EINTR. */
	while ((r = green_hook_waitpid(e->pid, &status, 0)) == -EINTR)
		;
	free(e);
	return r < 0 ? r : status;
}
