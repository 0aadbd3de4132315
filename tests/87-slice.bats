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
