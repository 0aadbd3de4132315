/* SPDX-License-Identifier: MIT
 * popen and pclose, reimplemented as glibc's (libio/iopopen.c: posix_spawn of /bin/sh -c with
 * the child's end on stdin or stdout, earlier popen streams closed in the child) so that
 * pclose waits for the child cooperatively. Streams from the real popen (made before libgreen
 * was live) still go to the real pclose.
 */
#include "hook.h"

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

GREEN_EXPORT_RAW(FILE *, popen, (const char *cmd, const char *mode))
{
	const char *argv[] = { "sh", "-c", "--", cmd, NULL };
	posix_spawn_file_actions_t fa;
	struct popen_entry *e;
	bool reading, cloexec = false;
	int fds[2], child_end, parent_end, child_std, err;
	pid_t pid;
	FILE *fp;

	if (!green_boot_hooking())
		return GREEN_REAL_CALL(popen)(cmd, mode);
	/* glibc accepts "r" or "w", optionally followed by 'e' (close-on-exec). */
	if (!mode || (mode[0] != 'r' && mode[0] != 'w') || (mode[1] && strcmp(mode + 1, "e"))) {
		errno = EINVAL;
		return NULL;
	}
	reading = mode[0] == 'r';
	cloexec = mode[1] == 'e';
	if (!(e = malloc(sizeof *e)))
		return NULL;
	if (pipe2(fds, O_CLOEXEC)) {
		free(e);
		return NULL;
	}
	child_end = reading ? fds[1] : fds[0];
	parent_end = reading ? fds[0] : fds[1];
	child_std = reading ? STDOUT_FILENO : STDIN_FILENO;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, child_end, child_std);
	/* POSIX: streams of earlier popen calls still open in the parent are closed in the child. */
	for (struct popen_entry *p = popen_list; p; p = p->next)
		posix_spawn_file_actions_addclose(&fa, fileno(p->fp));
	err = posix_spawn(&pid, "/bin/sh", &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(child_end);
	if (err) {
		close(parent_end);
		free(e);
		errno = err;
		return NULL;
	}
	if (!cloexec)
		fcntl(parent_end, F_SETFD, 0);
	fp = fdopen(parent_end, reading ? "r" : "w");
	if (!fp) {
		close(parent_end);
		waitpid(pid, NULL, 0);
		free(e);
		return NULL;
	}
	e->fp = fp;
	e->pid = pid;
	e->next = popen_list;
	popen_list = e;
	return fp;
}

GREEN_EXPORT_RAW(int, pclose, (FILE *fp))
{
	struct popen_entry **pp, *e = NULL;
	int status;
	pid_t r;

	if (green_boot_hooking())
		for (pp = &popen_list; *pp; pp = &(*pp)->next)
			if ((*pp)->fp == fp) {
				e = *pp;
				*pp = e->next;
				break;
			}
	if (!e)
		return GREEN_REAL_CALL(pclose)(fp);
	fclose(fp);
	/* glibc retries the wait after EINTR. */
	while ((r = waitpid(e->pid, &status, 0)) < 0 && errno == EINTR)
		;
	free(e);
	return r < 0 ? -1 : status;
}
