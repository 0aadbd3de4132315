#!/usr/bin/env bash
# make compat: real programs nobody here wrote, natively and under libgreen, same machine, same
# run: CPython's own threading test suites (counts of passing tests), CPython threading
# patterns, xz -T4 and zstd -T4, then the servers, load generators and tools of
# tests/compat_servers.sh. Prints a Markdown table and writes it to $B/compat.md.
set -u
B=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
LIB=$B/libgreen.so
PY=${PYTHON:-python3}
out=$B/compat.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# passed LOG: tests that passed in a CPython regrtest log (run - failures - errors - skipped).
passed() {
	awk '/Total tests: run=/ {
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		print v["run"] - v["failures"] - v["errors"] - v["skipped"] + 0; found = 1 }
	     END { if (!found) print 0 }' "$1"
}

{
echo "| program | what was run | native | libgreen | result |"
echo "|---|---|---:|---:|---|"
total_n=0 total_g=0
for t in test_thread test_threading test_queue test_threading_local test_socketserver test_threadsignals; do
	timeout 900 "$PY" -m test -u network "$t" >"$tmp/n.log" 2>&1
	LD_PRELOAD=$LIB timeout 900 "$PY" -m test -u network "$t" >"$tmp/g.log" 2>&1
	n=$(passed "$tmp/n.log") g=$(passed "$tmp/g.log")
	total_n=$((total_n + n)) total_g=$((total_g + g))
	failed=$(LD_PRELOAD=$LIB timeout 900 "$PY" -m test -u network -v "$t" 2>&1 | grep -E '^(FAIL|ERROR): ' | sed 's/ (.*//; s/^[A-Z]*: //' | sort -u | tr '\n' ' ')
	echo "| CPython $("$PY" -c 'import platform; print(platform.python_version())') | \`-m test $t\` | $n passed | $g passed | ${failed:+under libgreen: }${failed:-same} |"
done
echo "| CPython | the six suites above | $total_n passed | $total_g passed | $(awk -v n="$total_n" -v g="$total_g" 'BEGIN { printf "%.1f%%", n ? 100 * g / n : 0 }') of native |"
"$PY" "$here/py/patterns.py" >"$tmp/pn.txt" 2>/dev/null
LD_PRELOAD=$LIB timeout 120 "$PY" "$here/py/patterns.py" >"$tmp/pg.txt" 2>/dev/null
echo "| CPython | tests/py/patterns.py: threads+sleep, queues, locks, events, Timer, ThreadPoolExecutor, socketserver, multiprocessing (fork) Process/Queue/Pipe/ProcessPoolExecutor, subprocess | $(wc -l <"$tmp/pn.txt") lines | $(wc -l <"$tmp/pg.txt") lines | $(cmp -s "$tmp/pn.txt" "$tmp/pg.txt" && echo identical || echo DIFFERENT) |"
head -c 8000000 /dev/urandom | base64 >"$tmp/data"
for tool in xz zstd; do
	command -v $tool >/dev/null || { echo "| $tool | not installed | | | skipped |"; continue; }
	case $tool in xz) c="xz -T4 -1 -c" d="xz -T4 -d -c" ;; zstd) c="zstd -q -T4 -c" d="zstd -q -d -T4 -c" ;; esac
	$c "$tmp/data" >"$tmp/n.$tool"
	LD_PRELOAD=$LIB $c "$tmp/data" >"$tmp/g.$tool"
	LD_PRELOAD=$LIB $d "$tmp/g.$tool" >"$tmp/back"
	echo "| $tool $($tool --version 2>&1 | head -1 | grep -o '[0-9][0-9]*\.[0-9][0-9.]*' | head -1) | \`$c\` and \`$d\` of 10.7 MB | | | $(cmp -s "$tmp/n.$tool" "$tmp/g.$tool" && cmp -s "$tmp/back" "$tmp/data" && echo "identical output, round trip exact" || echo DIFFERENT) |"
done
if command -v wrk >/dev/null; then
	n=$("$here/bench/wrk.sh" "$B" native 100 3) g=$("$here/bench/wrk.sh" "$B" green 100 3)
	get() { grep -o "$1=[0-9]*" <<<"$2" | cut -d= -f2; }
	ok=$([ "$(get errors "$g")" = 0 ] && [ "$(get non2xx "$g")" = 0 ] && [ "$(get rps "$g")" -gt 0 ] && echo "no errors, every response 200" || echo "ERRORS: $g")
	echo "| wrk $(wrk -v 2>&1 | head -1 | grep -o '[0-9][0-9.]*' | head -1) | \`wrk -t1 -c100 -d3s\` against tests/progs/http_server.c (thread per connection, keep-alive) | $(get rps "$n") req/s | $(get rps "$g") req/s | $ok |"
else
	echo "| wrk | not installed | | | skipped |"
fi
"$here/compat_servers.sh" "$B"
echo
echo "$(date -u +%Y-%m-%d), $(nproc) CPUs, kernel $(uname -r)."
} | tee "$out"
