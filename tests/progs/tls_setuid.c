/* set*id from a thread while other real threads exist (libgreen's resolver pool, natively the
 * program's own): glibc applies each call on every OS thread through a signal to each one's
 * TCB, also for the setgroups initgroups makes inside libc. Every call returns what it returns
 * natively; nothing livelocks. */
#include <errno.h>
#include <grp.h>
#include <netdb.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static void show(const char *what, int r)
{
	printf("%s: %d%s%s\n", what, r, r ? " " : "", r ? strerror(errno) : "");
}

static void *worker(void *arg)
{
	struct addrinfo *ai = NULL;
	gid_t groups[64];
	int n = getgroups(64, groups);

	(void)arg;
	/* name resolution goes to libgreen's pool of real threads */
	if (getaddrinfo("localhost", "80", NULL, &ai) == 0)
		freeaddrinfo(ai);
	usleep(1000);
	show("setgid(getgid())", setgid(getgid()));
	show("setuid(getuid())", setuid(getuid()));
	show("setegid(getegid())", setegid(getegid()));
	show("seteuid(geteuid())", seteuid(geteuid()));
	show("setregid(-1, -1)", setregid((gid_t)-1, (gid_t)-1));
	show("setreuid(-1, -1)", setreuid((uid_t)-1, (uid_t)-1));
	show("setresgid(-1, -1, -1)", setresgid((gid_t)-1, (gid_t)-1, (gid_t)-1));
	show("setresuid(-1, -1, -1)", setresuid((uid_t)-1, (uid_t)-1, (uid_t)-1));
	show("setgroups(own list)", n < 0 ? -1 : setgroups((size_t)n, groups));
	{
		/* initgroups calls setgroups inside libc: no hook sees that call */
		struct passwd *pw = getpwuid(getuid());
		errno = 0;
		show("initgroups(own name, own gid)", pw ? initgroups(pw->pw_name, getgid()) : -1);
	}
	errno = 0;
	show("setuid(12345) as non-root, errno kept on EPERM", getuid() == 0 ? (errno = EPERM, -1) : setuid(12345));
	return NULL;
}

static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(void)
{
	pthread_t t, idle;

	pthread_create(&idle, NULL, idle_thread, NULL); /* another thread alive */
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	printf("uid %s, gid %s\n", getuid() == geteuid() ? "unchanged" : "changed",
	       getgid() == getegid() ? "unchanged" : "changed");
	return 0;
}
