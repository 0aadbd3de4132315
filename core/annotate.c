/* SPDX-License-Identifier: MIT
 * valgrind client requests are inline instructions that do nothing natively; the ASan fiber
 * functions are looked up with dlsym, since libgreen itself is not built with ASan.
 */
#include "../preload/real.h"
#include "annotate.h"

#include "thread.h"

#include <dlfcn.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define GREEN_HAVE_VALGRIND 1
#endif
#endif

static void (*asan_start)(void **fake_stack_save, const void *bottom, size_t size);
static void (*asan_finish)(void *fake_stack_save, const void **bottom_old, size_t *size_old);
static void (*asan_unpoison)(const volatile void *addr, size_t size);
int green_annotate_fibers;
static void (*lsan_root)(const void *p, size_t size);

void green_annotate_boot(void)
{
	asan_start = (void (*)(void **, const void *, size_t))green_real()->dlsym(RTLD_DEFAULT,
								  "__sanitizer_start_switch_fiber");
	asan_finish = (void (*)(void *, const void **, size_t *))green_real()->dlsym(RTLD_DEFAULT,
								     "__sanitizer_finish_switch_fiber");
	asan_unpoison = (void (*)(const volatile void *, size_t))green_real()->dlsym(RTLD_DEFAULT,
									"__asan_unpoison_memory_region");
	lsan_root = (void (*)(const void *, size_t))green_real()->dlsym(RTLD_DEFAULT, "__lsan_register_root_region");
	if (!asan_start || !asan_finish)
		asan_start = NULL, asan_finish = NULL;
	green_annotate_fibers = asan_start != NULL;
}

int green_annotate_valgrind(void)
{
#ifdef GREEN_HAVE_VALGRIND
	return RUNNING_ON_VALGRIND != 0;
#else
	return 0;
#endif
}

unsigned green_annotate_stack_new(void *lo, size_t size)
{
#ifdef GREEN_HAVE_VALGRIND
	if (RUNNING_ON_VALGRIND)
		return VALGRIND_STACK_REGISTER(lo, (char *)lo + size);
#endif
	(void)lo;
	(void)size;
	return 0;
}

void green_annotate_stack_gone(unsigned id)
{
#ifdef GREEN_HAVE_VALGRIND
	if (id && RUNNING_ON_VALGRIND)
		VALGRIND_STACK_DEREGISTER(id);
#endif
	(void)id;
}

void green_annotate_root(void *p, size_t size)
{
	if (!lsan_root && !asan_start) /* the thread slab's first chunk comes before boot */
		green_annotate_boot();
	if (lsan_root)
		lsan_root(p, size);
}

void green_annotate_stack_reuse(void *lo, size_t size)
{
	if (asan_unpoison)
		asan_unpoison(lo, size);
}

void green_annotate_switch_start(struct green_thread *self, struct green_thread *next, int dying)
{
	if (asan_start)
		asan_start(dying ? NULL : &self->asan_fake, next->stack.lo, next->stack.size);
}

void green_annotate_switch_end(struct green_thread *self)
{
	if (asan_finish)
		asan_finish(self->asan_fake, NULL, NULL);
}
