// pthread_exit from a nested C++ frame runs destructors on the way out (forced unwind), a
// catch(...) that rethrows lets it through, and ordinary exceptions thrown and caught in many
// threads at once behave as natively (the process's C++ unwinder is untouched by libgreen).
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>

static std::atomic<int> destroyed{0};

struct Guard {
	const char *what;
	explicit Guard(const char *w) : what(w) {}
	~Guard() { destroyed++; }
};

static void leave(int depth)
{
	Guard g("frame");
	if (depth <= 0)
		pthread_exit(reinterpret_cast<void *>(42));
	if (depth < 1000)
		leave(depth - 1);
}

static void *exits_from_depth(void *)
{
	Guard outer("outer");
	try {
		leave(5);
	} catch (...) {
		destroyed += 100; // the forced unwind passes through catch(...) and is rethrown
		throw;
	}
	return nullptr;
}

static void *throws_and_catches(void *arg)
{
	long id = reinterpret_cast<intptr_t>(arg), caught = 0;
	for (int i = 0; i < 50; i++) {
		try {
			if (i % 2)
				usleep(100);
			throw std::runtime_error("error-of-" + std::to_string(id));
		} catch (const std::runtime_error &e) {
			usleep(100); // switch while inside the handler
			caught += e.what() == "error-of-" + std::to_string(id);
		}
	}
	return reinterpret_cast<void *>(caught);
}

int main()
{
	pthread_t t;
	void *r = nullptr;

	pthread_create(&t, nullptr, exits_from_depth, nullptr);
	pthread_join(t, &r);
	std::printf("pthread_exit from depth 5: result %ld, destructors %d\n",
		    static_cast<long>(reinterpret_cast<intptr_t>(r)), destroyed.load());

	pthread_t ts[10];
	long total = 0;
	for (long i = 0; i < 10; i++)
		pthread_create(&ts[i], nullptr, throws_and_catches, reinterpret_cast<void *>(i));
	for (auto &x : ts) {
		pthread_join(x, &r);
		total += reinterpret_cast<intptr_t>(r);
	}
	std::printf("exceptions caught with the right message: %ld of 500\n", total);
	return 0;
}
