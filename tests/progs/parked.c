/* Threads parked in functions of known names, for the diagnostics: a sleeper, a pipe reader,
 * a mutex waiter, a timed condition waiter and a child waiter. Then, by mode:
 *   dump  - raise SIGUSR2 (the program's own SIGUSR2 handler does nothing, so the native run
 *           lives; under libgreen with GREEN_DUMP_SIGNAL=USR2 the signal dumps every thread)
 *   spin  - main busy-loops for 300 ms in spin_for_a_while (the hub monitor names it)
 *   syscall - main sleeps 300 ms in an inline nanosleep system call (no libc: libgreen cannot
 *           see it), made in raw_nanosleep
 *   none  - nothing
 * and releases everything; the output is the same natively and under libgreen. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int pfd[2];
static pid_t child;
static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int released;

static __attribute__((noinline)) void sleeper_in_sleep(void)
{
	struct timespec ts = { 0, 0 };
	while (!__atomic_load_n(&released, __ATOMIC_ACQUIRE)) {
		ts.tv_nsec = 500 * 1000 * 1000; /* the dump comes at 200 ms: still asleep */
		nanosleep(&ts, NULL);
	}
}

static __attribute__((noinline)) void reader_on_pipe(void)
{
	char c;
	if (read(pfd[0], &c, 1) != 1)
		printf("read failed\n");
}

static __attribute__((noinline)) void locker_waits_mutex(void)
{
	pthread_mutex_lock(&held);
	pthread_mutex_unlock(&held);
}

static __attribute__((noinline)) void cond_waiter_with_timeout(void)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 60;
	pthread_mutex_lock(&cm);
	while (!__atomic_load_n(&released, __ATOMIC_ACQUIRE))
		if (pthread_cond_timedwait(&cv, &cm, &until))
			break;
	pthread_mutex_unlock(&cm);
}

static __attribute__((noinline)) void child_waiter(void)
{
	int st;
	if (waitpid(child, &st, 0) != child)
		printf("waitpid failed\n");
}

static void *run(void *arg)
{
	void (*fn)(void) = (void (*)(void))arg;
	fn();
	__asm__ volatile("" ::: "memory"); /* keep the call above a call, not a tail jump */
	return NULL;
}

static __attribute__((noinline)) void spin_for_a_while(int ms)
{
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static void on_usr2(int sig)
{
	(void)sig;
}

/* nanosleep as a program's own inline system call, past libc and its syscall(). */
__attribute__((noinline)) long raw_nanosleep(const struct timespec *ts)
{
	long r;
#if defined(__x86_64__)
	__asm__ volatile("syscall" : "=a"(r) : "0"((long)SYS_nanosleep), "D"(ts), "S"(0L) : "rcx", "r11", "memory");
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = SYS_nanosleep, x0 __asm__("x0") = (long)ts, x1 __asm__("x1") = 0;
	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1) : "memory");
	r = x0;
#else
	r = syscall(SYS_nanosleep, ts, NULL);
#endif
	return r;
}

int main(int argc, char **argv)
{
	static const struct { const char *name; void (*fn)(void); } jobs[] = {
		{ "sleeper", sleeper_in_sleep },   { "reader", reader_on_pipe },
		{ "locker", locker_waits_mutex },  { "condwait", cond_waiter_with_timeout },
		{ "childwait", child_waiter },
	};
	const char *mode = argc > 1 ? argv[1] : "none";
	pthread_t t[5];
	struct timespec settle = { 0, 200 * 1000 * 1000 };

	signal(SIGUSR2, on_usr2);
	if (pipe(pfd))
		return 1;
	child = fork();
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive a parent killed by a debugger */
		if (getppid() == 1)
			_exit(0);
		pause();
		_exit(0);
	}
	pthread_mutex_lock(&held);
	for (int i = 0; i < 5; i++) {
		pthread_create(&t[i], NULL, run, (void *)jobs[i].fn);
		pthread_setname_np(t[i], jobs[i].name);
	}
	nanosleep(&settle, NULL);
	if (!strcmp(mode, "dump"))
		raise(SIGUSR2);
	else if (!strcmp(mode, "spin"))
		spin_for_a_while(300);
	else if (!strcmp(mode, "syscall")) {
		struct timespec ms300 = { 0, 300 * 1000 * 1000 };
		raw_nanosleep(&ms300);
	}
	printf("after %s\n", mode);
	fflush(stdout);
	/* Release everything. */
	__atomic_store_n(&released, 1, __ATOMIC_RELEASE);
	if (write(pfd[1], "x", 1) != 1)
		return 1;
	pthread_mutex_unlock(&held);
	pthread_mutex_lock(&cm);
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&cm);
	kill(child, SIGTERM);
	for (int i = 0; i < 5; i++)
		pthread_join(t[i], NULL);
	printf("done\n");
	return 0;
}
