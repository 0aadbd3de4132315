// C++ threads: std::thread, std::mutex, std::condition_variable, std::async and futures,
// exceptions through futures, a function-local static whose constructor blocks, C++20
// std::atomic::wait / std::counting_semaphore / std::latch (raw futex system calls).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <cstdio>
#include <future>
#include <latch>
#include <mutex>
#include <semaphore>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

static std::atomic<int> constructions{0};

struct Slow {
	int value;
	Slow() : value(42)
	{
		std::this_thread::sleep_for(50ms); // blocks while other threads wait for the static
		constructions++;
	}
};

static int use_static()
{
	static Slow s;
	return s.value;
}

int main()
{
	std::mutex m;
	std::condition_variable cv;
	std::deque<int> q;
	long sum = 0;
	std::vector<std::thread> consumers;
	for (int i = 0; i < 4; i++)
		consumers.emplace_back([&] {
			for (;;) {
				std::unique_lock<std::mutex> lk(m);
				cv.wait(lk, [&] { return !q.empty(); });
				int v = q.front();
				q.pop_front();
				if (v < 0)
					return;
				sum += v;
			}
		});
	for (int i = 1; i <= 1000; i++) {
		{
			std::lock_guard<std::mutex> lk(m);
			q.push_back(i);
		}
		cv.notify_one();
		if (i % 100 == 0)
			std::this_thread::sleep_for(1ms);
	}
	{
		std::lock_guard<std::mutex> lk(m);
		for (int i = 0; i < 4; i++)
			q.push_back(-1);
	}
	cv.notify_all();
	for (auto &t : consumers)
		t.join();
	std::printf("condition_variable queue sum %ld\n", sum);

	std::vector<std::future<int>> fs;
	for (int i = 0; i < 10; i++)
		fs.push_back(std::async(std::launch::async, [i] {
			std::this_thread::sleep_for(std::chrono::milliseconds(10 * (10 - i)));
			if (i == 7)
				throw std::runtime_error("seven");
			return i * i;
		}));
	int total = 0;
	for (auto &f : fs) {
		try {
			total += f.get();
		} catch (const std::runtime_error &e) {
			std::printf("future rethrew: %s\n", e.what());
		}
	}
	std::printf("async results sum %d\n", total);

	std::vector<std::thread> ts;
	std::atomic<int> seen{0};
	for (int i = 0; i < 8; i++)
		ts.emplace_back([&] { seen += use_static() == 42; });
	for (auto &t : ts)
		t.join();
	std::printf("static constructed %d time(s), seen by %d threads\n", constructions.load(), seen.load());

	std::atomic<int> flag{0};
	std::counting_semaphore<10> sem(0);
	std::latch latch(5);
	std::vector<std::thread> ws;
	std::atomic<int> passed{0};
	for (int i = 0; i < 5; i++)
		ws.emplace_back([&] {
			flag.wait(0);
			sem.acquire();
			latch.arrive_and_wait();
			passed++;
		});
	std::this_thread::sleep_for(20ms);
	flag = 1;
	flag.notify_all();
	sem.release(5);
	for (auto &t : ws)
		t.join();
	std::printf("atomic wait, counting_semaphore and latch: %d threads passed\n", passed.load());
	return 0;
}
