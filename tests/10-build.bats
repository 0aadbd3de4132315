#!/usr/bin/env bats
# The build: exported symbols are exactly the hooks, unversioned; dependencies are Debian's
# shared libraries; the launcher and make install work.
bats_require_minimum_version 1.5.0
load helpers

hooks() { sed -n 's/^GREEN_HOOK[A-Z_]*([^,]*, *\([A-Za-z0-9_]*\),.*/\1/p' "$BATS_TEST_DIRNAME/../preload/hooks.def" | sort; }

@test "build: libgreen.so exports exactly the hooks listed in preload/hooks.def" {
	diff <(hooks) <(nm -D --defined-only "$LIB" | awk '{print $3}' | sort)
}

@test "build: no object of core/ or preload/ calls a name libgreen exports (raw system calls go through core/sys.h, the rest through the real table)" {
	objs=$(find "$B/obj/core" "$B/obj/preload" -name '*.o')
	[ "$(echo "$objs" | wc -l)" -gt 30 ]
	bad=$(for o in $objs; do
		nm -u "$o" | awk '{print $2}' | sort -u | comm -12 - <(hooks) | sed "s|^|${o#$B/obj/}: |"
	done)
	[ -z "$bad" ] || { echo "$bad"; return 1; }
}

@test "build: every export is unversioned so it interposes every glibc version of the symbol" {
	run bash -c "objdump -T '$LIB' | awk '\$2 ~ /g/ && \$4 == \".text\" && \$(NF-1) != \"Base\"'"
	[ -z "$output" ]
}

@test "build: libevent is linked dynamically from the system, none of its symbols exported" {
	readelf -d "$LIB" | grep -q 'NEEDED.*libevent_core'
	! nm -D --defined-only "$LIB" | grep -q ' event_'
}

@test "build: linked -z initfirst so its constructor runs before other libraries'" {
	readelf -d "$LIB" | grep -q 'FLAGS_1.*INITFIRST'
}

@test "launcher: --help documents every option and variable, --version prints the version" {
	run "$B/green" --help
	[ "$status" -eq 0 ]
	for w in --stack-size --disable --debug --deadlock --threadpool --no-inherit --monitor --stats GREEN_STACK_SIZE GREEN_DISABLE GREEN_DEBUG GREEN_DEADLOCK GREEN_THREADPOOL GREEN_INHERIT GREEN_MONITOR_MS GREEN_FILE_OFFLOAD GREEN_STATS; do
		[[ "$output" == *"$w"* ]]
	done
	run "$B/green" --version
	[ "$status" -eq 0 ]
	[[ "$output" == "green (libgreen) "[0-9]* ]]
}

@test "launcher: bad usage exits 2, a missing command exits 127" {
	run "$B/green" --no-such-option true
	[ "$status" -eq 2 ]
	run "$B/green"
	[ "$status" -eq 2 ]
	run "$B/green" --stack-size=12 true
	[ "$status" -eq 2 ]
	run -127 "$B/green" /nonexistent/cmd
	[ "$status" -eq 127 ]
}

@test "launcher: prepends the absolute library path to LD_PRELOAD and keeps the rest" {
	run env LD_PRELOAD=libfoo-keep.so "$B/green" --stack-size=64K --disable sh -c 'echo "$LD_PRELOAD|$GREEN_STACK_SIZE|$GREEN_DISABLE"'
	[ "$status" -eq 0 ]
	[[ "$output" == *"$LIB:libfoo-keep.so|64K|1" ]]
}

@test "launcher: runs a threaded program on one OS thread" {
	run "$B/green" "$PROGS/sleepers" 200 nanosleep
	[ "$status" -eq 0 ]
	[[ "$output" == *"tasks=1 "* ]]
}

@test "install: make install DESTDIR puts the library, launcher and man page in place and the installed launcher works" {
	d=$BATS_TEST_TMPDIR/root
	make -s -C "$BATS_TEST_DIRNAME/.." install B="$B" DESTDIR="$d" PREFIX=/usr/local >/dev/null
	[ -x "$d/usr/local/lib/libgreen.so" ]
	[ -x "$d/usr/local/bin/green" ]
	[ -f "$d/usr/local/share/man/man1/green.1" ]
	run "$d/usr/local/bin/green" sh -c 'echo "$LD_PRELOAD"'
	[ "$output" = "$(cd "$d/usr/local/lib" && pwd -P)/libgreen.so" ]
}

@test "unit: size parsing and timespec arithmetic" {
	run "$B/unit/units"
	echo "$output"
	[ "$status" -eq 0 ]
}
