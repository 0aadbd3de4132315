/* SPDX-License-Identifier: MIT
 * green --self-test: runs the launcher itself under libgreen.so (--self-test-run) through a
 * set of checks of what TLS per green thread must give, and reports which TLS mode libgreen
 * chose on this machine and why. The checks run as green threads; each prints one line.
 */
#include "selftest.h"

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <gnu/libc-version.h>
#include <locale.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_THREADS 4

extern int __cxa_thread_atexit_impl(void (*fn)(void *), void *obj, void *dso);
extern void *__dso_handle;

static __thread int check_value = 1;
static __thread pthread_t check_dtor_owner;
static int check_wrong[6], check_dtor_ran, check_dtor_elsewhere;
static pthread_barrier_t check_barrier;

static void check_dtor(void *arg)
{
	(void)arg;
	check_dtor_ran++;
	check_dtor_elsewhere += !pthread_equal(check_dtor_owner, pthread_self());
}

static void *check_thread(void *arg)
{
	int id = (int)(long)arg;
	locale_t own = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	char path[64];
	const char *msg;

	check_wrong[0] += check_value != 1;
	check_value = 100 + id;
	errno = 200 + id;
	uselocale(own);
	snprintf(path, sizeof path, "/nonexistent/self-test-%d.so", id);
	dlopen(path, RTLD_NOW);
	check_dtor_owner = pthread_self();
	__cxa_thread_atexit_impl(check_dtor, NULL, &__dso_handle);
	pthread_barrier_wait(&check_barrier);
	usleep(2000 + (unsigned)id * 500); /* the others run meanwhile */
	check_wrong[0] += check_value != 100 + id;
	check_wrong[1] += errno != 200 + id;
	check_wrong[2] += uselocale((locale_t)0) != own;
	msg = dlerror();
	check_wrong[3] += !msg || !strstr(msg, path);
	uselocale(LC_GLOBAL_LOCALE);
	freelocale(own);
	return NULL;
}

static void *check_holder(void *arg)
{
	(void)arg;
	flockfile(stdout);
	pthread_barrier_wait(&check_barrier);
	usleep(20000);
	funlockfile(stdout);
	return NULL;
}

static void *check_trier(void *arg)
{
	int *busy = arg;

	pthread_barrier_wait(&check_barrier);
	*busy = ftrylockfile(stdout) != 0;
	if (!*busy)
		funlockfile(stdout);
	return NULL;
}

static void *check_setuid(void *arg)
{
	struct addrinfo *ai = NULL;
	int *r = arg;

	if (getaddrinfo("localhost", NULL, NULL, &ai) == 0) /* libgreen's pool: real threads */
		freeaddrinfo(ai);
	*r = setuid(getuid()) == 0 && setgid(getgid()) == 0;
	return NULL;
}

static void *check_small(void *arg)
{
	*(int *)arg = check_value == 1 && isalpha('x');
	return NULL;
}

static void report(bool ok, const char *kind, const char *what)
{
	printf("%s %s %s\n", ok ? "ok" : "FAILED", kind, what);
	fflush(stdout);
}

int green_selftest_run(void)
{
	pthread_t t[CHECK_THREADS];
	pthread_attr_t small;
	int busy = 0, set = 0, small_ok = 0;

	alarm(30); /* a check that hangs ends the run: the launcher reports it */
	pthread_barrier_init(&check_barrier, NULL, CHECK_THREADS);
	for (long i = 0; i < CHECK_THREADS; i++)
		pthread_create(&t[i], NULL, check_thread, (void *)i);
	for (int i = 0; i < CHECK_THREADS; i++)
		pthread_join(t[i], NULL);
	report(!check_wrong[0], "tls", "__thread variables are each thread's own across parks");
	report(!check_wrong[1], "tls", "errno is each thread's own");
	report(!check_wrong[2], "tls", "uselocale() is per thread");
	report(!check_wrong[3], "tls", "dlerror() is per thread");
	report(check_dtor_ran == CHECK_THREADS && !check_dtor_elsewhere, "tls",
	       "thread_local destructors run in their own thread when it exits");
	pthread_barrier_destroy(&check_barrier);
	pthread_barrier_init(&check_barrier, NULL, 2);
	pthread_create(&t[0], NULL, check_holder, NULL);
	pthread_create(&t[1], NULL, check_trier, &busy);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	report(busy, "any", "ftrylockfile answers busy while another thread holds the FILE across a park");
	pthread_create(&t[0], NULL, check_setuid, &set);
	pthread_join(t[0], NULL);
	report(set, "any", "setuid/setgid from a thread while real threads exist");
	pthread_attr_init(&small);
	pthread_attr_setstacksize(&small, 16384);
	if (pthread_create(&t[0], &small, check_small, &small_ok) || pthread_join(t[0], NULL))
		small_ok = 0;
	report(small_ok, "tls", "a thread on a 16 KiB stack starts with fresh TLS and ctype tables");
	return 0;
}

int green_selftest(const char *lib, char *const self_argv0)
{
	static char checks[32][1024];
	int fds[2], status = 0, failed = 0, n = 0;
	char line[1024], mode[64] = "", why[512] = "";
	pid_t pid;
	FILE *in;

	printf("green --self-test: %s, glibc %s\n", lib, gnu_get_libc_version());
	fflush(stdout);
	if (pipe(fds))
		return 1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		setenv("LD_PRELOAD", lib, 1);
		setenv("GREEN_STATS", "1", 1);
		execl("/proc/self/exe", self_argv0, "--self-test-run", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	while (in && fgets(line, sizeof line, in)) {
		char *p;
		line[strcspn(line, "\n")] = '\0';
		if ((p = strstr(line, " tls=")) && strstr(line, "libgreen: stats: "))
			snprintf(mode, sizeof mode, "%s", p + 5);
		else if ((p = strstr(line, "shares the OS thread's TLS: ")))
			snprintf(why, sizeof why, "%s", p + 28);
		else if ((!strncmp(line, "ok ", 3) || !strncmp(line, "FAILED ", 7)) && n < 32)
			snprintf(checks[n++], sizeof checks[0], "%s", line);
		else
			printf("  %s\n", line); /* anything else libgreen said */
	}
	if (in)
		fclose(in);
	waitpid(pid, &status, 0);
	/* The verdicts wait for the mode (libgreen says it at exit): with shared TLS the tls
	 * checks cannot pass, and are not counted. */
	for (int i = 0; i < n; i++) {
		bool ok = checks[i][0] == 'o', tls = strstr(checks[i], " tls ") != NULL;
		const char *what = strchr(strchr(checks[i], ' ') + 1, ' ') + 1;
		bool expected = !ok && tls && !strcmp(mode, "shared");
		printf("  %-8s %s\n", ok ? "ok" : expected ? "shared" : "FAILED", what);
		failed += !ok && !expected;
	}
	if (!mode[0]) {
		printf("the check run did not finish (%s %d): libgreen cannot run here as it is\n",
		       WIFSIGNALED(status) ? "signal" : "status",
		       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		return 1;
	}
	if (!strcmp(mode, "shared"))
		printf("TLS per green thread: shared: every green thread sees the OS thread's __thread\n"
		       "variables (%s)\n", why[0] ? why : "GREEN_TLS=shared");
	else
		printf("TLS per green thread: own, switched with %s\n", mode);
	if (n < 8)
		failed++;
	printf("%s\n", failed ? "self-test FAILED" : "self-test passed");
	return failed ? 1 : 0;
}
