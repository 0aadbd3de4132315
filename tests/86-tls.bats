#!/usr/bin/env bats
# Thread-local storage per green thread (issue 15): each green thread runs on a glibc TCB of its
# own, so __thread, thread_local and glibc's per-thread state behave as on real threads. Each
# program runs natively and under libgreen; the shared-TLS mode (GREEN_TLS=shared, what
# libgreen did before) gets them wrong, which proves the programs see the difference.
load helpers
bats_require_minimum_version 1.5.0

# shared_differs PROG: under GREEN_TLS=shared the program's output is not the native one.
shared_differs() {
	local s
	s=$(GREEN_TLS=shared LD_PRELOAD=$LIB "$PROGS/$1" 2>/dev/null || true)
	if [[ "$s" == "$n_out" ]]; then
		echo "GREEN_TLS=shared printed the native output too: the test cannot tell the modes apart"
		return 1
	fi
}

@test "tls: __thread variables of the program, of linked -fPIC libraries (general- and initial-exec) and of libraries a thread dlopen()s by bare name are each thread's own across parks; a dlopen()ed initial-exec variable is initialised before its constructor" {
	both tls_vars
	same
	[[ "$g_out" == *"seen by its constructor: 23"* ]]
	[[ "$g_out" == *"distinct addresses of a __thread variable: 8 of 8"* ]]
	shared_differs tls_vars
}

@test "tls: C++ thread_local objects are constructed per thread and destroyed in the thread that exits; a per-connection thread_local pointer survives blocking reads; throw; after a park rethrows the thread's own exception (-fstack-protector-all)" {
	both tls_cxx
	same
	[[ "$g_out" == *"constructed 9, destroyed 8, destroyed in another thread 0"* ]]
	shared_differs tls_cxx
}

@test "tls: uselocale, dlerror, the strerror/strsignal/inet_ntoa buffers, errno and h_errno are per thread; a thread started after others ended starts fresh" {
	both tls_libc
	same
	shared_differs tls_libc
}

@test "tls: flockfile excludes the other threads across the holder's park: ftrylockfile answers busy, printf and flockfile wait for funlockfile, nothing hangs" {
	both tls_filelock
	same
	grep -q 'stdio=' "$BATS_TEST_TMPDIR/g.err" # the waits parked green
}

@test "tls: setuid, setgid, the other set*id calls and initgroups (its setgroups inside libc) from a thread while real threads exist return what they return natively (no livelock)" {
	both tls_setuid
	same
}

@test "tls: fork from a thread (the child uses malloc, printf and its thread's __thread values) and an atexit handler a thread registered" {
	both tls_fork
	same
	shared_differs tls_fork
}

@test "tls: 10,000 threads alive at once each keep their own __thread values and errno" {
	both tls_scale 10000
	same
	[ "$g_out" = "10000 threads, 0 wrong values" ]
}

@test "tls: GREEN_TLS=syscall (arch_prctl, as under valgrind) behaves the same; GREEN_TLS=shared shares silently; a bad value is reported" {
	both tls_vars
	n_vars=$n_out
	GREEN_TLS=syscall both tls_vars
	same
	GREEN_TLS=syscall both tls_cxx
	same
	run env GREEN_TLS=shared LD_PRELOAD="$LIB" "$PROGS/tls_scale" 100
	[[ "$output" != *"libgreen"* && "$output" != "100 threads, 0 wrong values" ]]
	run env GREEN_TLS=bogus LD_PRELOAD="$LIB" "$PROGS/tls_scale" 100
	[[ "$output" == *"ignoring GREEN_TLS=bogus"* && "$output" == *"100 threads, 0 wrong values"* ]]
}

@test "tls: under ASan libgreen falls back to shared TLS and says why in one line" {
	cc -std=gnu11 -D_GNU_SOURCE -O1 -g -fsanitize=address -pthread "$BATS_TEST_DIRNAME/progs/tls_scale.c" -o "$BATS_TEST_TMPDIR/scale_asan"
	export ASAN_OPTIONS=verify_asan_link_order=0
	run -0 env LD_PRELOAD="$LIB" "$BATS_TEST_TMPDIR/scale_asan" 50
	echo "$output"
	[ "$(grep -c '^libgreen: ' <<<"$output")" -eq 1 ]
	[[ "$output" == *"libgreen: each green thread shares the OS thread's TLS: ASan"* ]]
}

@test "tls: valgrind runs green threads with TLS of their own (arch_prctl) with no errors" {
	command -v valgrind || skip "valgrind is not installed (CI installs it)"
	run valgrind -q --error-exitcode=9 env LD_PRELOAD="$LIB" GREEN_STATS=1 "$PROGS/tls_cxx"
	echo "$output"
	[ "$status" -eq 0 ]
	switched "$output"
	[[ "$output" == *"constructed 9, destroyed 8, destroyed in another thread 0"* ]]
	[[ "$output" != *"Invalid"* && "$output" != *"uninitialised"* ]]
}

@test "tls: green --self-test runs the checks here and says which mode libgreen uses; with GREEN_TLS=shared the TLS checks are marked shared, not failed" {
	run -0 "$B/green" --self-test
	echo "$output"
	[[ "$output" == *"TLS per green thread: own, switched with "* ]]
	[ "$(grep -c '^  ok ' <<<"$output")" -eq 8 ]
	[[ "$output" == *"self-test passed"* ]]
	GREEN_TLS=shared run -0 "$B/green" --self-test
	echo "$output"
	[[ "$output" == *"TLS per green thread: shared"* && "$output" == *"  shared   __thread variables"* ]]
}

@test "tls: the launcher adds the glibc tunables that halve the static TLS, keeps the user's own, and --no-tunables leaves them alone" {
	run -0 "$B/green" sh -c 'echo "$GLIBC_TUNABLES"'
	[ "$output" = "glibc.rtld.nns=1:glibc.rtld.optional_static_tls=0" ]
	GLIBC_TUNABLES=glibc.rtld.nns=2:glibc.malloc.tcache_count=3 run -0 "$B/green" sh -c 'echo "$GLIBC_TUNABLES"'
	[ "$output" = "glibc.rtld.nns=2:glibc.malloc.tcache_count=3:glibc.rtld.optional_static_tls=0" ]
	run -0 "$B/green" --no-tunables sh -c 'echo "${GLIBC_TUNABLES:-unset}"'
	[ "$output" = "unset" ]
	# and the programs run green the same with them (the static TLS is smaller, dlopen works)
	n_out=$("$PROGS/tls_vars")
	g_out=$(GREEN_STATS=1 "$B/green" "$PROGS/tls_vars" 2>"$BATS_TEST_TMPDIR/g.err")
	[ "$g_out" = "$n_out" ]
	switched "$(cat "$BATS_TEST_TMPDIR/g.err")"
}
