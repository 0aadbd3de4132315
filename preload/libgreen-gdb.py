# SPDX-License-Identifier: MIT
# gdb support for libgreen: list green threads and show their backtraces.
#
#   (gdb) source /usr/local/share/libgreen/libgreen-gdb.py
#   (gdb) info green            every green thread: id, name, state, what it waits for
#   (gdb) green bt N            backtrace of green thread N
#   (gdb) green apply all bt    backtraces of every green thread
#
# gdb sees one OS thread. A parked green thread's registers are on its own stack (layout in
# core/arch/x86_64/context.h: +0 MXCSR/x87 CW, +8 r15, +16 r14, +24 r13, +32 r12, +40 rbx,
# +48 rbp, +56 return address; rsp = saved sp + 64). `green bt` loads them into the selected
# frame's registers, runs `bt`, and puts the real registers back (live processes only).
import gdb

STATES = ["runnable", "running", "parked", "finished"]
SLOTS = [("r15", 8), ("r14", 16), ("r13", 24), ("r12", 32), ("rbx", 40), ("rbp", 48), ("rip", 56)]


def _wait_name(wait):
    """The short name of a wait reason, from libgreen's own table (core/wait.def)."""
    try:
        if wait < int(gdb.parse_and_eval("GREEN_WAIT_COUNT")):
            return gdb.parse_and_eval("green_wait_names")[wait].string()
    except gdb.error:
        pass
    return "?"


def _threads():
    """Every green thread object but the hub, oldest last (libgreen's all-threads list)."""
    try:
        g = gdb.parse_and_eval("thread_all")
    except gdb.error:
        raise gdb.GdbError("libgreen is not loaded, or it has no debug information")
    hub = gdb.parse_and_eval("green_sched.hub")
    while int(g) != 0:
        if int(g) != int(hub):
            yield g
        g = g["next_all"]


def _describe(g):
    state = int(g["state"])
    name = g["name"].string(length=16).split("\0")[0]
    text = "%4d  %-16s %-9s" % (int(g["id"]), name, STATES[state] if state < 4 else "?")
    if state == 2:
        wait = int(g["wait"])
        text += " in %s" % _wait_name(wait)
        if int(g["wait_obj"]) != 0:
            text += " %s" % g["wait_obj"]
    return text


def _find(ident):
    for g in _threads():
        if int(g["id"]) == ident:
            return g
    raise gdb.GdbError("no green thread %d" % ident)


def _backtrace(g):
    current = gdb.parse_and_eval("green_sched.current")
    if int(g) == int(current):
        gdb.execute("bt")
        return
    sp = int(g["ctx"]["sp"])
    if sp == 0:
        print("(no saved context)")
        return
    inferior = gdb.selected_inferior()
    saved = {r: int(gdb.parse_and_eval("$" + r)) for r in ["rsp", "rip", "rbp", "rbx", "r12",
                                                           "r13", "r14", "r15"]}
    gdb.execute("select-frame 0")
    try:
        for reg, off in SLOTS:
            value = int.from_bytes(inferior.read_memory(sp + off, 8).tobytes(), "little")
            gdb.execute("set $%s = %d" % (reg, value), to_string=True)
        gdb.execute("set $rsp = %d" % (sp + 64), to_string=True)
        gdb.execute("bt")
    finally:
        for reg, value in saved.items():
            gdb.execute("set $%s = %d" % (reg, value), to_string=True)


class InfoGreen(gdb.Command):
    """List green threads: id, name, state and what a parked one waits for."""

    def __init__(self):
        super().__init__("info green", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        current = int(gdb.parse_and_eval("green_sched.current"))
        for g in _threads():
            print(("* " if int(g) == current else "  ") + _describe(g))


class Green(gdb.Command):
    """libgreen commands: green bt N, green apply all bt."""

    def __init__(self):
        super().__init__("green", gdb.COMMAND_STACK, prefix=True)

    def invoke(self, arg, from_tty):
        args = arg.split()
        if len(args) == 2 and args[0] == "bt":
            _backtrace(_find(int(args[1])))
        elif args == ["apply", "all", "bt"]:
            for g in _threads():
                if int(g["state"]) == 3:
                    continue
                print("\nGreen thread " + _describe(g))
                _backtrace(g)
        else:
            raise gdb.GdbError("usage: green bt N | green apply all bt")


InfoGreen()
Green()
