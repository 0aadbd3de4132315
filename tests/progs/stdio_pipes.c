/* stdio on pipes and popen while a ticker runs: fgets, getline, fgetc and fread on a FILE over
 * a pipe fed slowly by another thread; popen("r") read with fgets, popen("w"), pclose statuses. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ticker.h"

static int pfd[2];

static void *slow_writer(void *arg)
{
	const char *parts[] = { "first ", "line\n", "second line\n", "x", "yz", "0123456789", NULL };

	(void)arg;
	for (int i = 0; parts[i]; i++) {
		usleep(60000);
		write(pfd[1], parts[i], strlen(parts[i]));
	}
	close(pfd[1]);
	return NULL;
}

int main(void)
{
	pthread_t tk, w;
	char buf[64], *line = NULL;
	size_t cap = 0;
	FILE *in, *p;
	int before, st;

	pthread_create(&tk, NULL, ticker, (void *)5000);
	pipe(pfd);
	in = fdopen(pfd[0], "r");
	pthread_create(&w, NULL, slow_writer, NULL);
	before = ticks;
	printf("fgets: %s", fgets(buf, sizeof buf, in));
	{
		ssize_t n = getline(&line, &cap, in);
		printf("getline: %zd %s", n, line);
	}
	printf("fgetc: %c", fgetc(in));
	printf("%c", getc(in));
	printf("%c\n", fgetc(in));
	memset(buf, 0, sizeof buf);
	printf("fread 4x2: %zu items: %s\n", fread(buf, 2, 4, in), buf);
	{
		size_t n = fread(buf, 1, 10, in);
		printf("fread at the end: %zu, feof %d\n", n, feof(in) != 0);
	}
	printf("ticker ran while stdio waited: %d\n", ticks - before >= 40);
	pthread_join(w, NULL);
	fclose(in);
	free(line);

	before = ticks;
	p = popen("sleep 0.2; echo from the shell; exit 3", "r");
	printf("popen r: %s", fgets(buf, sizeof buf, p));
	st = pclose(p);
	printf("pclose: exit %d, ticker ran %d\n", WEXITSTATUS(st), ticks - before >= 20);
	p = popen("cat > /dev/null; exit 5", "w");
	fputs("data for cat\n", p);
	st = pclose(p);
	printf("popen w: pclose exit %d\n", WEXITSTATUS(st));
	printf("popen bad mode: %s\n", popen("true", "rw") ? "accepted" : "refused");
	ticking = 0;
	pthread_join(tk, NULL);
	return 0;
}
