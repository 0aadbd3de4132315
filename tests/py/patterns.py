# CPython threading patterns, unmodified: prints deterministic results so a native run and a
# run under libgreen can be compared line by line.
import concurrent.futures as cf
import multiprocessing as mp
import os
import queue
import socket
import socketserver
import subprocess
import sys
import threading
import time


def sleepers():
    t0 = time.time()
    ts = [threading.Thread(target=time.sleep, args=(1,)) for _ in range(200)]
    for t in ts:
        t.start()
    time.sleep(0.3)
    # OS threads while they sleep (stderr: differs between native and libgreen by design)
    print("tasks=%d" % len(os.listdir("/proc/self/task")), file=sys.stderr)
    for t in ts:
        t.join()
    print("200 threads slept 1 s in under 1.8 s:", time.time() - t0 < 1.8)


def queues():
    for q, name in ((queue.Queue(10), "Queue"), (queue.LifoQueue(10), "LifoQueue"),
                    (queue.PriorityQueue(10), "PriorityQueue")):
        out = []

        def producer():
            for i in range(500):
                q.put(i)
            q.put(None)

        def consumer():
            while (v := q.get()) is not None:
                out.append(v)

        ts = [threading.Thread(target=producer), threading.Thread(target=consumer)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        print(name, "moved", len(out), "items, sum", sum(out))


def locks():
    lock, rlock, sem = threading.Lock(), threading.RLock(), threading.Semaphore(3)
    counter, inside, most = [0], [0], [0]

    def work():
        for _ in range(100):
            with lock:
                counter[0] += 1
        with rlock:
            with rlock:
                pass
        with sem:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
            time.sleep(0.01)
            inside[0] -= 1

    ts = [threading.Thread(target=work) for _ in range(10)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print("Lock counter", counter[0], "Semaphore(3) most inside", most[0])


def events_and_timers():
    e = threading.Event()
    print("Event.wait(0.1) before set:", e.wait(0.1))
    threading.Timer(0.1, e.set).start()
    print("Event set by a Timer within 2 s:", e.wait(2))
    c = threading.Condition()
    with c:
        print("Condition.wait(0.05) times out:", c.wait(0.05) is False)


def pool():
    done = []
    with cf.ThreadPoolExecutor(max_workers=4) as ex:
        fut = ex.submit(pow, 2, 10)
        fut.add_done_callback(lambda f: done.append(f.result()))
        print("submit/result:", fut.result())
        print("map:", list(ex.map(lambda x: x * x, range(8))))
    print("done callback:", done)


class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(line.upper())


def server():
    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Echo)
    port = srv.server_address[1]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    replies = []

    def client(i):
        with socket.create_connection(("127.0.0.1", port)) as s:
            f = s.makefile("rwb")
            for j in range(10):
                f.write(b"msg %d %d\n" % (i, j))
                f.flush()
                replies.append(f.readline())

    ts = [threading.Thread(target=client, args=(i,)) for i in range(20)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    srv.shutdown()
    srv.server_close()
    print("socketserver:", len(replies), "replies, all upper-case", all(r.startswith(b"MSG") for r in replies))


def square(x):
    return x * x


def child(q, conn):
    q.put("from the child process")
    conn.send(sum(range(10)))
    conn.close()


def processes():
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    parent, child_end = ctx.Pipe()
    p = ctx.Process(target=child, args=(q, child_end))
    p.start()
    print("multiprocessing Queue:", q.get(timeout=10))
    print("multiprocessing Pipe:", parent.recv())
    p.join()
    print("Process exit code:", p.exitcode)
    with cf.ProcessPoolExecutor(max_workers=2, mp_context=ctx) as ex:
        print("ProcessPoolExecutor map:", list(ex.map(square, range(6))))
    r = subprocess.run(["sh", "-c", "echo subprocess output; exit 4"], capture_output=True, text=True)
    print("subprocess:", r.returncode, r.stdout.strip())


if __name__ == "__main__":
    sleepers()
    queues()
    locks()
    events_and_timers()
    pool()
    server()
    processes()
