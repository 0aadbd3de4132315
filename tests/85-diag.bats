#!/usr/bin/env bats
# Diagnostics: where each green thread is stuck (dump signal, deadlock report, gdb), what
# blocks the hub (monitor), why a thread crashed (stack overflow), and memory tools.
bats_require_minimum_version 1.5.0
load helpers

@test "diag: GREEN_DUMP_SIGNAL=USR2 prints every green thread, what it waits for and its backtrace; the program goes on" {
	export GREEN_DUMP_SIGNAL=USR2
	both parked dump
	same
	echo "$g_err"
	[[ "$g_out" == *"after dump"*"done"* ]]
	[[ "$g_err" == *"libgreen: dump (signal SIGUSR2): 6 green threads"* ]]
	[[ "$g_err" == *"green thread 1 (parked) running"* ]]
	[[ "$g_err" == *"green thread 2 (sleeper) parked in sleep"*"timeout in"* ]]
	[[ "$g_err" == *"in sleeper_in_sleep+"* ]]
	[[ "$g_err" =~ "green thread 3 (reader) parked in read on fd "[0-9]+" for" ]]
	[[ "$g_err" == *"in read+"*"in reader_on_pipe+"* ]]
	[[ "$g_err" =~ "green thread 4 (locker) parked in mutex 0x"[0-9a-f]+" held by green thread 1 (parked)" ]]
	[[ "$g_err" == *"in pthread_mutex_lock+"*"in locker_waits_mutex+"* ]]
	[[ "$g_err" == *"green thread 5 (condwait) parked in condition variable"*"timeout in 59."* ]]
	[[ "$g_err" == *"in cond_waiter_with_timeout+"* ]]
	[[ "$g_err" =~ "green thread 6 (childwait) parked in read on fd "[0-9]+" (the pidfd of child process "[0-9]+")" ]]
	[[ "$g_err" == *"in child_waiter+"* ]]
	# Every parked thread's walk ends in the entry frame, the running one in _start.
	[ "$(grep -c 'in green_context_entry+' <<<"$g_err")" -eq 5 ]
	[[ "$g_err" == *"in main+"*"in _start+"* ]]
}

@test "diag: the dump signal is libgreen's: the program's own handler for it is recorded, not run, and the signal reaches the hub from any thread" {
	export GREEN_DUMP_SIGNAL=USR2
	green parked none
	[ "$g_rc" -eq 0 ]
	# From outside, while every thread is parked.
	LD_PRELOAD=$LIB GREEN_DUMP_SIGNAL=QUIT "$PROGS/parked" none >"$BATS_TEST_TMPDIR/o" 2>"$BATS_TEST_TMPDIR/e" &
	pid=$!
	sleep 0.1
	kill -QUIT $pid
	wait $pid
	cat "$BATS_TEST_TMPDIR/e"
	grep -q "dump (signal SIGQUIT)" "$BATS_TEST_TMPDIR/e"
	grep -q "done" "$BATS_TEST_TMPDIR/o"
}

@test "diag: the monitor names a busy loop with its backtrace, once per stall (GREEN_MONITOR_MS=100)" {
	export GREEN_MONITOR_MS=100
	both parked spin
	same
	echo "$g_err"
	[ "$(grep -c 'blocked the hub' <<<"$g_err")" -eq 1 ]
	[[ "$g_err" == *"green thread 1 (parked) blocked the hub for 1"*" ms"*"in spin_for_a_while"* ]]
}

@test "diag: the monitor names a system call that blocks the hub without interrupting it" {
	export GREEN_MONITOR_MS=100
	both parked syscall
	same
	echo "$g_err"
	[[ "$g_err" == *"blocked the hub for "*" ms in system call nanosleep"*"made at 0x"*"in raw_nanosleep"* ]]
}

@test "diag: stack overflow of a green thread is reported with name, stack size and backtrace, then dies of SIGSEGV as natively" {
	both overflow default
	same_output # the process dies of SIGSEGV: no statistics line; the report proves it ran green
	echo "$g_err"
	[ "$g_rc" -eq 139 ]
	[[ "$g_err" == *"libgreen: stack overflow in green thread 2 (recurser), stack 64 KiB"* ]]
	[[ "$g_err" == *"in recurse_forever+"*"the same frame"*"more times"*"in run+"* ]]
}

@test "diag: after the overflow report the program's own SIGSEGV handler runs; other faults reach it without a report" {
	both overflow handler
	same_output
	[ "$g_rc" -eq 3 ]
	[[ "$g_err" == *"stack overflow in green thread 2 (recurser)"* ]]
	both overflow null
	same_output
	[ "$g_rc" -eq 4 ]
	[[ "$g_err" != *"stack overflow"* ]]
}

@test "diag: a SIGSEGV sent with kill still ends the process with SIGSEGV" {
	run -139 env LD_PRELOAD="$LIB" bash -c 'grep SigCgt /proc/$$/status; kill -SEGV $$; echo alive'
	[[ "$output" != *alive* ]]
	# libgreen was live and owned SIGBUS and SIGSEGV (bits 6 and 10 of the caught mask).
	mask=$(awk '/SigCgt/ { print $2 }' <<<"$output")
	check "(0x$mask & 0x440) == 0x440" "libgreen's fault handlers installed"
}

@test "diag: the deadlock report shows each thread's backtrace" {
	green join_cycle
	echo "$g_err"
	[ "$g_rc" -eq 70 ]
	[[ "$g_err" == *"green thread 3 (joiner-a) parked in join green thread 2"*"in thread_a+"* ]]
	[[ "$g_err" == *"in thread_b+"* ]]
	[[ "$g_err" == *"in main+"* ]]
}

@test "diag: libunwind is loaded privately: C++ exceptions still use libgcc_s's unwinder" {
	run -0 readelf -d "$LIB"
	[[ "$output" != *libunwind* ]]
	export GREEN_DUMP_SIGNAL=USR2 # loads libunwind at boot
	both cxx_unwinder
	same
	[[ "$g_out" == "caught 20000 exceptions; _Unwind_RaiseException from libgcc_s.so.1" ]]
}

@test "diag: GREEN_DEBUG=1 logs each park and each call passed straight to the kernel, with the reason" {
	export GREEN_DEBUG=1
	both parked none
	same
	[[ "$g_err" == *"green thread 3 (reader) parks in read"* ]]
	[[ "$g_err" == *"green thread 4 (locker) parks in mutex"* ]]
	[[ "$g_err" == *"goes straight to the kernel (a regular file or similar, never waits)"* ]]
	green fdwaits
	[[ "$g_err" == *"answers EAGAIN at once (the program set O_NONBLOCK)"* ]]
}

@test "diag: GREEN_BACKTRACE=0 keeps reports but never loads libunwind" {
	export GREEN_BACKTRACE=0 GREEN_DUMP_SIGNAL=USR2
	both parked dump
	same
	[[ "$g_err" == *"green thread 3 (reader) parked in read"* ]]
	[[ "$g_err" == *"(no backtrace: GREEN_BACKTRACE=0)"* ]]
}

@test "diag: valgrind runs a threaded program under libgreen with no errors and no stack-switch warnings" {
	command -v valgrind || skip "valgrind is not installed (CI installs it)"
	run valgrind -q --trace-children=yes --error-exitcode=9 env LD_PRELOAD="$LIB" GREEN_STACK_SIZE=64K GREEN_STATS=1 "$PROGS/parked" none
	echo "$output"
	[ "$status" -eq 0 ]
	switched "$output"
	[[ "$output" == *"done"* ]]
	[[ "$output" != *"switching stacks"* && "$output" != *"Invalid"* && "$output" != *"uninitialised"* ]]
}

@test "diag: an ASan-built program runs clean under libgreen (fiber annotations, stacks unpoisoned on reuse)" {
	cc -std=gnu11 -D_GNU_SOURCE -O1 -g -fsanitize=address -pthread "$BATS_TEST_DIRNAME/progs/parked.c" -o "$BATS_TEST_TMPDIR/parked_asan"
	cc -std=gnu11 -D_GNU_SOURCE -O1 -g -fsanitize=address -pthread "$BATS_TEST_DIRNAME/progs/createjoin.c" -o "$BATS_TEST_TMPDIR/cj_asan"
	export ASAN_OPTIONS=verify_asan_link_order=0
	run -0 env LD_PRELOAD="$LIB" GREEN_STATS=1 "$BATS_TEST_TMPDIR/parked_asan" none
	echo "$output"
	[[ "$output" == *done* && "$output" != *AddressSanitizer* && "$output" != *WARNING* ]]
	switched "$output"
	run -0 env LD_PRELOAD="$LIB" GREEN_STATS=1 "$BATS_TEST_TMPDIR/cj_asan"
	echo "$output"
	switched "$output"
	[[ "$output" == *"0 wrong results"* && "$output" != *Sanitizer* ]]
}

@test "diag: gdb with libgreen-gdb.py lists green threads and prints a parked thread's backtrace" {
	command -v gdb || skip "gdb is not installed (CI installs it)"
	run timeout 60 gdb -q -batch -nx \
		-ex 'set pagination off' -ex "set environment LD_PRELOAD=$LIB" \
		-ex "source $BATS_TEST_DIRNAME/../preload/libgreen-gdb.py" \
		-ex 'handle SIGUSR2 stop nopass' -ex 'run dump' \
		-ex 'info green' -ex 'green bt 4' -ex 'green apply all bt' -ex 'kill' \
		--args "$PROGS/parked"
	echo "$output"
	[[ "$output" == *"4  locker           parked    in mutex"* ]]
	[[ "$output" == *"3  reader           parked    in read"* ]]
	[[ "$output" == *"pthread_mutex_lock"*"locker_waits_mutex"*"green_context_entry"* ]]
	[ "$(grep -c '^Green thread' <<<"$output")" -eq 6 ]
}
