#!/usr/bin/env bash
# make soak: the soak program full-sized (SOAK_CONNS connections per round, SOAK_CONCURRENT at
# a time, SOAK_ROUNDS rounds; defaults 20000, 2000, 5), natively and under libgreen. The two
# must print the same verdicts (every byte verified, every reset seen, fd count and RSS
# stable); then the times and the green/native ratio.
set -u
B=$(cd "${1:-build}" && pwd)
conns=${SOAK_CONNS:-20000} conc=${SOAK_CONCURRENT:-2000} rounds=${SOAK_ROUNDS:-5}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "soak: $conns connections x $rounds rounds, $conc at a time"
"$B/progs/soak" "$conns" "$conc" "$rounds" >"$d/n.out" 2>"$d/n.err"; n_rc=$?
GREEN_STATS=1 LD_PRELOAD="$B/libgreen.so" "$B/progs/soak" "$conns" "$conc" "$rounds" >"$d/g.out" 2>"$d/g.err"; g_rc=$?
echo "--- native (exit $n_rc)"; cat "$d/n.out" "$d/n.err"
echo "--- libgreen (exit $g_rc)"; cat "$d/g.out" "$d/g.err"
n_ms=$(grep -o 'seconds_ms=[0-9]*' "$d/n.err" | cut -d= -f2)
g_ms=$(grep -o 'seconds_ms=[0-9]*' "$d/g.err" | cut -d= -f2)
if [[ $n_rc -ne 0 || $g_rc -ne 0 ]] || ! cmp -s "$d/n.out" "$d/g.out" || ! grep -q 'switches=[1-9]' "$d/g.err"; then
	echo "soak: FAILED (outputs differ, a run failed, or libgreen did not run green)"
	exit 1
fi
grep -q 'stable: yes, RSS stable: yes' "$d/g.out" || { echo "soak: FAILED (fd count or RSS not stable)"; exit 1; }
awk -v n="$n_ms" -v g="$g_ms" 'BEGIN { printf "soak: passed; native %d ms, libgreen %d ms, libgreen/native time %.2f\n", n, g, g / n }'

# The preemption stress full-sized: PREEMPT_THREADS threads (8) x PREEMPT_ROUNDS rounds (60000)
# of spins on atomics between malloc, stdio and pthread calls, with 20 us slices (a wall-clock
# timer): about 10^6 preemptions. The outputs must be identical.
pt=${PREEMPT_THREADS:-8} pr=${PREEMPT_ROUNDS:-60000}
echo "preemption stress: $pt threads x $pr rounds, GREEN_SLICE_US=20"
"$B/progs/preempt_stress" "$pt" "$pr" >"$d/pn.out" 2>&1; n_rc=$?
GREEN_SLICE_US=20 GREEN_STATS=1 LD_PRELOAD="$B/libgreen.so" "$B/progs/preempt_stress" "$pt" "$pr" >"$d/pg.out" 2>"$d/pg.err"; g_rc=$?
cat "$d/pg.out" "$d/pg.err"
if [[ $n_rc -ne 0 || $g_rc -ne 0 ]] || ! cmp -s "$d/pn.out" "$d/pg.out"; then
	echo "preemption stress: FAILED (outputs differ or a run failed)"; diff "$d/pn.out" "$d/pg.out"
	exit 1
fi
echo "preemption stress: passed, identical output, $(grep -o 'preempted=[0-9]*' "$d/pg.err" | cut -d= -f2) preemptions and $(grep -o 'marked=[0-9]*' "$d/pg.err" | cut -d= -f2) marks"
