#!/usr/bin/env bats
# The portable context switch (ucontext) builds and runs the same programs.
load helpers

setup_file() {
	export GB=$BATS_FILE_TMPDIR/generic
	make -s -C "$BATS_TEST_DIRNAME/.." GREEN_ARCH=generic B="$GB" "$GB/libgreen.so" >/dev/null
}

@test "arch: the generic ucontext switch runs joins, errno isolation, sleeps and C++ unwinding like native" {
	for p in joins errno_iso cxx_exit c11; do
		n=$("$PROGS/$p" 2>/dev/null)
		g=$(LD_PRELOAD="$GB/libgreen.so" "$PROGS/$p" 2>/dev/null)
		[ "$n" = "$g" ] || { echo "$p differs"; diff <(echo "$n") <(echo "$g"); return 1; }
	done
	run env LD_PRELOAD="$GB/libgreen.so" "$PROGS/sleepers" 500 all
	[ "$status" -eq 0 ]
	[[ "$output" == *"tasks=1 "* ]]
}
