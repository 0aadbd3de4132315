# 50 producers and 50 consumers on a queue.Queue(100), 200,000 items: how many consumers got
# items, and the largest share one consumer got (consumers=N share=X on the last line too).
import queue, sys, threading
N = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
P = C = 50
q = queue.Queue(100)
got = [0] * C
def producer(k):
    for i in range(N // P):
        q.put(i)
def consumer(k):
    while True:
        item = q.get()
        if item is None:
            return
        got[k] += 1
ps = [threading.Thread(target=producer, args=(k,)) for k in range(P)]
cs = [threading.Thread(target=consumer, args=(k,)) for k in range(C)]
for t in cs + ps:
    t.start()
for t in ps:
    t.join()
for _ in cs:
    q.put(None)
for t in cs:
    t.join()
print(f"items {sum(got)}; consumers that got items {sum(1 for g in got if g)} of {C}; largest share {100 * max(got) / sum(got):.1f}%")
print(f"consumers={sum(1 for g in got if g)} share={100 * max(got) / sum(got):.1f}")
