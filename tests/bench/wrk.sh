#!/usr/bin/env bash
# wrk.sh BUILD KIND CONNECTIONS SECONDS: run tests/progs/http_server.c natively (KIND native) or
# under libgreen (green) pinned to the last CPU and load it with wrk (one thread, first CPU).
# Prints "rps=R errors=E non2xx=N".
set -u
B=$1 kind=$2 conns=$3 secs=$4
last=$(( $(nproc) - 1 ))
pin_s="" pin_c=""
if command -v taskset >/dev/null && [ "$last" -gt 0 ]; then pin_s="taskset -c $last"; pin_c="taskset -c 0"; fi
out=$(mktemp)
if [ "$kind" = green ]; then
	LD_PRELOAD=$B/libgreen.so $pin_s "$B/progs/http_server" >"$out" 2>&1 &
else
	$pin_s "$B/progs/http_server" >"$out" 2>&1 &
fi
spid=$!
trap 'kill $spid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q '^port' "$out" && break; sleep 0.05; done
port=$(awk '/^port/ { print $2 }' "$out")
res=$($pin_c wrk -t1 -c"$conns" -d"${secs}s" "http://127.0.0.1:$port/" 2>&1)
rps=$(awk '/Requests\/sec/ { printf "%d", $2 }' <<<"$res")
errs=$(grep -o "Socket errors:.*" <<<"$res" | grep -o "[0-9][0-9]*" | awk "{ s += \$1 } END { print s + 0 }")
non2xx=$(awk '/Non-2xx/ { print $NF }' <<<"$res")
echo "rps=${rps:-0} errors=${errs:-0} non2xx=${non2xx:-0}"
