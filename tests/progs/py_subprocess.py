# CPython: a ticker thread at 50 Hz keeps running while other threads run subprocess.run
# (fork/vfork + exec + waitpid) with captured output; prints the outputs and whether it ticked.
import subprocess
import threading
import time

ticks = 0
running = True


def ticker():
    global ticks
    while running:
        time.sleep(0.02)
        ticks += 1


def work(i, out):
    r = subprocess.run(["sh", "-c", "sleep 0.3; echo child %d" % i], capture_output=True)
    out[i] = (r.returncode, r.stdout.decode().strip())


t = threading.Thread(target=ticker)
t.start()
time.sleep(0.05)
before = ticks
out = {}
workers = [threading.Thread(target=work, args=(i, out)) for i in range(5)]
for w in workers:
    w.start()
for w in workers:
    w.join()
running = False
t.join()
print(sorted(out.items()))
print("ticker kept ticking during subprocess waits:", ticks - before >= 10)
