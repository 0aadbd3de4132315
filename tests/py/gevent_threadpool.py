# gevent with its thread pool: real threads (green threads under libgreen) run blocking work
# while greenlets wait for their results.
import time

import gevent
from gevent.threadpool import ThreadPool


def work(n):
    time.sleep(0.01)
    return n * n


pool = ThreadPool(4)
print(sorted(pool.map(work, range(8))))
gevent.joinall([gevent.spawn(gevent.sleep, 0.05) for _ in range(10)])
print("greenlets done")
