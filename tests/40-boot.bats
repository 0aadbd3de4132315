#!/usr/bin/env bats
# Boot: hooks before our constructor, GREEN_DISABLE, configuration variables.
load helpers

@test "boot: a linked library's constructor creates, sleeps in and joins a thread before main" {
	both ctor_needed
	same
}

@test "boot: a preloaded -z initfirst library's constructor runs before ours and its threads are green" {
	d=$BATS_TEST_TMPDIR
	LD_PRELOAD="$PROGS/libctorfirst.so" "$PROGS/hello" >"$d/n.out" 2>"$d/n.err"
	LD_PRELOAD="$LIB $PROGS/libctorfirst.so" "$PROGS/hello" >"$d/g.out" 2>"$d/g.err"
	diff "$d/n.out" "$d/g.out"
	grep -q 'ctorfirst tasks=6' "$d/n.err"
	grep -q 'ctorfirst tasks=1' "$d/g.err"
}

@test "boot: GREEN_DISABLE=1 passes everything through (native threads)" {
	export GREEN_DISABLE=1
	green sleepers 50 nanosleep
	[ "$g_rc" -eq 0 ]
	[ "$(metric tasks "$g_err")" -eq 51 ]
}

@test "boot: GREEN_STACK_SIZE sets the default stack; an explicit attribute still wins" {
	export GREEN_STACK_SIZE=64K
	green stacksize
	[ "$g_rc" -eq 0 ]
	[[ "$g_out" == *"default=65536 explicit=1048576"* ]]
	unset GREEN_STACK_SIZE
	green stacksize
	native=$("$PROGS/stacksize")
	[ "$g_out" = "$native" ]
}

@test "boot: an invalid GREEN_STACK_SIZE is reported and ignored" {
	export GREEN_STACK_SIZE=lots
	green stacksize
	[ "$g_rc" -eq 0 ]
	[[ "$g_err" == *"libgreen: ignoring GREEN_STACK_SIZE=lots"* ]]
}

@test "boot: a bad value gets one line and the documented default, the same through the variable and the launcher; an empty one is the default" {
	for v in GREEN_STACK_SIZE=8E GREEN_STACK_SIZE=8G GREEN_THREADPOOL=-1 GREEN_THREADPOOL=100000 \
		 GREEN_DEBUG=99999999999999999999 GREEN_INHERIT=maybe GREEN_BACKTRACE=2 GREEN_OVERFLOW=on \
		 GREEN_MONITOR_MS=-5 GREEN_DUMP_SIGNAL=KILL GREEN_DEADLOCK=sometimes; do
		run env "$v" GREEN_STATS=1 LD_PRELOAD="$LIB" "$PROGS/createjoin" 200
		echo "$v: $output"
		[ "$status" -eq 0 ]
		[ "$(grep -c "^libgreen: ignoring $v (expected .*); using the default: " <<<"$output")" -eq 1 ]
		switched "$output"
	done
	# the launcher hands the value to the variable: the same line, the same default
	run env GREEN_STATS=1 "$B/green" --threadpool=-1 -- "$PROGS/createjoin" 200
	[ "$status" -eq 0 ]
	[[ "$output" == *"libgreen: ignoring GREEN_THREADPOOL=-1 (expected a whole number from 0 to 256); using the default: 4"* ]]
	run env GREEN_STATS=1 "$B/green" --stack-size=8E -- "$PROGS/createjoin" 200
	[ "$status" -eq 0 ]
	[[ "$output" == *"libgreen: ignoring GREEN_STACK_SIZE=8E"* ]]
	# GREEN_INHERIT= (empty) keeps the default: children inherit libgreen
	run env GREEN_INHERIT= LD_PRELOAD="$LIB" sh -c 'echo "$LD_PRELOAD"'
	[[ "$output" == *libgreen.so* ]]
	[[ "$output" != *ignoring* ]]
}

@test "boot: in a setuid program run by another user (AT_SECURE) every GREEN_* variable is ignored" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to make a setuid program"
	command -v setpriv >/dev/null || skip "setpriv is not installed"
	d=$(mktemp -d /tmp/green-secure.XXXXXX)
	chmod 755 "$d"
	cp "$LIB" "$d/libgreen.so"
	cc -o "$d/prog" "$BATS_TEST_DIRNAME/progs/createjoin.c" -pthread "$d/libgreen.so" -Wl,-rpath,"$d"
	chmod 4755 "$d/prog"
	run setpriv --reuid=65534 --regid=65534 --clear-groups env GREEN_STATS=1 GREEN_THREADPOOL=-1 "$d/prog" 50
	echo "setuid, run by nobody: $output"
	[ "$status" -eq 0 ]
	[[ "$output" != *"libgreen:"* ]] # neither the stats line nor a warning: the variables are not read
	run env GREEN_STATS=1 "$d/prog" 50 # not secure: the same binary reads them
	rm -rf "$d"
	live "$output"
}

@test "boot: fork from a green thread gives a working single-threaded child" {
	both forks
	same
}

@test "boot: GREEN_DEBUG=2 logs every park" {
	export GREEN_DEBUG=2
	green sleepers 2 nanosleep
	[ "$g_rc" -eq 0 ]
	[[ "$g_err" == *"libgreen: green thread"*"parks"* ]]
}

@test "boot: fork from a program with 100 green threads: the child keeps only the forking thread, which runs threads and the pool of its own" {
	both fork_many
	same
}

@test "boot: children inherit libgreen by default; GREEN_INHERIT=0 (green --no-inherit) strips it from LD_PRELOAD" {
	run env LD_PRELOAD="$LIB" sh -c 'echo "[$LD_PRELOAD]"'
	[ "$output" = "[$LIB]" ]
	run env LD_PRELOAD="other-lib.so:$LIB" GREEN_INHERIT=0 sh -c 'echo "[$LD_PRELOAD]"' 2>/dev/null
	[[ "$output" == *"[other-lib.so]" ]]
	run "$B/green" --no-inherit sh -c 'echo "[$LD_PRELOAD]"'
	[ "$output" = "[]" ]
}

@test "boot: a program whose own malloc takes a pthread mutex starts (dlsym's error path re-enters a hook while libc is resolved) and runs green" {
	both own_malloc
	same
	[ "$(metric tasks "$g_err")" -eq 1 ]
	[ "$(metric tasks "$n_err")" -eq 17 ]
}

# allocator LIB: the system's shared allocator LIB, or skip when it is not installed.
allocator() {
	local f=/usr/lib/$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)/$1
	[ -e "$f" ] || skip "$1 is not installed (apt-get install libjemalloc2 libtcmalloc-minimal4 libmimalloc2.0)"
	echo "$f"
}

@test "boot: jemalloc, tcmalloc and mimalloc preloaded before and after libgreen: threads, locks and sleeps give native results on one OS thread" {
	for a in libjemalloc.so.2 libtcmalloc_minimal.so.4 libmimalloc.so.2; do
		f=$(allocator $a)
		for order in "$f:$LIB" "$LIB:$f"; do
			for p in "mutexes" "createjoin 2000" "sleepers 100 all"; do
				n=$(LD_PRELOAD=$f "$PROGS"/$p 2>/dev/null) || { echo "$a native $p failed"; return 1; }
				g=$(LD_PRELOAD=$order "$PROGS"/$p 2>"$BATS_TEST_TMPDIR/err") || { echo "$order $p: exit $?"; cat "$BATS_TEST_TMPDIR/err"; return 1; }
				[ "$n" = "$g" ] || { echo "$order $p differs"; diff <(echo "$n") <(echo "$g"); return 1; }
			done
			g=$(LD_PRELOAD=$order "$PROGS"/sleepers 50 nanosleep 2>&1 >/dev/null)
			[ "$(metric tasks "$g")" -eq 1 ] || { echo "$order: not green: $g"; return 1; }
		done
	done
}
