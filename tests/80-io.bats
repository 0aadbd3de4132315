#!/usr/bin/env bats
# Blocking fd I/O parks only the calling green thread, byte-exact and with native errnos.
bats_require_minimum_version 1.5.0
load helpers

@test "io: thread-per-connection echo server with 2,000 concurrent clients, every byte verified, on at most 4 OS tasks" {
	both echo 2000
	same
	echo "libgreen: $g_err; native: $n_err"
	tasks=$(metric tasks "$g_err")
	check "tasks >= 1 && tasks <= 4" "OS tasks under libgreen"
}

@test "io: pre-threaded server: 16 threads blocked in accept on one listening socket" {
	both echo 300 prethreaded
	same
	[ "$(metric tasks "$g_err")" -le 4 ]
}

@test "io: pipes, poll/select/epoll with timeouts, a private epoll loop, socket timeouts, non-blocking mode, connect errors, bad input" {
	both fdwaits
	same
}

@test "io: close() of an fd three threads wait on wakes them with EBADF; the reused number gets no stale wake-up" {
	green closewait
	[ "$g_rc" -eq 0 ]
	[ "$(grep -c 'EBADF' <<<"$g_out")" -eq 3 ]
	[[ "$g_out" == *"reader of the new socket got: its byte"* ]]
}

@test "io: a green program blocking on stdin leaves the shared pipe's flags unchanged for the next reader" {
	run bash -c "{ sleep 0.2; echo hello; sleep 0.3; } | { GREEN_STATS=1 LD_PRELOAD='$LIB' '$PROGS/stdin_reader'; '$PROGS/getfl'; }"
	echo "$output"
	[ "$status" -eq 0 ]
	switched "$output"
	[[ "$output" == *"read 6 bytes: hello"* ]]
	[[ "$output" == *"ticker ran while stdin blocked: 1; stdin flags unchanged: 1"* ]]
	[[ "$output" == *"stdin O_NONBLOCK: 0"* ]]
}

@test "io: steady state costs no epoll_ctl per blocking call (registrations are kept per fd)" {
	command -v strace >/dev/null || skip "strace is not installed"
	strace -o /dev/null true 2>/dev/null || skip "ptrace is not permitted here"
	strace -f -c -e trace=epoll_ctl -o "$BATS_TEST_TMPDIR/st" env LD_PRELOAD="$LIB" "$PROGS/echo" 50 >/dev/null 2>&1
	calls=$(awk '$NF == "epoll_ctl" { print $4 }' "$BATS_TEST_TMPDIR/st")
	echo "epoll_ctl calls: ${calls:-none} for 101 sockets and ~10,000 blocking reads and writes"
	# Green, each of the 101 sockets is registered with the hub (none when nothing ran green).
	[ -n "$calls" ]
	check "calls >= 100 && calls <= 4 * 101" "epoll_ctl calls"
}

@test "io: sendfile of 4 MiB into a socket with a slow reader, splice socket -> pipe -> socket between threads" {
	both zerocopy
	same
}

@test "io: the echo server binary under libgreen against a separate native load generator (100 connections, no errors, one OS thread)" {
	run "$BATS_TEST_DIRNAME/bench/echo.sh" "$B" green 100 1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"errors=0"* ]]
	[[ "$output" == *"tasks=1 "* ]]
}

@test "io: blocking opens of a FIFO wait for the other end while other threads run" {
	both fifo
	same
}

@test "io: errno is untouched by calls that succeed after waiting (recv, read, poll, select, epoll_wait, accept, locks, sleeps, waitpid, sigwait, flock)" {
	both errno_success
	same
}
