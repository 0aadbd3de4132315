#!/usr/bin/env bash
# make bench: each micro-benchmark natively and under libgreen in the same run, pinned to one
# CPU, median of RUNS (default 5); prints a Markdown table with ratios and writes it to
# $B/bench.md. BENCH_QUICK=1 runs smaller sizes.
set -eu
B=$(cd "${1:-build}" && pwd)
RUNS=${RUNS:-5}
pin=""
command -v taskset >/dev/null && pin="taskset -c $(( $(nproc) - 1 ))"
here=$(cd "$(dirname "$0")" && pwd)
ERUNS=${ERUNS:-3}
if [ "${BENCH_QUICK:-0}" = 1 ]; then conns="100 1000"; esecs=1; else conns="100 1000 10000"; esecs=3; fi
if [ "${BENCH_QUICK:-0}" = 1 ]; then yi=200000; cj=20; rn=2000; ho=20000; mx=2000000; else yi=2000000; cj=100; rn=10000; ho=200000; mx=20000000; fi

# median NAME MODE CMD...: run CMD RUNS times, print the median of the NAME=value it prints.
median() {
	local name=$1 mode=$2; shift 2
	for _ in $(seq "$RUNS"); do
		if [ "$mode" = green ]; then LD_PRELOAD=$B/libgreen.so $pin "$@"; else $pin "$@"; fi |
			grep -o "$name=[0-9.]*" | cut -d= -f2
	done | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

out=$B/bench.md
{
	echo "| benchmark | native threads | libgreen | native / libgreen | target |"
	echo "|---|---:|---:|---:|---|"
	row() { # label unit name target cmd...
		local label=$1 unit=$2 name=$3 target=$4; shift 4
		local n g
		n=$(median "$name" native "$@")
		g=$(median "$name" green "$@")
		printf '| %s | %s %s | %s %s | %s | %s |\n' "$label" "$n" "$unit" "$g" "$unit" \
			"$(awk -v n="$n" -v g="$g" 'BEGIN { printf "%.1fx", n / g }')" "$target"
	}
	row "yield between two threads" ns ns_per_yield "<= 20 ns" "$B/bench/yield" "$yi"
	row "pthread_create + join (median of batches)" ns ns_per_create_join "<= 200 ns, >= 100x" "$B/bench/create_join" "$cj"
	row "RSS per parked thread, 64 KiB stacks" KiB kib_per_thread "<= 8 KiB" "$B/bench/rss_parked" "$rn"
	row "mutex + condvar handoff between two threads" ns ns_per_handoff "" "$B/bench/handoff" "$ho"
	row "uncontended mutex lock + unlock" ns ns_per_lock_unlock "" "$B/bench/mutex" "$mx"
	echo
	echo "| echo round trips/s (64 B), connections | native threads | libgreen | libevent server | libgreen / libevent | libgreen / native |"
	echo "|---|---:|---:|---:|---:|---:|"
	for c in $conns; do
		for k in native green libevent; do
			for _ in $(seq "$ERUNS"); do
				"$here/echo.sh" "$B" "$k" "$c" "$esecs" | grep -o 'rtt_per_sec=[0-9]*' | cut -d= -f2
			done | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }' >"$B/echo.$k"
		done
		n=$(cat "$B/echo.native") g=$(cat "$B/echo.green") l=$(cat "$B/echo.libevent")
		printf '| %s | %s | %s | %s | %s | %s |\n' "$c" "$n" "$g" "$l" \
			"$(awk -v g="$g" -v l="$l" 'BEGIN { printf "%.2fx", g / l }')" \
			"$(awk -v g="$g" -v n="$n" 'BEGIN { printf "%.2fx", g / n }')"
	done
	echo
	echo "Targets: libgreen >= 0.9x libevent at every size, >= 1.3x native from 1,000 connections."
	echo "Echo: server pinned to the last CPU, tests/bench/echo_client.c pinned to the first, ${esecs} s per run, median of $ERUNS."
	echo
	echo "Median of $RUNS runs, pinned with '${pin:-no taskset}', $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r), $(date -u +%Y-%m-%d)."
} | tee "$out"
