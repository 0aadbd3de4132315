# Shared by every bats suite: paths, and running a test program natively and under libgreen.
# B (absolute build directory) is exported by tests/run.sh; default: ./build.

B=${B:-$(cd "$BATS_TEST_DIRNAME/.." && pwd)/build}
LIB=$B/libgreen.so
PROGS=$B/progs
export BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-120}

# both PROG [ARGS...]: run $PROGS/PROG natively, then with LD_PRELOAD=libgreen.so (plus any
# GREEN_* variables the caller exported). Sets n_rc/n_out/n_err and g_rc/g_out/g_err.
both() {
	local d=$BATS_TEST_TMPDIR
	"$PROGS/$1" "${@:2}" >"$d/n.out" 2>"$d/n.err" && n_rc=0 || n_rc=$?
	LD_PRELOAD=$LIB "$PROGS/$1" "${@:2}" >"$d/g.out" 2>"$d/g.err" && g_rc=0 || g_rc=$?
	n_out=$(cat "$d/n.out"); n_err=$(cat "$d/n.err")
	g_out=$(cat "$d/g.out"); g_err=$(cat "$d/g.err")
}

# green PROG [ARGS...]: run under libgreen only. Sets g_rc/g_out/g_err.
green() {
	local d=$BATS_TEST_TMPDIR
	LD_PRELOAD=$LIB "$PROGS/$1" "${@:2}" >"$d/g.out" 2>"$d/g.err" && g_rc=0 || g_rc=$?
	g_out=$(cat "$d/g.out"); g_err=$(cat "$d/g.err")
}

# same: the native and the green run exited alike and printed the same stdout.
same() {
	if [[ "$n_rc" != "$g_rc" || "$n_out" != "$g_out" ]]; then
		echo "native exit $n_rc, libgreen exit $g_rc"
		diff <(echo "$n_out") <(echo "$g_out") || true
		echo "--- libgreen stderr:"; echo "$g_err"
		return 1
	fi
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
