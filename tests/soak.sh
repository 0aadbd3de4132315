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
