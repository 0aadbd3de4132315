/* A thread writes ~1 MiB through stdio (printf, fputs, fwrite, putchar) to stdout while a
 * ticker runs; with stdout a pipe whose reader starts late, the writer blocks on the full pipe.
 * stderr: "ticks=N" (ticks during the output). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ticker.h"

static void *writer(void *arg)
{
	static char block[100000];

	(void)arg;
	for (int i = 0; i < 10000; i++)
		printf("line %d of the output written with printf\n", i);
	for (int i = 0; i < 2000; i++)
		fputs("a line written with fputs, long enough to matter\n", stdout);
	memset(block, 'z', sizeof block);
	for (int i = 0; i < 4; i++)
		fwrite(block, 1, sizeof block, stdout);
	putchar('\n');
	fflush(stdout);
	return NULL;
}

int main(void)
{
	pthread_t tk, w;
	int before;

	pthread_create(&tk, NULL, ticker, (void *)5000);
	usleep(20000);
	before = ticks;
	pthread_create(&w, NULL, writer, NULL);
	pthread_join(w, NULL);
	fprintf(stderr, "ticks=%d\n", ticks - before);
	ticking = 0;
	pthread_join(tk, NULL);
	return 0;
}
