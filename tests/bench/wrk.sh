#!/usr/bin/env bash
# wrk.sh BUILD KIND CONNECTIONS SECONDS [WORKERS]: run tests/progs/http_server.c natively (KIND
# native) or under libgreen (green) and load it with wrk. One worker: the server pinned to the
# last CPU, wrk (one thread) to the first. WORKERS > 1: the server pre-forks that many
# processes (each with its own hub under libgreen), nothing is pinned and wrk uses two threads.
# Prints "rps=R errors=E non2xx=N rss_kib=K threads=T" (K: peak RSS of the first server
# process, T: its OS threads halfway through the run).
set -u
B=$1 kind=$2 conns=$3 secs=$4 workers=${5:-1}
last=$(( $(nproc) - 1 ))
pin_s="" pin_c="" wt=1
if [ "$workers" -gt 1 ]; then
	wt=2
elif command -v taskset >/dev/null && [ "$last" -gt 0 ]; then
	pin_s="taskset -c $last" pin_c="taskset -c 0"
fi
out=$(mktemp)
if [ "$kind" = green ]; then
	$pin_s "$B/green" "$B/progs/http_server" 0 "$workers" >"$out" 2>&1 &
else
	$pin_s "$B/progs/http_server" 0 "$workers" >"$out" 2>&1 &
fi
spid=$!
trap 'kill $spid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q '^port' "$out" && break; sleep 0.05; done
port=$(awk '/^port/ { print $2 }' "$out")
ulimit -n "$(ulimit -Hn)" 2>/dev/null
$pin_c wrk -t"$wt" -c"$conns" -d"${secs}s" "http://127.0.0.1:$port/" >"$out.wrk" 2>&1 &
wpid=$!
sleep "$(awk -v s="$secs" 'BEGIN { print s / 2 }')" # OS threads of the server while loaded
threads=$(awk '/^Threads/ { print $2 }' /proc/$spid/status 2>/dev/null)
wait $wpid
res=$(cat "$out.wrk")
rm -f "$out.wrk"
rps=$(awk '/Requests\/sec/ { printf "%d", $2 }' <<<"$res")
errs=$(grep -o "Socket errors:.*" <<<"$res" | grep -o "[0-9][0-9]*" | awk "{ s += \$1 } END { print s + 0 }")
non2xx=$(awk '/Non-2xx/ { print $NF }' <<<"$res")
rss=$(awk '/^VmHWM/ { print $2 }' /proc/$spid/status 2>/dev/null)
echo "rps=${rps:-0} errors=${errs:-0} non2xx=${non2xx:-0} rss_kib=${rss:-0} threads=${threads:-0}"
