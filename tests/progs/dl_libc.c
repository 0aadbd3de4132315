/* libc reached through dlopen("libc.so.6") + dlsym/dlvsym, as ctypes, cffi and plugin loaders
 * do: four threads sleeping through the looked-up sleep overlap, a looked-up read on a pipe
 * waits while the writer runs, RTLD_NEXT from a library of the program's (libwrapwrite, loaded
 * after libgreen) skips that library's own write, and lookups of other names and of missing ones answer as natively. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void *wrapwrite_next(void);
void *wrapwrite_own(void);

static unsigned (*lsleep)(unsigned);
static ssize_t (*lread)(int, void *, size_t);
static int (*lusleep)(useconds_t);
static int fds[2];

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void *sleeper(void *a)
{
	(void)a;
	lsleep(1);
	return NULL;
}

static void *writer(void *a)
{
	(void)a;
	lusleep(100000);
	write(fds[1], "hello", 5);
	return NULL;
}

int main(void)
{
	void *libc = dlopen("libc.so.6", RTLD_NOW);
	pthread_t t[4];
	char buf[16] = { 0 };

	alarm(20); /* a read that blocks the one OS thread would hang: die instead */
	lsleep = (unsigned (*)(unsigned))dlsym(libc, "sleep");
	lread = (ssize_t(*)(int, void *, size_t))dlvsym(libc, "read", "GLIBC_2.2.5");
	lusleep = (int (*)(useconds_t))dlsym(RTLD_DEFAULT, "usleep");
	double start = now();
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, sleeper, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("four 1 s sleeps through dlsym(libc, \"sleep\"): %s\n", now() - start < 2.5 ? "overlapped" : "one after another");

	pipe(fds);
	pthread_create(&t[0], NULL, writer, NULL);
	ssize_t n = lread(fds[0], buf, sizeof buf);
	pthread_join(t[0], NULL);
	printf("read through dlvsym(libc, \"read\", \"GLIBC_2.2.5\"): %zd \"%s\"\n", n, buf);

	ssize_t (*next)(int, const void *, size_t) = (ssize_t(*)(int, const void *, size_t))wrapwrite_next();
	printf("RTLD_NEXT from a later library: %s\n", !next ? "nothing" : (void *)next == wrapwrite_own() ? "its own write" : "a later write");
	fflush(stdout);
	next(1, "which writes\n", 13);
	printf("dlsym(libc, \"strlen\") is strlen: %d\n", dlsym(libc, "strlen") == (void *)strlen);
	printf("dlsym(RTLD_NEXT, \"no_such_fn\"): %p, dlerror mentions it: %d\n", dlsym(RTLD_NEXT, "no_such_fn"),
	       strstr(dlerror() ?: "", "no_such_fn") != NULL);
	printf("dlsym(libc, \"no_such_fn\"): %p, dlerror mentions it: %d\n", dlsym(libc, "no_such_fn"),
	       strstr(dlerror() ?: "", "no_such_fn") != NULL);
	printf("dlvsym(libc, \"read\", \"NO_SUCH_VERSION\"): %p\n", dlvsym(libc, "read", "NO_SUCH_VERSION"));
	fflush(stdout);
	return 0;
}
