/* What libc's initialisation hands main: environ, argv and the program's name, then a thread
 * that runs a shell (dash reads its environment at start) and popen. Whatever libgreen loads
 * at boot (libunwind for GREEN_DUMP_SIGNAL and GREEN_MONITOR_MS) must leave them intact. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static void *shell(void *arg)
{
	char line[256] = "";
	FILE *p;

	(void)arg;
	fflush(stdout);
	if (system("/bin/sh -c 'echo \"sh sees ENVIRON_CHECK=$ENVIRON_CHECK\"'") != 0)
		printf("system failed\n");
	p = popen("/bin/sh -c 'echo \"popen sees ENVIRON_CHECK=$ENVIRON_CHECK\"'", "r");
	if (p && fgets(line, sizeof line, p))
		fputs(line, stdout);
	if (p)
		pclose(p);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = 0, ours = 0;
	pthread_t t;

	for (char **e = environ; e && *e; e++) {
		n += strncmp(*e, "LD_PRELOAD=", 11) && strncmp(*e, "GREEN_", 6);
		ours += !strcmp(*e, "ENVIRON_CHECK=42");
	}
	printf("environ set: %d, ENVIRON_CHECK in it: %d, getenv: %s\n", environ != NULL, ours,
	       getenv("ENVIRON_CHECK") ? getenv("ENVIRON_CHECK") : "(null)");
	printf("argc=%d argv[0] ends in environ: %d, program_invocation_short_name=%s\n", argc,
	       argv[0] && strlen(argv[0]) >= 7 && !strcmp(argv[0] + strlen(argv[0]) - 7, "environ"),
	       program_invocation_short_name ? program_invocation_short_name : "(null)");
	fprintf(stderr, "env_vars=%d (other than LD_PRELOAD and GREEN_*)\n", n);
	fflush(stdout);
	pthread_create(&t, NULL, shell, NULL);
	pthread_join(t, NULL);
	return 0;
}
