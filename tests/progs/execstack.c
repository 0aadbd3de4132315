/* A program that needs an executable stack (a GCC nested function whose address is taken: its
 * trampoline is built on the stack; the linker marks the program PT_GNU_STACK RWX). glibc then
 * gives every thread an executable stack; the nested function runs in a thread. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *sorter(void *arg)
{
	int base = *(int *)arg;
	int v[5] = { 5, 3, 9, 1, 7 };
	int cmp(const void *a, const void *b) /* uses base: needs a trampoline */
	{
		return (*(const int *)a - base) - (*(const int *)b - base);
	}
	qsort(v, 5, sizeof *v, cmp);
	printf("sorted in a thread: %d %d %d %d %d\n", v[0], v[1], v[2], v[3], v[4]);
	return NULL;
}

int main(void)
{
	pthread_t t;
	int base = 2;

	pthread_create(&t, NULL, sorter, &base);
	pthread_join(t, NULL);
	return 0;
}
