# CPython: the main thread joins a thread that sleeps 3 s; a signal arrives after 0.5 s and its
# Python handler raises KeyboardInterrupt, which must reach main at once, as natively (Ctrl-C
# during join). Prints when it was interrupted (rounded to 0.1 s).
import signal
import threading
import time


def on_alarm(signum, frame):
    raise KeyboardInterrupt


signal.signal(signal.SIGALRM, on_alarm)
t0 = time.time()
worker = threading.Thread(target=time.sleep, args=(3,), daemon=True)
worker.start()
signal.setitimer(signal.ITIMER_REAL, 0.5)
try:
    worker.join()
    print("join finished without interruption")
except KeyboardInterrupt:
    print("KeyboardInterrupt during join after %.1f s" % (time.time() - t0))
