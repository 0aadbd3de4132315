# Shared by every bats suite: paths, and running a test program natively and under libgreen.
# B (absolute build directory) is exported by tests/run.sh; default: ./build.

B=${B:-$(cd "$BATS_TEST_DIRNAME/.." && pwd)/build}
LIB=$B/libgreen.so
PROGS=$B/progs
export BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-120}

# The green side of every run prints libgreen's statistics line (GREEN_STATS=1) unless the test
# set GREEN_STATS itself; green_stats takes that line out of g_err and sets g_switches: the
# number of green-thread switches (empty when libgreen never ran: disabled, passed through, or
# the program ended without exit()). With GREEN_DISABLE=1 exported every check of it fails.
green_stats() {
	local line
	line=$(grep '^libgreen: stats: ' <<<"$g_err" | tail -1)
	g_switches=$(grep -o 'switches=[0-9]*' <<<"$line" | cut -d= -f2)
	if [[ -z "${GREEN_STATS_SET:-}" ]]; then
		g_err=$(grep -v '^libgreen: stats: ' <<<"$g_err" || true)
	fi
}

# green_env: run "$@" with GREEN_STATS=1 unless the test exported GREEN_STATS.
green_env() {
	if [[ -n "${GREEN_STATS+x}" ]]; then GREEN_STATS_SET=1 "$@"; else GREEN_STATS=1 "$@"; fi
}

# both PROG [ARGS...]: run $PROGS/PROG natively, then with LD_PRELOAD=libgreen.so (plus any
# GREEN_* variables the caller exported). Sets n_rc/n_out/n_err and g_rc/g_out/g_err/g_switches.
both() {
	local d=$BATS_TEST_TMPDIR
	"$PROGS/$1" "${@:2}" >"$d/n.out" 2>"$d/n.err" && n_rc=0 || n_rc=$?
	green_env env LD_PRELOAD=$LIB "$PROGS/$1" "${@:2}" >"$d/g.out" 2>"$d/g.err" && g_rc=0 || g_rc=$?
	n_out=$(cat "$d/n.out"); n_err=$(cat "$d/n.err")
	g_out=$(cat "$d/g.out"); g_err=$(cat "$d/g.err")
	GREEN_STATS_SET=${GREEN_STATS+1} green_stats
}

# green PROG [ARGS...]: run under libgreen only. Sets g_rc/g_out/g_err/g_switches.
green() {
	local d=$BATS_TEST_TMPDIR
	green_env env LD_PRELOAD=$LIB "$PROGS/$1" "${@:2}" >"$d/g.out" 2>"$d/g.err" && g_rc=0 || g_rc=$?
	g_out=$(cat "$d/g.out"); g_err=$(cat "$d/g.err")
	GREEN_STATS_SET=${GREEN_STATS+1} green_stats
}

# ran_green: the last green run really ran green threads (libgreen was live and switched).
ran_green() {
	if [[ -z "$g_switches" || "$g_switches" -eq 0 ]]; then
		echo "the libgreen run did not run green (switches=${g_switches:-none}: disabled or passed through?)"
		echo "--- libgreen stderr:"; echo "$g_err"
		return 1
	fi
}

# switched TEXT: TEXT (a green run's stderr, run with GREEN_STATS=1) has libgreen's statistics
# line with switches > 0: the run really ran green threads. live TEXT: the line is there at all
# (libgreen was live; for programs with no threads of their own).
switched() {
	local s
	s=$(grep '^libgreen: stats: ' <<<"$1" | grep -o 'switches=[0-9]*' | cut -d= -f2 | sort -n | tail -1)
	[[ -n "$s" && "$s" -gt 0 ]] || { echo "not run green (switches=${s:-none})"; return 1; }
}
live() {
	grep -q '^libgreen: stats: ' <<<"$1" || { echo "libgreen was not live (no statistics line)"; return 1; }
}

# same_output: the native and the green run exited alike and printed the same stdout. For
# programs that end without exit() (a fatal signal, _exit): the test proves greenness otherwise.
same_output() {
	if [[ "$n_rc" != "$g_rc" || "$n_out" != "$g_out" ]]; then
		echo "native exit $n_rc, libgreen exit $g_rc"
		diff <(echo "$n_out") <(echo "$g_out") || true
		echo "--- libgreen stderr:"; echo "$g_err"
		return 1
	fi
}

# same: same_output, and the green run really ran green (a native-vs-native comparison proves
# nothing).
same() {
	same_output
	ran_green
}

# metric NAME TEXT: the value of NAME=value in TEXT (the programs' stderr metrics).
metric() {
	grep -o "$1=[0-9]*" <<<"$2" | head -1 | cut -d= -f2
}

# check CONDITION MESSAGE: fail with MESSAGE when the arithmetic CONDITION is false.
check() {
	if ! (( $1 )); then
		echo "failed: $2 ($1)"
		return 1
	fi
}
