# libc through ctypes (dlopen("libc.so.6") + dlsym), as FFIs reach it: four threads' 1 s sleeps
# overlap, a read on a pipe waits while another thread writes, errno comes back.
import ctypes
import os
import threading
import time

libc = ctypes.CDLL("libc.so.6", use_errno=True)
start = time.monotonic()
threads = [threading.Thread(target=libc.sleep, args=(1,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("four 1 s sleeps through ctypes:", "overlapped" if time.monotonic() - start < 2.5 else "one after another")

r, w = os.pipe()
buf = ctypes.create_string_buffer(16)
got = []
reader = threading.Thread(target=lambda: got.append(libc.read(r, buf, 16)))
reader.start()
libc.usleep(100000)
os.write(w, b"hello")
reader.join(10)
print("ctypes read on a pipe:", got, buf.value)
print("ctypes read(-1):", libc.read(-1, buf, 1), "errno", ctypes.get_errno())
