/* SPDX-License-Identifier: MIT
 * Helper OS threads: the new thread inherits the creator's signal mask, so block everything
 * around the real pthread_create and restore the creator's mask after.
 */
#include "helper.h"
#include "sys.h"
#include "tls.h"

#include "../preload/real.h"

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int green_helper_start(void *(*fn)(void *), void *arg, size_t stack_size)
{
	pthread_attr_t a;
	pthread_t t;
	sigset_t all, old;
	int r;

	sigfillset(&all);
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	if (stack_size)
		pthread_attr_setstacksize(&a, stack_size);
	/* Raw system call: the sigprocmask hooks would record a green thread's mask. */
	green_sys(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, _NSIG / 8);
	r = green_real()->pthread_create(&t, &a, fn, arg);
	green_sys(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, _NSIG / 8);
	if (!r)
		green_tls_os_thread_made(); /* glibc's set*id handler exists now */
	pthread_attr_destroy(&a);
	return -r;
}
