/* glibc's per-thread state is each thread's own across parks: the locale uselocale() set,
 * dlerror()'s pending message, the buffers strerror, strsignal and inet_ntoa return, errno
 * and h_errno. A thread started after the others ended starts fresh (global locale, no
 * pending dlerror). Output in thread order, the same natively and green. */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <locale.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define THREADS 6

static int wrong[THREADS];

static void *worker(void *arg)
{
	int id = (int)(long)arg, bad = 0;
	locale_t own = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	char path[64], want[64];
	struct in_addr a = { htonl(0x0a000000u + (unsigned)id) };
	const char *err, *sig, *ip;

	bad += uselocale((locale_t)0) != LC_GLOBAL_LOCALE; /* a new thread: the global locale */
	uselocale(own);
	snprintf(path, sizeof path, "/nonexistent/lib-%d.so", id);
	bad += dlopen(path, RTLD_NOW) != NULL;
	err = strerror(1000 + id);   /* "Unknown error 100N": a per-thread buffer */
	sig = strsignal(100 + id);   /* "Unknown signal 10N" */
	ip = inet_ntoa(a);           /* "10.0.0.N" */
	errno = 40 + id;
	h_errno = id;
	usleep(1000 + (unsigned)(id * 7 % 3) * 500); /* the others do the same meanwhile */
	bad += uselocale((locale_t)0) != own;
	snprintf(want, sizeof want, "Unknown error %d", 1000 + id);
	bad += strcmp(err, want) != 0;
	snprintf(want, sizeof want, "Unknown signal %d", 100 + id);
	bad += strcmp(sig, want) != 0;
	snprintf(want, sizeof want, "10.0.0.%d", id);
	bad += strcmp(ip, want) != 0;
	bad += errno != 40 + id;
	bad += h_errno != id;
	{
		const char *msg = dlerror();
		bad += !msg || !strstr(msg, path);
		bad += dlerror() != NULL; /* read once */
	}
	if (id == THREADS - 1)
		dlopen("/nonexistent/left-pending.so", RTLD_NOW); /* left for nobody */
	uselocale(LC_GLOBAL_LOCALE);
	freelocale(own);
	wrong[id] = bad;
	return NULL;
}

static void *late(void *arg)
{
	int *bad = arg;

	*bad = (uselocale((locale_t)0) != LC_GLOBAL_LOCALE) + (dlerror() != NULL) + (errno != 0);
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	int late_bad = -1;

	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < THREADS; i++)
		printf("thread %d: %d wrong\n", i, wrong[i]);
	pthread_create(&t[0], NULL, late, &late_bad);
	pthread_join(t[0], NULL);
	printf("a thread started later: %d wrong\n", late_bad);
	return 0;
}
