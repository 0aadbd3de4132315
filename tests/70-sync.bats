#!/usr/bin/env bats
# Synchronisation primitives park green threads with glibc's semantics; each program is
# compared with its native run.
bats_require_minimum_version 1.5.0
load helpers

@test "sync: FIFO, LIFO and priority queues between 8 producers and 8 consumers, checksums exact, on one OS thread" {
	both queues
	same
	run "$B/bench/runstat" --preload "$LIB" -- "$PROGS/queues"
	[ "$status" -eq 0 ]
	[[ "$output" == *"max_tasks=1 "* ]]
}

@test "sync: mutex kinds, static initialisers, recursion, robust mutexes and every error return" {
	both mutexes
	same
}

@test "sync: a semaphore of 5 bounds 20 workers; errors; process-shared and named semaphores posted by another process" {
	both sems
	same
}

@test "sync: rwlocks, barriers, spinlocks with a sleeping holder, blocking pthread_once, key destructors" {
	both rwbarrier
	same
}

@test "sync: event with timed waits, timer thread, thread pool with futures and callbacks, dining philosophers" {
	both pool
	same
}

@test "sync: C11 mtx, cnd, tss and call_once" {
	both c11sync
	same
}

@test "sync: C++ std::thread, mutex, condition_variable, async, blocking static init, atomic wait, semaphore, latch" {
	both cxx_sync
	same
}

@test "deadlock: the two-lock deadlock is reported in under 2 s with each mutex and its holder" {
	run -124 timeout 1 "$PROGS/two_locks"
	start=$(date +%s%N)
	green two_locks
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	echo "$g_err"
	[ "$g_rc" -eq 70 ]
	a=$(grep -o 'mutex A 0x[0-9a-f]*' <<<"$g_out" | cut -d' ' -f3)
	b=$(grep -o 'mutex B 0x[0-9a-f]*' <<<"$g_out" | cut -d' ' -f3)
	[[ "$g_err" == *"(holds-a) parked in mutex $b held by green thread 3 (holds-b)"* ]]
	[[ "$g_err" == *"(holds-b) parked in mutex $a held by green thread 2 (holds-a)"* ]]
	check "ms < 2000" "reported within 2 s"
}

@test "cancel: cancellation points (sleep, cond wait, sem_wait, join, testcancel), cleanup handlers per thread, disabled state" {
	both cancel
	same
}

@test "sync: a process-shared mutex held by a forked child (plain glibc) and by the green parent, each waiting for the other" {
	both pshared
	same
}

@test "sync: a binary using the old condvar ABI (pthread_cond_*@GLIBC_2.2.5) is interposed too" {
	nm "$PROGS/compat_cond" | grep -q 'pthread_cond_wait@GLIBC_2.2.5'
	both compat_cond
	same
}
