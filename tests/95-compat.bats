#!/usr/bin/env bats
# Real programs nobody here wrote, unmodified, under libgreen: output identical to native.
load helpers

setup_file() {
	export DATA=$BATS_FILE_TMPDIR/data.txt
	head -c 6000000 /dev/urandom | base64 >"$DATA"
}

@test "compat: xz -T4 compresses and decompresses a multi-MiB file identically to native" {
	command -v xz >/dev/null || skip "xz is not installed"
	xz -T4 -1 -c "$DATA" >"$BATS_TEST_TMPDIR/n.xz"
	# xz closes stderr before exit: the statistics line goes to a file
	GREEN_STATS="$BATS_TEST_TMPDIR/stats" LD_PRELOAD="$LIB" xz -T4 -1 -c "$DATA" >"$BATS_TEST_TMPDIR/g.xz"
	cmp "$BATS_TEST_TMPDIR/n.xz" "$BATS_TEST_TMPDIR/g.xz"
	switched "$(cat "$BATS_TEST_TMPDIR/stats")"
	LD_PRELOAD="$LIB" xz -T4 -d -c "$BATS_TEST_TMPDIR/g.xz" | cmp - "$DATA"
}

@test "compat: zstd -T4 compresses and decompresses a multi-MiB file identically to native" {
	command -v zstd >/dev/null || skip "zstd is not installed"
	zstd -q -T4 -c "$DATA" >"$BATS_TEST_TMPDIR/n.zst"
	GREEN_STATS=1 LD_PRELOAD="$LIB" zstd -q -T4 -c "$DATA" >"$BATS_TEST_TMPDIR/g.zst" 2>"$BATS_TEST_TMPDIR/g.err"
	cmp "$BATS_TEST_TMPDIR/n.zst" "$BATS_TEST_TMPDIR/g.zst"
	switched "$(cat "$BATS_TEST_TMPDIR/g.err")"
	LD_PRELOAD="$LIB" zstd -q -d -T4 -c "$BATS_TEST_TMPDIR/g.zst" | cmp - "$DATA"
}

@test "compat: coreutils timeout under libgreen waits for its child in sigsuspend (a signal can always come)" {
	run env LD_PRELOAD="$LIB" GREEN_STATS="$BATS_TEST_TMPDIR/stats" timeout 5 sh -c 'sleep 0.2; echo done'
	[ "$status" -eq 0 ]
	[ "$output" = "done" ]
	# timeout itself waited green (it closes stderr at exit: the line goes to a file): its
	# statistics line counts a park on a signal
	cat "$BATS_TEST_TMPDIR/stats"
	grep -q '^libgreen: stats: .* signal=' "$BATS_TEST_TMPDIR/stats"
	run env LD_PRELOAD="$LIB" timeout 0.3 sleep 5
	[ "$status" -eq 124 ]
}

@test "compat: CPython threading patterns (queues, locks, events, Timer, pools, socketserver, multiprocessing with fork, subprocess) print what they print natively" {
	command -v python3 >/dev/null || skip "python3 is not installed"
	n=$(python3 "$BATS_TEST_DIRNAME/py/patterns.py" 2>/dev/null)
	g=$(LD_PRELOAD="$LIB" python3 "$BATS_TEST_DIRNAME/py/patterns.py" 2>"$BATS_TEST_TMPDIR/g.err")
	diff <(echo "$n") <(echo "$g")
	[[ "$g" == *"200 threads slept 1 s in under 1.8 s: True"* ]]
	tasks=$(metric tasks "$(cat "$BATS_TEST_TMPDIR/g.err")")
	echo "OS threads while 200 Python threads sleep under libgreen: $tasks"
	check "tasks >= 1 && tasks <= 4" "at most 4 OS tasks"
}

@test "compat: a program's __thread variables are each green thread's own; GREEN_TLS=shared shares them (errno stays per thread)" {
	both tls
	same
	[ "$g_out" = "A's __thread value after B wrote 2: 1; A's errno: 11" ]
	GREEN_TLS=shared green tls
	[ "$g_out" = "A's __thread value after B wrote 2: 2; A's errno: 11" ]
}

@test "compat: programs that cannot run green are detected and explained: OpenMP runs natively with a message; the launcher warns about static binaries" {
	green omp
	[ "$g_rc" -eq 0 ]
	[[ "$g_err" == *"libgreen: this program uses OpenMP"*"running it natively"* ]]
	[ "$g_out" = "threads 1" ]
	run "$B/green" "$PROGS/static_hello"
	[ "$status" -eq 0 ]
	[[ "$output" == *"statically linked: LD_PRELOAD cannot apply"* ]]
	[[ "$output" == *"static hello"* ]]
}

@test "compat: wrk against the unmodified thread-per-connection HTTP/1.1 server under libgreen: no errors, every response 200" {
	command -v wrk >/dev/null || skip "wrk is not installed"
	run "$BATS_TEST_DIRNAME/bench/wrk.sh" "$B" green 50 1
	echo "$output"
	[[ "$output" == *"errors=0 non2xx=0"* ]]
	[[ "$output" != *"rps=0 "* ]]
	# 50 connections, one thread each, all green on the server's one OS thread
	check "$(metric threads "$output") == 1" "the server ran its connection threads green"
}

@test "compat: a busy-wait thread is named by the monitor (GREEN_MONITOR_MS / green --monitor), once per stall, without slices and preemption; with them it stalls nothing" {
	run env GREEN_SLICE_MS=0 "$B/green" --monitor=50 "$PROGS/busy"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"spinner and napper finished"* ]]
	[ "$(grep -c 'libgreen: green thread 3 (spinner) blocked the hub for' <<<"$output")" -eq 1 ]
	run "$B/green" --monitor=50 --stats "$PROGS/busy"
	echo "$output"
	[[ "$output" == *"spinner and napper finished"* ]]
	[[ "$output" != *"blocked the hub"* ]]
	[[ "$output" == *"sliced="[1-9]* ]] # its clock_gettime calls end its slices
	run env LD_PRELOAD="$LIB" "$PROGS/busy"
	[[ "$output" != *"blocked the hub"* ]]
}

@test "diagnostics: GREEN_STATS=1 (green --stats) prints one line of statistics at exit" {
	run "$B/green" --stats "$PROGS/resolve"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c '^libgreen: stats: ' <<<"$output")" -eq 1 ]
	[[ "$output" == *"created=2 "*"pool="*"offloaded="* ]]
	run env LD_PRELOAD="$LIB" "$PROGS/resolve"
	[[ "$output" != *"libgreen: stats"* ]]
}
