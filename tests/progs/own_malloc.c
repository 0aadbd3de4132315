/* A program with its own malloc, as jemalloc, tcmalloc, mimalloc and hand-written allocators
 * have: every allocation takes a pthread mutex (the hook), from the very first malloc of the
 * dynamic loader on, including dlsym's error path while libgreen resolves libc. 16 threads
 * allocate, park (usleep) and free while holding nothing.
 * stdout (compared with the native run): what was allocated and freed.
 * stderr: "tasks=K locks=L". Usage: own_malloc */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os_threads.h"

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t size);
void __libc_free(void *p);

static pthread_mutex_t heap_lock = PTHREAD_MUTEX_INITIALIZER;
static long locks;

/* The allocator's lock: trylock first, as jemalloc's malloc_mutex_lock does. */
static void heap_enter(void)
{
	if (pthread_mutex_trylock(&heap_lock))
		pthread_mutex_lock(&heap_lock);
	locks++;
}

static void heap_leave(void)
{
	pthread_mutex_unlock(&heap_lock);
}

void *malloc(size_t size)
{
	void *p;

	heap_enter();
	p = __libc_malloc(size);
	heap_leave();
	return p;
}

void *calloc(size_t n, size_t size)
{
	void *p;

	heap_enter();
	p = __libc_calloc(n, size);
	heap_leave();
	return p;
}

void *realloc(void *old, size_t size)
{
	void *p;

	heap_enter();
	p = __libc_realloc(old, size);
	heap_leave();
	return p;
}

void free(void *p)
{
	heap_enter();
	__libc_free(p);
	heap_leave();
}

static long allocated[16];

static void *worker(void *arg)
{
	long id = (long)arg;

	for (int i = 0; i < 200; i++) {
		char *p = malloc(64 + (size_t)i);
		memset(p, 'a', 64);
		p = realloc(p, 4096);
		if (i % 50 == 0)
			usleep(1000); /* park with nothing held */
		free(p);
		allocated[id]++;
	}
	return NULL;
}

int main(void)
{
	pthread_t t[16];
	long total = 0;
	int tasks;

	for (long i = 0; i < 16; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	tasks = os_threads();
	for (int i = 0; i < 16; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 16; i++)
		total += allocated[i];
	printf("16 threads allocated, resized and freed %ld blocks\n", total);
	fprintf(stderr, "tasks=%d locks=%ld\n", tasks, locks);
	return 0;
}
