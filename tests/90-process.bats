#!/usr/bin/env bats
# Child processes: waits park only the caller while other threads keep running.
load helpers

@test "process: system, fork + waitpid/wait/wait4/waitid, WNOHANG, ECHILD, ignored SIGCHLD, vfork, while a ticker runs" {
	both children
	same
	[[ "$g_out" == *"system: exit 3, ticker ran 1"* ]]
	[[ "$g_out" == *"waitpid: right pid 1, exit 7, ticker ran 1"* ]]
}

@test "process: CPython threads run subprocess.run while a ticker thread keeps ticking" {
	command -v python3 >/dev/null || skip "python3 is not installed"
	n=$(python3 "$BATS_TEST_DIRNAME/progs/py_subprocess.py")
	g=$(GREEN_STATS=1 LD_PRELOAD="$LIB" python3 "$BATS_TEST_DIRNAME/progs/py_subprocess.py" 2>"$BATS_TEST_TMPDIR/g.err")
	echo "native: $n"; echo "libgreen: $g"
	[ "$n" = "$g" ]
	switched "$(cat "$BATS_TEST_TMPDIR/g.err")"
	[[ "$g" == *"ticker kept ticking during subprocess waits: True"* ]]
}

@test "signal: EINTR for read/sleep/nanosleep/poll as natively, SA_RESTART, pthread_kill target, handlers that block, SA_RESETHAND" {
	both signals
	same
}

@test "signal: a CPython KeyboardInterrupt reaches the main thread parked in join at once" {
	command -v python3 >/dev/null || skip "python3 is not installed"
	n=$(python3 "$BATS_TEST_DIRNAME/progs/py_sigint.py")
	g=$(GREEN_STATS=1 LD_PRELOAD="$LIB" python3 "$BATS_TEST_DIRNAME/progs/py_sigint.py" 2>"$BATS_TEST_TMPDIR/g.err")
	echo "native: $n"; echo "libgreen: $g"
	switched "$(cat "$BATS_TEST_TMPDIR/g.err")"
	[ "$g" = "KeyboardInterrupt during join after 0.5 s" ]
	[ "$n" = "$g" ]
}

@test "offload: getaddrinfo, getnameinfo, gethostbyname(_r), gethostbyaddr, getservbyname, getpw*/getgr* (and _r) give native results" {
	both resolve
	same
}

@test "offload: flock, lockf and fcntl F_SETLKW held by another process wait on the pool while a ticker runs" {
	both locks
	same
	[[ "$g_out" == *"flock waited for the other process: 0, ticker ran meanwhile 1"* ]]
}

@test "offload: the pool is GREEN_THREADPOOL real threads; GREEN_THREADPOOL=0 makes the calls directly" {
	export GREEN_THREADPOOL=2
	run "$B/bench/runstat" --preload "$LIB" -- "$PROGS/locks"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"max_tasks=3 "* ]] # the hub's OS thread and two pool threads
	export GREEN_THREADPOOL=0
	green resolve
	[ "$g_rc" -eq 0 ]
	[[ "$g_out" == *"getpwnam root: uid 0"* ]]
}

@test "stdio: fgets, getline, fgetc and fread on a slow pipe, popen r/w with pclose statuses, while a ticker runs" {
	both stdio_pipes
	same
	[[ "$g_out" == *"ticker ran while stdio waited: 1"* ]]
}

@test "signal: sigwait in a thread, sigtimedwait (timeout and queued info), pause and sigsuspend in main, while a ticker runs" {
	both sigwaits
	same
	[[ "$g_out" == *"sigwait got SIGUSR1 and SIGUSR2: 11, ticker ran 1"* ]]
}

@test "offload: regular-file read/write/fsync from 8 threads give native results, and with GREEN_FILE_OFFLOAD=1 run on the pool" {
	both files
	same
	export GREEN_FILE_OFFLOAD=1
	green files
	[ "$g_out" = "$n_out" ]
	run "$B/bench/runstat" --preload "$LIB" -- "$PROGS/files"
	[[ "$output" == *"max_tasks=5 "* ]] # the hub and the four pool threads
}

@test "signal: masks are per thread: inherited by new threads, and a signal main blocks is handled by the thread that unblocked it" {
	both sigmasks
	same
}

@test "stdio: ~1 MiB of printf/fputs/fwrite into a pipe whose reader starts late: same bytes, and other threads run while the writer waits" {
	n=$("$PROGS/stdout_pipe" 2>"$BATS_TEST_TMPDIR/n.err" | (sleep 0.5; md5sum))
	g=$(GREEN_STATS=1 LD_PRELOAD="$LIB" "$PROGS/stdout_pipe" 2>"$BATS_TEST_TMPDIR/g.err" | (sleep 0.5; md5sum))
	cat "$BATS_TEST_TMPDIR/g.err"
	[ "$n" = "$g" ]
	switched "$(cat "$BATS_TEST_TMPDIR/g.err")"
	ticks=$(metric ticks "$(cat "$BATS_TEST_TMPDIR/g.err")")
	check "ticks >= 30" "ticker ticks while stdout was full"
}
