// C++ thread_local per thread: each thread constructs its own object on first use and destroys
// it when it exits, in that thread; a per-connection thread_local pointer survives blocking
// reads; `throw;` after a park inside catch rethrows the thread's own exception. Built with
// -fstack-protector-all: every function that parks checks its canary. Output is in thread
// order, the same natively and green.
#include <atomic>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>
#include <sys/socket.h>
#include <unistd.h>

static std::atomic<int> constructed{0}, destroyed{0}, destroyed_elsewhere{0};

struct PerThread {
	std::thread::id owner = std::this_thread::get_id();
	std::string label = "fresh";
	PerThread() { constructed++; }
	~PerThread()
	{
		destroyed++;
		if (owner != std::this_thread::get_id())
			destroyed_elsewhere++;
	}
};

static thread_local PerThread mine;

struct Conn {
	int fd;
	int id;
};
static thread_local Conn *current = nullptr;

static int serve(Conn *c, int rounds)
{
	int bad = 0;
	char buf[64];

	current = c;
	for (int r = 0; r < rounds; r++) {
		char want[64];
		snprintf(want, sizeof want, "conn %d round %d", c->id, r);
		if (read(c->fd, buf, sizeof buf) <= 0) // parks until the echo thread wrote
			return 100;
		bad += current != c || strcmp(buf, want) != 0;
	}
	return bad;
}

static int rethrow_after_park(int id)
{
	try {
		try {
			throw std::runtime_error("thread " + std::to_string(id));
		} catch (...) {
			usleep(1000 + id * 100); // other threads throw and catch meanwhile
			throw;
		}
	} catch (const std::runtime_error &e) {
		return e.what() != "thread " + std::to_string(id);
	}
	return 1;
}

int main()
{
	const int n = 8, rounds = 20;
	std::vector<int> bad(n), label_bad(n), exc_bad(n);
	std::vector<std::thread> threads, echoes;

	for (int i = 0; i < n; i++) {
		int sv[2];
		socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
		echoes.emplace_back([fd = sv[1], i, rounds] {
			char buf[64];
			for (int r = 0; r < rounds; r++) {
				memset(buf, 0, sizeof buf);
				snprintf(buf, sizeof buf, "conn %d round %d", i, r);
				usleep(300 + (i * 31 % 5) * 100);
				write(fd, buf, sizeof buf);
			}
			close(fd);
		});
		threads.emplace_back([&, fd = sv[0], i] {
			label_bad[i] = mine.label != "fresh";
			mine.label = "thread " + std::to_string(i);
			Conn c{fd, i};
			bad[i] = serve(&c, rounds);
			label_bad[i] += mine.label != "thread " + std::to_string(i);
			exc_bad[i] = rethrow_after_park(i);
			close(fd);
		});
	}
	for (auto &t : threads)
		t.join();
	for (auto &t : echoes)
		t.join();
	for (int i = 0; i < n; i++)
		printf("thread %d: connection %d wrong, thread_local %d wrong, rethrow %d wrong\n", i,
		       bad[i], label_bad[i], exc_bad[i]);
	// main's own object exists too once touched: 8 threads + main, 8 destroyed so far
	(void)mine.label;
	printf("constructed %d, destroyed %d, destroyed in another thread %d\n", constructed.load(),
	       destroyed.load(), destroyed_elsewhere.load());
	return 0;
}
