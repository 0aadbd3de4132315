#!/usr/bin/env bash
# make demo: an unmodified program (tests/progs/sleepers.c) creates 10,000 pthreads that each
# block 1 s in sleep/usleep/nanosleep/clock_nanosleep; run natively, then under libgreen, and
# show wall time, OS threads used and peak RSS for both.
set -eu
B=$(cd "${1:-build}" && pwd)
N=${DEMO_THREADS:-10000}
prog="$B/progs/sleepers $N all"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT

echo "libgreen demo: tests/progs/sleepers.c, an ordinary pthread program, creates $N threads"
echo "that each block 1 s in sleep/usleep/nanosleep/clock_nanosleep, then joins them all."
echo
"$B/bench/runstat" -- $prog >"$d/native.out" 2>"$d/native.err"
"$B/bench/runstat" --preload "$B/libgreen.so" -- $prog >"$d/green.out" 2>"$d/green.err"

field() { grep -o "$1=[0-9]*" "$2" | tail -1 | cut -d= -f2; }
row() {
	printf '%-18s %9.3f s %12s %10s MiB\n' "$1" "$(awk -v ms="$(field wall_ms "$2")" 'BEGIN { print ms / 1000 }')" \
		"$(field max_tasks "$2")" "$(( $(field peak_rss_kib "$2") / 1024 ))"
}
printf '%-18s %11s %12s %14s\n' "" "wall time" "OS threads" "peak RSS"
row "native threads" "$d/native.err"
row "libgreen" "$d/green.err"
echo
echo "program output, native:   $(cat "$d/native.out")"
echo "program output, libgreen: $(cat "$d/green.out")"
if cmp -s "$d/native.out" "$d/green.out"; then
	echo "=> identical output; under libgreen all $N threads ran as green threads on $(field max_tasks "$d/green.err") OS thread(s)."
else
	echo "=> OUTPUT DIFFERS" >&2
	exit 1
fi
