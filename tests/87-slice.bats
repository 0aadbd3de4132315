#!/usr/bin/env bats
# Time slices (issue 16, first part): a green thread that keeps running without parking yields
# at a hooked call once its slice (GREEN_SLICE_MS, 10 ms) is over, so the others run. Each
# program runs natively and under libgreen; GREEN_SLICE_MS=0 (no slices) shows the starvation
# the slice removes.
load helpers

@test "slice: consumers that keep finding items under an uncontended mutex all get items, as natively" {
	both slice_queue
	same
	[[ "$g_out" == *"every consumer got items: yes"* ]]
	grep -q 'sliced=[1-9]' "$BATS_TEST_TMPDIR/g.err"
	run env GREEN_SLICE_MS=0 LD_PRELOAD="$LIB" "$PROGS/slice_queue"
	[[ "$output" == *"every consumer got items: no"* ]]
}

@test "slice: a poll loop on an always-ready fd lets the thread it waits for run, and ends as natively" {
	both slice_poll
	same
	run timeout 5 env GREEN_SLICE_MS=0 LD_PRELOAD="$LIB" "$PROGS/slice_poll"
	[ "$status" -eq 124 ] # without slices it never ends
}

@test "slice: CPython, 50 producers and 50 consumers on a queue.Queue(100): every consumer gets a fair share, as natively" {
	command -v python3 >/dev/null || skip "python3 is not installed"
	d=$BATS_TEST_TMPDIR
	timeout 60 python3 "$BATS_TEST_DIRNAME/py/queue5050.py" 200000 >"$d/n.out"
	GREEN_STATS=1 LD_PRELOAD=$LIB timeout 60 python3 "$BATS_TEST_DIRNAME/py/queue5050.py" 200000 >"$d/g.out" 2>"$d/g.err"
	cat "$d/n.out" "$d/g.out"
	switched "$(cat "$d/g.err")"
	grep -q '^items 200000;' "$d/g.out"
	# natively all 50 get items and none gets more than a few percent; before runnext one
	# consumer got every item (gevent: 25 of 50, one with half)
	n=$(metric consumers "$(cat "$d/g.out")") share=$(grep -o 'share=[0-9]*' "$d/g.out" | cut -d= -f2)
	check "n == 50" "every consumer got items"
	check "share < 10" "no consumer got 10% or more"
}
