/* Preemption stress: N threads (argv[1], 64) for R rounds (argv[2]) each spin on atomics
 * with no hooked call (a pairwise hand-off with their partner), and in between do FP and
 * integer work in registers, malloc/free, snprintf, stdio, mutex and condition-variable calls,
 * and keep a thread_local tally. The spin keeps AVX registers live across it (SSE where the
 * CPU has no AVX). Every figure printed is deterministic: natively and green the output must
 * be the same, whatever was preempted where. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXT 256

static int nthreads, rounds;
static atomic_int arrived[MAXT];     /* the last round each thread reached */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long shared_sum;              /* under mu */
static long done_threads;            /* under mu */
static double fp_result[MAXT];
static unsigned long hash_result[MAXT];
static long tally_result[MAXT];
static _Thread_local long tally;     /* each thread's own: a preemption must not mix them */

/* FP work kept in registers across the spin: a preemption that lost the FP/AVX state would
 * change the result. */
static double fp_work(int id, int r, double acc)
{
	double x = 1.0 + id * 1e-3 + r * 1e-6;
	for (int i = 0; i < 2000; i++)
		acc = acc * 0.999 + x * (i & 7);
	return acc;
}

typedef double v4d __attribute__((vector_size(32)));
typedef double v2d __attribute__((vector_size(16)));

/* Spin until the partner reached round r, with a vector value live in registers throughout
 * (a preemption that lost the upper halves of the ymm registers would change it). */
#define SPIN_BODY(v)                                                           \
	v a = { id, r }, b = { 0.5, 0.25 };                                     \
	for (int i = 0; i < 64; i++)                                           \
		a = a * b + b;                                                 \
	while (atomic_load(&arrived[partner]) < r)                             \
		__asm__ volatile("" : "+x"(a)); /* spin, no call, a in a register */ \
	for (int i = 0; i < 64; i++)                                           \
		a = a * b + a;                                                 \
	return a[0] + a[1] * 3;

__attribute__((target("avx"))) static double spin_avx(int id, int r, int partner) { SPIN_BODY(v4d) }
static double spin_sse(int id, int r, int partner) { SPIN_BODY(v2d) }

static void *worker(void *arg)
{
	int id = (int)(long)arg, partner = id ^ 1;
	double acc = 0;
	unsigned long h = 1469598103934665603ul ^ (unsigned long)id;
	char buf[64];

	for (int r = 1; r <= rounds; r++) {
		acc = fp_work(id, r, acc);
		/* hand-off: tell the partner this round began, spin until it has too */
		atomic_store(&arrived[id], r);
		if (partner < nthreads)
			acc += __builtin_cpu_supports("avx") ? spin_avx(id, r, partner) : spin_sse(id, r, partner);
		for (int i = 0; i < 500; i++)
			h = (h ^ (unsigned long)(i + r)) * 1099511628211ul;
		char *p = malloc((size_t)(16 + (r * 37 + id) % 4000));
		int n = snprintf(buf, sizeof buf, "%d:%d", id, r);
		memset(p, n, 16);
		tally += p[3] + r;
		free(p);
		pthread_mutex_lock(&mu);
		shared_sum += r;
		pthread_mutex_unlock(&mu);
		if (r % 64 == 0) {
			FILE *f = fopen("/dev/null", "w");
			fprintf(f, "%s %.3f\n", buf, acc);
			fclose(f);
		}
	}
	fp_result[id] = acc;
	hash_result[id] = h;
	tally_result[id] = tally;
	pthread_mutex_lock(&mu);
	done_threads++;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[MAXT];
	nthreads = argc > 1 ? atoi(argv[1]) : 64;
	rounds = argc > 2 ? atoi(argv[2]) : 100;
	if (nthreads > MAXT)
		nthreads = MAXT;
	for (long i = 0; i < nthreads; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	pthread_mutex_lock(&mu);
	while (done_threads < nthreads)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	for (int i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	unsigned long hx = 0;
	double fx = 0;
	long tx = 0;
	for (int i = 0; i < nthreads; i++) {
		hx ^= hash_result[i] * (unsigned long)(i + 1);
		fx += fp_result[i];
		tx += tally_result[i];
		if (i < 4)
			printf("thread %d: fp %.17g hash %016lx tally %ld\n", i, fp_result[i], hash_result[i],
			       tally_result[i]);
	}
	printf("%d threads x %d rounds: sum %ld (expected %ld), fp %.17g, hash %016lx, tally %ld\n",
	       nthreads, rounds, shared_sum, (long)nthreads * rounds * (rounds + 1) / 2, fx, hx, tx);
	return 0;
}
