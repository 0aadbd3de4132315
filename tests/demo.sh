#!/usr/bin/env bash
# make demo: (1) the unmodified thread-per-connection echo server (tests/progs/echo_server.c)
# serving 10,000 client connections natively, then under libgreen: OS threads, round trips per
# second, peak RSS; (2) an unmodified program whose 10,000 pthreads each block 1 s in the sleep
# calls: wall time, OS threads, peak RSS.
set -eu
B=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
N=${DEMO_THREADS:-10000}
C=${DEMO_CONNECTIONS:-10000}
# Each side needs one fd per connection: stay under the hard limit the processes can raise to.
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$C" -gt $((hard - 200)) ]; then
	C=$((hard - 200))
	echo "(RLIMIT_NOFILE hard limit is $hard: using $C connections)"
fi

echo "libgreen demo 1: tests/progs/echo_server.c, an ordinary server that starts one pthread per"
echo "connection, serving $C concurrent loopback connections that each do 64-byte round trips for"
echo "3 s (load from tests/bench/echo_client.c, a separate native process)."
echo
printf '%-18s %14s %12s %14s\n' "" "round trips/s" "OS threads" "peak RSS"
for kind in native green; do
	line=$("$here/bench/echo.sh" "$B" "$kind" "$C" 3)
	get() { grep -o "$1=[0-9]*" <<<"$line" | cut -d= -f2; }
	[ "$(get errors)" = 0 ] || { echo "demo: echo errors: $line" >&2; exit 1; }
	printf '%-18s %14s %12s %10s MiB\n' "$([ $kind = native ] && echo "native threads" || echo libgreen)" \
		"$(get rtt_per_sec)" "$(get tasks)" "$(( $(get rss_kib) / 1024 ))"
done
echo "=> every echoed byte verified; under libgreen one OS thread served all $C connections."
echo
prog="$B/progs/sleepers $N all"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT

echo "libgreen demo 2: tests/progs/sleepers.c, an ordinary pthread program, creates $N threads"
echo "that each block 1 s in sleep/usleep/nanosleep/clock_nanosleep, then joins them all."
echo
"$B/bench/runstat" -- $prog >"$d/native.out" 2>"$d/native.err"
"$B/bench/runstat" -- "$B/green" $prog >"$d/green.out" 2>"$d/green.err"

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
