/* Blocking file locks held by another process (flock, lockf, fcntl F_SETLKW) while a ticker
 * thread keeps running; a thread pool does the waiting under libgreen. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ticker.h"

/* Fork a child that takes the lock with how (0 flock, 1 lockf, 2 fcntl), holds it 300 ms. */
static pid_t holder(const char *path, int how)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(path, O_RDWR);
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		if (how == 0)
			flock(fd, LOCK_EX);
		else if (how == 1)
			lockf(fd, F_LOCK, 0);
		else
			fcntl(fd, F_SETLKW, &fl);
		usleep(300000);
		_exit(0);
	}
	return pid;
}

int main(void)
{
	char path[] = "/tmp/libgreen-locks-XXXXXX";
	int fd = mkstemp(path), before, r;
	pthread_t tk;
	static const char *names[] = { "flock", "lockf", "fcntl F_SETLKW" };

	pthread_create(&tk, NULL, ticker, (void *)10000);
	for (int how = 0; how < 3; how++) {
		int mine = open(path, O_RDWR);
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		pid_t pid = holder(path, how);
		usleep(100000);
		before = ticks;
		if (how == 0)
			r = flock(mine, LOCK_EX);
		else if (how == 1)
			r = lockf(mine, F_LOCK, 0);
		else
			r = fcntl(mine, F_SETLKW, &fl);
		printf("%s waited for the other process: %d, ticker ran meanwhile %d\n", names[how], r,
		       ticks - before >= 10);
		close(mine);
		waitpid(pid, NULL, 0);
	}
	ticking = 0;
	pthread_join(tk, NULL);
	close(fd);
	unlink(path);
	return 0;
}
