#!/usr/bin/env bash
# echo.sh BUILD KIND CONNECTIONS SECONDS: start one echo server (KIND: native = the
# thread-per-connection server on native threads, green = the same binary under libgreen,
# libevent = the hand-written libevent server) pinned to the last CPU, drive it with
# echo_client pinned to the first CPU, and print
# "rtt_per_sec=R tasks=T rss_kib=K errors=E" (server OS threads and peak RSS while loaded).
set -u
B=$1 kind=$2 conns=$3 secs=$4
last=$(( $(nproc) - 1 ))
pin_server="" pin_client=""
if command -v taskset >/dev/null && [ "$last" -gt 0 ]; then
	pin_server="taskset -c $last"
	pin_client="taskset -c 0"
fi
out=$(mktemp)
case $kind in
native) $pin_server "$B/progs/echo_server" >"$out" 2>&1 & ;;
green) $pin_server "$B/green" "$B/progs/echo_server" >"$out" 2>&1 & ;;
libevent) $pin_server "$B/bench/echo_libevent" >"$out" 2>&1 & ;;
*) echo "echo.sh: unknown kind $kind" >&2; exit 2 ;;
esac
spid=$!
trap 'kill $spid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q '^port' "$out" && break; sleep 0.05; done
port=$(awk '/^port/ { print $2 }' "$out")
[ -n "$port" ] || { echo "echo.sh: server did not start: $(cat "$out")" >&2; exit 1; }
$pin_client "$B/bench/echo_client" "$port" "$conns" "$secs" >"$out.client" &
cpid=$!
tasks=0
while kill -0 $cpid 2>/dev/null; do
	t=$(ls /proc/$spid/task 2>/dev/null | wc -l)
	[ "$t" -gt "$tasks" ] && tasks=$t
	sleep 0.2
done
wait $cpid
rc=$?
rss=$(awk '/^VmHWM/ { print $2 }' /proc/$spid/status 2>/dev/null)
echo "$(cat "$out.client") tasks=$tasks rss_kib=${rss:-0}"
rm -f "$out.client"
exit $rc
