#!/usr/bin/env bats
# Asynchronous preemption (issue 16, second part): a green thread that runs a whole time slice
# without any hooked call (a busy-wait on an atomic, a spin lock written by hand) is
# interrupted by libgreen's CPU-time timer and, at a safe point (the program's own code, no
# libc frame below it, no mutex held), yields from the signal handler; elsewhere it yields at
# its next hooked call. Each program runs natively and under libgreen with outputs compared;
# GREEN_PREEMPT=0 (and GREEN_TLS=shared, which has no preemption) show the hang it removes.
bats_require_minimum_version 1.5.0
load helpers
export BATS_TEST_TIMEOUT=120 # a hang guard: without preemption these programs never end

preempted() {
	grep -o 'preempted=[0-9]*' <<<"$1" | tail -1 | cut -d= -f2
}

@test "preempt: a hand-off through an atomic and a hand-written spin lock finish as natively" {
	export GREEN_STATS=1
	both spin_atomic
	same
	[[ "$g_out" == "all four workers done, counter 800" ]]
	check "$(preempted "$g_err") > 0" "preempted at least once"
	run -124 timeout 5 env GREEN_PREEMPT=0 LD_PRELOAD="$LIB" "$PROGS/spin_atomic"
	run -124 timeout 5 env GREEN_TLS=shared LD_PRELOAD="$LIB" "$PROGS/spin_atomic"
}

@test "preempt: threads that block every signal are still preempted, and their masks read back unchanged" {
	export GREEN_STATS=1
	both spin_atomic masked
	same
	[[ "$g_out" == *"every worker still blocks every signal: yes"* ]]
	check "$(preempted "$g_err") > 0" "preempted at least once"
}

@test "preempt: a program with a SIGURG handler of its own gets exactly its own SIGURGs, and its threads are still preempted" {
	export GREEN_STATS=1
	both spin_atomic urg
	same
	[[ "$g_out" == *"the program's SIGURG handler ran 3 times"* ]]
	check "$(preempted "$g_err") > 0" "preempted at least once"
}

@test "preempt: code called back from libc (a qsort comparator) is never preempted, only marked; a spinner elsewhere is" {
	export GREEN_DEBUG=1 GREEN_STATS=1
	both preempt_callback
	same
	[[ "$g_out" == "sorted: yes, checksum 8999999000, spinner ended: 1" ]]
	[[ "$g_err" == *"(spinner) preempted at"*"(the program)"* ]]
	[[ "$g_err" == *"(sorter) ran a whole time slice"*"not preempted there (called back from a library that may hold locks: libc.so"* ]]
	! grep -q '(sorter) preempted at' <<<"$g_err"
}

@test "preempt: stress, 64 spinning threads that call malloc, stdio and pthread functions in between: output exact, over 1,000 preemptions (make soak: 10^6)" {
	export GREEN_SLICE_US=100 GREEN_STATS=1 # a wall-clock timer: many preemptions in little time
	both preempt_stress 64 60
	same
	[[ "$g_out" == *"sum 117120 (expected 117120)"* ]]
	check "$(preempted "$g_err") >= 1000" "at least 1,000 preemptions"
}

@test "preempt: while preemption is on, the monitor sees no hub stall; with GREEN_PREEMPT=0 it reports the spinning thread" {
	export GREEN_MONITOR_MS=100 GREEN_STATS=1
	both preempt_stress 16 30
	same
	! grep -q 'blocked the hub' <<<"$g_err"
	stall=$(grep -o 'longest_hub_stall_ms=[0-9]*' <<<"$g_err" | cut -d= -f2)
	check "stall < 100" "no hub stall as long as the monitor's 100 ms"
	run -124 timeout 3 env GREEN_PREEMPT=0 GREEN_MONITOR_MS=100 LD_PRELOAD="$LIB" "$PROGS/preempt_stress" 16 30
	[[ "$output" == *"blocked the hub for"*"a busy loop?"* ]]
}

@test "preempt: asynchronous cancellation ends a thread that spins with no call (cleanup handler run, PTHREAD_CANCELED), as natively" {
	export GREEN_STATS=1
	both cancel_spin
	same
	[[ "$g_out" == *"cleanup handler of the asynchronous thread ran"*"asynchronous spinner: cancelled"* ]]
	run -124 timeout 5 env GREEN_PREEMPT=0 LD_PRELOAD="$LIB" "$PROGS/cancel_spin"
}
