#!/usr/bin/env bats
# The mechanisms real programs nobody here wrote depend on (issue 14), each pinned by a small
# program run natively and under libgreen: libc reached through dlsym, io_uring completions,
# blocking entry points besides the usual ones.
load helpers

@test "real: dlsym/dlvsym of a hooked name through any handle answer libgreen's hook (sleeps overlap, a read waits green); RTLD_NEXT searches after the caller" {
	both dl_libc
	same
}

@test "real: CPython threads calling libc through ctypes park green (sleeps overlap, a pipe read waits for its writer)" {
	command -v python3 >/dev/null || skip "python3 is not installed"
	local d=$BATS_TEST_TMPDIR
	timeout 60 python3 "$BATS_TEST_DIRNAME/py/ctypes_libc.py" >"$d/n.out" 2>&1
	GREEN_STATS=1 LD_PRELOAD=$LIB timeout 60 python3 "$BATS_TEST_DIRNAME/py/ctypes_libc.py" >"$d/g.out" 2>"$d/g.err" || { cat "$d/g.err"; false; }
	diff "$d/n.out" "$d/g.out"
	switched "$(cat "$d/g.err")"
	# the sleeps and the read parked in libgreen, not in libc on the one OS thread
	grep '^libgreen: stats: ' "$d/g.err" | tail -1 | grep -E 'sleep=([4-9]|[1-9][0-9])' | grep -q 'read='
}

@test "real: ppoll, pselect, epoll_pwait and sigsuspend apply their signal mask to the waiting thread alone: a signal every other thread blocks (kill or pthread_kill) interrupts it with EINTR" {
	both masked_waits
	same
	# the waits parked green (the old pass-through blocked the OS thread for their 5 s timeout)
	grep -q 'poll=' <<<"$(cat "$BATS_TEST_TMPDIR/g.err")"
}

@test "real: io_uring waits park green while other threads submit: io_uring_wait_cqe, wait_cqe_timeout (-ETIME), submit_and_wait, raw io_uring_enter(GETEVENTS), -EINTR even with SA_RESTART" {
	both uring_wait
	same
	[[ "$g_out" != *"ticker kept ticking: no"* ]]
}

@test "real: AF_UNIX connects to a full backlog wait until the listener has room, while the server in another process takes one connection per epoll_wait" {
	both unix_backlog
	same
	# the connects that found the backlog full parked green (write), nothing blocked the hub
	grep '^libgreen: stats: ' "$BATS_TEST_TMPDIR/g.err" | grep -q 'write=[1-9]'
}

@test "real: a blocking connect is interrupted by a signal handler as the kernel's: EINTR without SA_RESTART, and with it the connect goes on until the listener accepts" {
	both connect_eintr
	same
	[[ "$g_out" == *"no SA_RESTART: connect Interrupted system call"* && "$g_out" == *"SA_RESTART: connect succeeded, the handler ran 3 times or more"* ]]
}

@test "real: coroutines of the program's own (makecontext/swapcontext on its own stacks) park green while on those stacks" {
	both own_coroutines
	same
	# and under valgrind (stacks libgreen does not know about, switched by the program)
	command -v valgrind >/dev/null || skip "valgrind is not installed"
	run valgrind -q --error-exitcode=9 env LD_PRELOAD="$LIB" GREEN_STACK_SIZE=64K "$PROGS/own_coroutines"
	[ "$status" -eq 0 ]
	[ "$output" = "$n_out" ]
}

@test "real: blocking calls made through syscall(2) (read, accept, recvfrom, connect, nanosleep, clock_nanosleep, poll, epoll_pwait, wait4) park green, restart or not after a handler as natively, leave errno alone" {
	both raw_syscalls
	same
	[[ "$g_out" != *"ticker kept ticking: no"* ]]
}

@test "real: System V IPC waits (msgrcv, msgsnd to a full queue, semop, semtimedop's EAGAIN, another process's send, EINTR, EIDRM, and through syscall(2)) park green" {
	both sysv_ipc
	same
	[[ "$g_out" != *"ticker kept ticking: no"* ]]
}

@test "real: recvmmsg waits for all vlen datagrams (MSG_WAITFORONE: the first; a timeout looked at after each datagram, written back)" {
	both recvmmsg_waits
	same
}
