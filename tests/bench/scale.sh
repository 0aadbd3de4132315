#!/usr/bin/env bash
# scale.sh BUILD KIND N: N threads each sleep 1 s (tests/progs/sleepers.c, nanosleep) natively
# (KIND native: default stacks) or under libgreen (green: GREEN_STACK_SIZE=16K, guard pages
# from MADV_GUARD_INSTALL). Prints "wall_ms=W rss_kib=K tasks=T ok=1", or "ok=0 why=..." when
# the machine refuses (the first error line of the program, e.g. pthread_create: EAGAIN).
set -u
B=$1 kind=$2 n=$3
err=$(mktemp)
trap 'rm -f "$err" "$err.t"' EXIT
if [ "$kind" = green ]; then
	GREEN_STACK_SIZE=16K /usr/bin/time -f "rss_kib=%M" -o "$err.t" \
		timeout 120 "$B/green" "$B/progs/sleepers" "$n" nanosleep >/dev/null 2>"$err"
else
	/usr/bin/time -f "rss_kib=%M" -o "$err.t" timeout 120 "$B/progs/sleepers" "$n" nanosleep \
		>/dev/null 2>"$err"
fi
rc=$?
if [ $rc -ne 0 ]; then
	why=$(grep -v "^tasks=" "$err" | head -1 | tr ' ' '_')
	echo "ok=0 why=${why:-exit_$rc}"
	exit 0
fi
wall=$(grep -o 'elapsed_ms=[0-9]*' "$err" | cut -d= -f2)
tasks=$(grep -o 'tasks=[0-9]*' "$err" | cut -d= -f2)
echo "wall_ms=$wall $(grep -o 'rss_kib=[0-9]*' "$err.t") tasks=$tasks ok=1"
