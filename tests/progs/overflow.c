/* A green thread with a 64 KiB stack recursing without end, by mode:
 *   default - no handler: the process dies of SIGSEGV (as natively)
 *   handler - the program's SIGSEGV handler, on its own alternate stack, runs and exits 3
 *   null    - no overflow: a NULL store reaches the program's handler, which exits 4
 * Natively and under libgreen the exit status and stdout are the same; libgreen adds a report
 * naming the thread for the overflow. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile int code;

static void on_segv(int sig)
{
	(void)sig;
	static const char msg[] = "handler ran\n";
	if (write(1, msg, sizeof msg - 1) < 0)
		_exit(1);
	_exit(code);
}

static volatile int forever = 1;
static int *volatile null_ptr;

static __attribute__((noinline)) int recurse_forever(int depth)
{
	volatile char pad[256];
	pad[0] = (char)depth;
	if (!forever)
		return 0;
	return recurse_forever(depth + 1) + pad[0];
}

static void *run(void *arg)
{
	const char *mode = arg;
	if (strcmp(mode, "default")) {
		/* A per-thread alternate stack, as a native program must provide for this. */
		stack_t ss = { .ss_sp = malloc(1 << 16), .ss_size = 1 << 16 };
		struct sigaction sa = { .sa_handler = on_segv, .sa_flags = SA_ONSTACK };
		sigaltstack(&ss, NULL);
		sigaction(SIGSEGV, &sa, NULL);
	}
	if (!strcmp(mode, "null")) {
		code = 4;
		*null_ptr = 1;
	}
	code = 3;
	return (void *)(long)recurse_forever(0);
}

int main(int argc, char **argv)
{
	pthread_t t;
	pthread_attr_t a;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 << 10);
	printf("started\n"); /* before the thread exists: natively it may crash at once */
	fflush(stdout);
	pthread_create(&t, &a, run, argc > 1 ? argv[1] : "default");
	pthread_setname_np(t, "recurser");
	pthread_join(t, NULL);
	printf("not reached\n");
	return 0;
}
