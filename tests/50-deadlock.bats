#!/usr/bin/env bats
# When no green thread can ever run again, libgreen says so instead of hanging silently.
bats_require_minimum_version 1.5.0
load helpers

@test "deadlock: a three-thread join cycle is reported at once with every thread and exit 70" {
	# Natively this program hangs for ever (glibc detects only two-thread join cycles).
	run -124 timeout 1 "$PROGS/join_cycle"
	export BATS_TEST_TIMEOUT=20
	start=$(date +%s%N)
	green join_cycle
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	echo "$g_err"
	[ "$g_rc" -eq 70 ]
	[[ "$g_out" == "main joins A" ]]
	[[ "$g_err" == *"libgreen: deadlock:"* ]]
	[[ "$g_err" == *"green thread 1 (join_cycle) parked in join green thread 3"* ]]
	[[ "$g_err" == *"green thread 3 (joiner-a) parked in join green thread 2"* ]]
	[[ "$g_err" == *"green thread 2 (join_cycle) parked in join green thread 1"* ]]
	check "ms < 2000" "reported within 2 s"
}

@test "deadlock: GREEN_DEADLOCK=hang keeps the native behaviour (hangs)" {
	export GREEN_DEADLOCK=hang
	run -124 timeout 1 env LD_PRELOAD="$LIB" "$PROGS/join_cycle"
	[[ "$output" != *"deadlock"* ]]
	# it hangs green: the three joining threads are green threads of one OS thread
	env LD_PRELOAD="$LIB" "$PROGS/join_cycle" >/dev/null 2>&1 &
	pid=$!
	sleep 0.5
	threads=$(awk '/^Threads/ { print $2 }' /proc/$pid/status)
	kill -9 $pid
	wait $pid 2>/dev/null || true
	check "threads == 1" "join_cycle hung on one OS thread"
}
