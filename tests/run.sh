#!/usr/bin/env bash
# make test: every bats suite under tests/, then one line "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
export B=$(cd "${1:-build}" && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
bats --tap "$here"/*.bats | tee "$log"
passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^not ok ' "$log")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
