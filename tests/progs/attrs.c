/* Thread attributes: stack size, user-supplied stack, guard size and detach state as reported
 * by pthread_getattr_np inside the thread; deep recursion on a default stack; EAGAIN when no
 * stack can be had. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

struct report {
	size_t size, guard;
	int detach;
	int local_inside; /* a local variable's address lies in the reported stack */
	void *addr;
};

static void *describe(void *arg)
{
	struct report *r = arg;
	pthread_attr_t a;
	void *lo;
	size_t size;
	int local;

	if (pthread_getattr_np(pthread_self(), &a))
		return (void *)1;
	pthread_attr_getstack(&a, &lo, &size);
	pthread_attr_getguardsize(&a, &r->guard);
	pthread_attr_getdetachstate(&a, &r->detach);
	pthread_attr_destroy(&a);
	r->size = size;
	r->addr = lo;
	r->local_inside = (char *)&local >= (char *)lo && (char *)&local < (char *)lo + size;
	return NULL;
}

static long recurse(long depth)
{
	volatile char pad[1024];

	pad[0] = (char)depth;
	if (depth == 0)
		return pad[0];
	return recurse(depth - 1) + pad[0];
}

static void *deep(void *arg)
{
	return (void *)recurse((long)(intptr_t)arg);
}

int main(void)
{
	pthread_attr_t a;
	pthread_t t;
	struct report r;
	void *mem;
	size_t sizes[] = { 16384, 65536, 1 << 20, 4 << 20 };
	int e;

	for (unsigned i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		memset(&r, 0, sizeof r);
		pthread_attr_init(&a);
		pthread_attr_setstacksize(&a, sizes[i]);
		pthread_create(&t, &a, describe, &r);
		pthread_join(t, NULL);
		pthread_attr_destroy(&a);
		printf("stacksize %zu: reported >= asked %d, local inside %d, detach %d\n", sizes[i],
		       r.size >= sizes[i] && r.size < sizes[i] + 65536, r.local_inside,
		       r.detach == PTHREAD_CREATE_JOINABLE);
	}
	pthread_attr_init(&a);
	pthread_attr_setguardsize(&a, 3 * 4096);
	pthread_create(&t, &a, describe, &r);
	pthread_join(t, NULL);
	pthread_attr_destroy(&a);
	printf("guardsize 12288: reported %zu\n", r.guard);

	mem = aligned_alloc(4096, 256 << 10);
	pthread_attr_init(&a);
	pthread_attr_setstack(&a, mem, 256 << 10);
	pthread_create(&t, &a, describe, &r);
	pthread_join(t, NULL);
	pthread_attr_destroy(&a);
	printf("user stack: same address %d, same size %d, local inside %d\n", r.addr == mem,
	       r.size == 256 << 10, r.local_inside);
	free(mem);

	pthread_create(&t, NULL, deep, (void *)(intptr_t)6000); /* ~6 MiB of the default 8 MiB */
	printf("6 MiB deep recursion: %s\n", pthread_join(t, NULL) ? "failed" : "ok");

	{
		struct rlimit rl = { 1ul << 30, 1ul << 30 };
		setrlimit(RLIMIT_AS, &rl);
		pthread_attr_init(&a);
		pthread_attr_setstacksize(&a, 2ul << 30);
		e = pthread_create(&t, &a, describe, &r);
		printf("2 GiB stack under a 1 GiB address-space limit: %s\n", e == EAGAIN ? "EAGAIN" : strerror(e));
		pthread_attr_destroy(&a);
	}
	return 0;
}
