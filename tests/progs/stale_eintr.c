/* A handled signal interrupts only a call that was blocked when its handler ran: after a
 * signal handled while nothing waited, the next nanosleep sleeps its full time (no stale
 * EINTR), and sched_yield with nothing else to run returns. */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>
#include <pthread.h>
#include <sys/time.h>
static void h(int s){ (void)s; }
static double now(void){ struct timespec t; clock_gettime(CLOCK_MONOTONIC,&t); return t.tv_sec+t.tv_nsec/1e9; }
static void *busy(void *a){ volatile long x=0; double e=now()+0.3; while(now()<e) x++; return a; }
int main(void){ signal(SIGUSR1, h); signal(SIGALRM, h);
  /* 1: handler runs while main is not in a call */
  raise(SIGUSR1);
  double t=now(); int r=nanosleep(&(struct timespec){0,200000000},0); printf("1: nanosleep after a handled signal: r=%d %s %.1f s\n", r, r?strerror(errno):"", now()-t);
  /* 2: handler runs while another green thread runs */
  pthread_t th; pthread_create(&th,0,busy,0); struct itimerval it={{0,0},{0,100000}}; setitimer(ITIMER_REAL,&it,0); pthread_join(th,0);
  t=now(); r=nanosleep(&(struct timespec){0,200000000},0); printf("2: nanosleep after: r=%d %s %.1f s\n", r, r?strerror(errno):"", now()-t);
  /* 3: sem/cond etc */
  alarm(1); r=pause(); printf("3: pause: %d %s\n", r, strerror(errno));
  t=now(); r=nanosleep(&(struct timespec){0,200000000},0); printf("3: nanosleep after: r=%d %s %.1f s\n", r, r?strerror(errno):"", now()-t);
  printf("sched_yield alone: %d\n", sched_yield());
  return 0; }
