/* Programs that switch stacks themselves: each of four threads runs two makecontext/swapcontext
 * coroutines on stacks of its own (malloc'd, not libgreen's), and each coroutine sleeps (parks)
 * while on its own stack between steps. Every step of every coroutine runs, in order. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>
#include <unistd.h>

struct co {
	ucontext_t ctx, caller;
	int step;
	char trace[16];
};

static void body(unsigned hi, unsigned lo)
{
	struct co *c = (struct co *)(((uintptr_t)hi << 32) | lo);
	volatile char on_own_stack[256]; /* a frame on the coroutine's stack across each park */

	for (c->step = 0; c->step < 3; c->step++) {
		on_own_stack[c->step] = (char)('a' + c->step);
		usleep(10000);
		c->trace[c->step] = on_own_stack[c->step];
		swapcontext(&c->ctx, &c->caller);
	}
}

static void *thread(void *arg)
{
	struct co *c = arg;

	for (int i = 0; i < 2; i++) {
		getcontext(&c[i].ctx);
		c[i].ctx.uc_stack.ss_sp = malloc(65536);
		c[i].ctx.uc_stack.ss_size = 65536;
		c[i].ctx.uc_link = &c[i].caller;
		makecontext(&c[i].ctx, (void (*)(void))body, 2, (unsigned)((uintptr_t)&c[i] >> 32),
			    (unsigned)(uintptr_t)&c[i]);
	}
	for (int round = 0; round < 4; round++)
		for (int i = 0; i < 2; i++)
			swapcontext(&c[i].caller, &c[i].ctx);
	for (int i = 0; i < 2; i++)
		free(c[i].ctx.uc_stack.ss_sp);
	return NULL;
}

int main(void)
{
	static struct co cos[4][2];
	pthread_t t[4];

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, thread, cos[i]);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 4; i++)
		printf("thread %d: coroutine steps %d \"%s\", %d \"%s\"\n", i, cos[i][0].step, cos[i][0].trace,
		       cos[i][1].step, cos[i][1].trace);
	return 0;
}
