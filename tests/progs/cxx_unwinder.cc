// C++ exceptions thrown and caught in 20 threads, 1000 times each, and which object provides
// _Unwind_RaiseException to the process. Under libgreen with libunwind loaded for backtraces
// (GREEN_DUMP_SIGNAL set), the answer must still be the toolchain's unwinder (libgcc_s), as
// natively: libgreen loads libunwind privately.
#include <dlfcn.h>
#include <pthread.h>
#include <stdexcept>
#include <stdio.h>
#include <string.h>

static int caught[20];

static void *worker(void *arg)
{
	long i = (long)arg;
	for (int n = 0; n < 1000; n++) {
		try {
			if (n % 2)
				throw std::runtime_error("odd");
			throw n;
		} catch (const std::runtime_error &) {
			caught[i]++;
		} catch (int) {
			caught[i]++;
		}
	}
	return nullptr;
}

int main()
{
	pthread_t t[20];
	int total = 0;
	Dl_info info;
	void *raise = dlsym(RTLD_DEFAULT, "_Unwind_RaiseException");
	const char *name = "?";

	for (long i = 0; i < 20; i++)
		pthread_create(&t[i], nullptr, worker, (void *)i);
	for (int i = 0; i < 20; i++) {
		pthread_join(t[i], nullptr);
		total += caught[i];
	}
	if (raise && dladdr(raise, &info) && info.dli_fname) {
		name = strrchr(info.dli_fname, '/') ? strrchr(info.dli_fname, '/') + 1 : info.dli_fname;
	}
	printf("caught %d exceptions; _Unwind_RaiseException from %s\n", total, name);
	return 0;
}
