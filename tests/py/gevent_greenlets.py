# gevent without threads of its own: greenlets switching on one thread, sleeping and passing
# values through a queue.
import gevent
from gevent.queue import Queue

q = Queue()


def producer(n):
    for i in range(n):
        gevent.sleep(0.001)
        q.put(i)
    q.put(None)


def consumer():
    total = 0
    while (item := q.get()) is not None:
        total += item
    return total


jobs = [gevent.spawn(producer, 100), gevent.spawn(consumer)]
gevent.joinall(jobs)
print("consumer total", jobs[1].value)
sleepers = [gevent.spawn(gevent.sleep, 0.05) for _ in range(50)]
gevent.joinall(sleepers)
print("sleepers done", sum(1 for g in sleepers if g.successful()))
