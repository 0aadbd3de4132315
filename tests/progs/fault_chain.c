/* The program's SIGSEGV/SIGBUS handling is its own, whatever libgreen does for stack overflows:
 * sigaltstack reports no alternate stack until the program sets one (per thread: a new thread
 * has none); a handler runs with its sa_mask and the signal blocked, or not with SA_NODEFER;
 * with SA_ONSTACK it runs on the program's own alternate stack; a handler installed from a
 * handler replaces it; SA_RESETHAND puts the default back. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sigjmp_buf back;
static volatile int usr1_blocked, segv_blocked, on_alt, which;
static char *alt;
static size_t alt_size = 1 << 16;

static int *volatile nowhere; /* NULL, unknown to the compiler */

static void fault(void)
{
	*nowhere = 1;
}

static void record(void)
{
	sigset_t cur;
	char here;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	usr1_blocked = sigismember(&cur, SIGUSR1);
	segv_blocked = sigismember(&cur, SIGSEGV);
	on_alt = alt && &here >= alt && &here < alt + alt_size;
}

static void second(int sig)
{
	(void)sig;
	which = 2;
	siglongjmp(back, 1);
}

static void first(int sig)
{
	struct sigaction sa = { .sa_handler = second };

	(void)sig;
	record();
	which = 1;
	sigemptyset(&sa.sa_mask);
	if (getenv("REPLACE_IN_HANDLER"))
		sigaction(SIGSEGV, &sa, NULL);
	siglongjmp(back, 1);
}

static void try_fault(const char *what, int flags, int replace)
{
	struct sigaction sa = { .sa_handler = first, .sa_flags = flags }, cur;

	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR1);
	sigaction(SIGSEGV, &sa, NULL);
	if (replace)
		setenv("REPLACE_IN_HANDLER", "1", 1);
	usr1_blocked = segv_blocked = on_alt = which = 0;
	if (!sigsetjmp(back, 1))
		fault();
	printf("%s: handler %d, SIGUSR1 blocked in it %d, SIGSEGV blocked in it %d, on the alternate stack %d\n",
	       what, which, usr1_blocked, segv_blocked, on_alt);
	if (replace) {
		which = 0;
		if (!sigsetjmp(back, 1))
			fault();
		sigaction(SIGSEGV, NULL, &cur);
		printf("%s: the second fault ran handler %d, sigaction reports it %d\n", what, which,
		       cur.sa_handler == second);
		unsetenv("REPLACE_IN_HANDLER");
	}
	if (flags & SA_RESETHAND) {
		sigaction(SIGSEGV, NULL, &cur);
		printf("%s: disposition after it is SIG_DFL %d\n", what, cur.sa_handler == SIG_DFL);
	}
}

static void *thread_view(void *unused)
{
	stack_t ss;

	(void)unused;
	sigaltstack(NULL, &ss);
	printf("new thread: sigaltstack disabled %d\n", (ss.ss_flags & SS_DISABLE) != 0);
	return NULL;
}

int main(void)
{
	stack_t ss, old;
	pthread_t t;
	int r;

	sigaltstack(NULL, &ss);
	printf("start: sigaltstack disabled %d, size %zu\n", (ss.ss_flags & SS_DISABLE) != 0,
	       ss.ss_size);
	try_fault("sa_mask", 0, 0);
	try_fault("SA_NODEFER", SA_NODEFER, 0);
	try_fault("SA_ONSTACK without a stack", SA_ONSTACK, 0);
	try_fault("replaced from the handler", 0, 1);
	try_fault("SA_RESETHAND", SA_RESETHAND, 0);

	alt = malloc(alt_size);
	ss = (stack_t){ .ss_sp = alt, .ss_size = alt_size };
	sigaltstack(&ss, &old);
	printf("set: the old one was disabled %d\n", (old.ss_flags & SS_DISABLE) != 0);
	sigaltstack(NULL, &old);
	printf("set: reported back %d, flags %d\n", old.ss_sp == alt && old.ss_size == alt_size,
	       old.ss_flags);
	try_fault("SA_ONSTACK", SA_ONSTACK, 0);
	pthread_create(&t, NULL, thread_view, NULL);
	pthread_join(t, NULL);
	sigaltstack(NULL, &old);
	printf("main after the thread: still its own %d\n", old.ss_sp == alt);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	sigaltstack(NULL, &old);
	printf("disabled: reported disabled %d\n", (old.ss_flags & SS_DISABLE) != 0);
	ss = (stack_t){ .ss_sp = alt, .ss_size = 100 };
	errno = 0;
	r = sigaltstack(&ss, NULL);
	printf("too small: %d %s\n", r, strerror(errno));
	errno = 0;
	r = sigaltstack((stack_t *)8, NULL);
	printf("bad pointer: %d %s\n", r, strerror(errno));
	return 0;
}
