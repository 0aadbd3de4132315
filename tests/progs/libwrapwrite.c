/* An interposer of the program's own, loaded after libgreen (a dependency of dl_libc): wraps
 * write and reaches the next definition with dlsym(RTLD_NEXT), as profilers and loggers do. */
#include <dlfcn.h>
#include <unistd.h>

static ssize_t wrap_write(int fd, const void *buf, size_t len)
{
	static ssize_t (*next)(int, const void *, size_t);

	if (!next)
		next = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	return next(fd, buf, len);
}
ssize_t write(int fd, const void *buf, size_t len) __attribute__((alias("wrap_write")));

/* What dlsym(RTLD_NEXT, "write") answers here: never this library's own write. */
void *wrapwrite_next(void)
{
	void *volatile next = dlsym(RTLD_NEXT, "write"); /* not a tail call: the caller is here */

	return next;
}

/* This library's own write (not the global one, which the address of `write` would be). */
void *wrapwrite_own(void)
{
	return (void *)wrap_write;
}
