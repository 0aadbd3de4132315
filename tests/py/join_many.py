# N threads (argv[1], 50,000) that each sleep 1 s: prints join_s=X, the time the joins take
# after the last start (the main thread joins threads that are already finished).
import sys, threading, time
N = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
ts = [threading.Thread(target=time.sleep, args=(1,)) for _ in range(N)]
t0 = time.monotonic()
for t in ts:
    t.start()
t1 = time.monotonic()
for t in ts:
    t.join()
t2 = time.monotonic()
print(f"start_s={t1 - t0:.2f} join_s={t2 - t1:.2f}")
