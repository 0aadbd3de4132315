/* Every kind of __thread variable is each thread's own across parks: the program's (local
 * exec), a linked -fPIC library's (general dynamic) and initial-exec ones, and those of two
 * libraries a thread dlopen()s (by bare name, through the program's DT_RUNPATH) after the
 * other threads exist. Eight threads write their own values, sleep, and count what changed;
 * main prints the counts in order, so the output is the same natively and green. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define THREADS 8
#define ROUNDS 20

int tlsgd_get(void);
void tlsgd_set(int v);
int tlsie_get(void);
void tlsie_set(int v);

static __thread int prog_var = 5;
static __thread char prog_name[16] = "unnamed";
static pthread_barrier_t loaded, started;
static int (*dlgd_get)(void), (*dlie_get)(void);
static void (*dlgd_set)(int), (*dlie_set)(int);
static int *dlie_ctor_saw;
static int wrong[THREADS], fresh_wrong[THREADS];
static const void *addr[THREADS];

static void load(void)
{
	void *gd = dlopen("libtlsdlgd.so", RTLD_NOW), *ie = dlopen("libtlsdlie.so", RTLD_NOW);

	if (!gd || !ie) {
		printf("dlopen: %s\n", dlerror());
		return;
	}
	dlgd_get = (int (*)(void))dlsym(gd, "tlsdlgd_get");
	dlgd_set = (void (*)(int))dlsym(gd, "tlsdlgd_set");
	dlie_get = (int (*)(void))dlsym(ie, "tlsdlie_get");
	dlie_set = (void (*)(int))dlsym(ie, "tlsdlie_set");
	dlie_ctor_saw = (int *)dlsym(ie, "tlsdlie_ctor_saw");
}

static void *worker(void *arg)
{
	int id = (int)(long)arg, bad = 0, fresh = 0;
	char name[16];

	snprintf(name, sizeof name, "worker%d", id);
	fresh += prog_var != 5 || strcmp(prog_name, "unnamed") || tlsgd_get() != 11 || tlsie_get() != 13;
	addr[id] = &prog_var;
	pthread_barrier_wait(&started);
	for (int r = 0; r < ROUNDS; r++) {
		prog_var = id * 100 + r;
		strcpy(prog_name, name);
		tlsgd_set(id * 1000 + r);
		tlsie_set(id * 10000 + r);
		usleep(200 + (unsigned)(id * 37 % 5) * 100);
		bad += prog_var != id * 100 + r;
		bad += strcmp(prog_name, name) != 0;
		bad += tlsgd_get() != id * 1000 + r;
		bad += tlsie_get() != id * 10000 + r;
	}
	if (id == 3)
		load(); /* a green thread other than main loads them */
	pthread_barrier_wait(&loaded);
	if (!dlgd_get)
		return NULL;
	fresh += dlgd_get() != 21 || dlie_get() != 23;
	for (int r = 0; r < ROUNDS; r++) {
		dlgd_set(id * 100 + r);
		dlie_set(id * 1000 + r);
		usleep(200 + (unsigned)(id * 53 % 7) * 100);
		bad += dlgd_get() != id * 100 + r;
		bad += dlie_get() != id * 1000 + r;
		bad += prog_var != id * 100 + ROUNDS - 1;
	}
	wrong[id] = bad;
	fresh_wrong[id] = fresh;
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	int distinct = 0;

	pthread_barrier_init(&started, NULL, THREADS);
	pthread_barrier_init(&loaded, NULL, THREADS);
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < THREADS; i++) {
		int same = 0;
		for (int j = 0; j < i; j++)
			same += addr[j] == addr[i];
		distinct += !same;
		printf("thread %d: %d wrong values, %d wrong initial values\n", i, wrong[i], fresh_wrong[i]);
	}
	printf("distinct addresses of a __thread variable: %d of %d\n", distinct, THREADS);
	printf("the dlopen()ed initial-exec variable seen by its constructor: %d\n", dlie_ctor_saw ? *dlie_ctor_saw : -1);
	printf("main's own: %d %s %d %d\n", prog_var, prog_name, tlsgd_get(), tlsie_get());
	return 0;
}
