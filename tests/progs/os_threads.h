/* Shared by test programs: how many OS threads (kernel tasks) this process has right now. */
#ifndef TESTS_PROGS_OS_THREADS_H
#define TESTS_PROGS_OS_THREADS_H

#include <dirent.h>

static inline int os_threads(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

#endif
