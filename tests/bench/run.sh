#!/usr/bin/env bash
# make bench: each benchmark natively and under libgreen (and the echo server also as a
# hand-written libevent program) in the same run, pinned, median of RUNS (default 5; ERUNS for
# the load tests, default 5); prints Markdown tables with ratios, writes them to $B/bench.md and
# plots echo throughput and RSS against connections to $B/bench.png (gnuplot).
# BENCH_QUICK=1: CI-sized (smaller counts, shorter loads, fewer sizes); default: the full run.
set -eu
B=$(cd "${1:-build}" && pwd)
RUNS=${RUNS:-5}
pin=""
command -v taskset >/dev/null && pin="taskset -c $(( $(nproc) - 1 ))"
here=$(cd "$(dirname "$0")" && pwd)
ERUNS=${ERUNS:-5}
# The largest echo load the fd limit allows (each side of a connection is an fd; the server and
# the client are separate processes): 100,000, or what RLIMIT_NOFILE's hard limit leaves.
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] && hard=1048576
maxc=$(( hard - 200 < 100000 ? hard - 200 : 100000 ))
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	conns="100 1000"; esecs=1; hconns="100 1000"; sleepn="10000"; maxthreads=100000
	yi=200000; cj=20; rn=2000; ho=20000; mx=2000000; ct=100000; ti=200; pp=20000
	pl=200000; pr=5; qn=20000; jn=5000
else
	conns="100 1000 10000 $maxc"; esecs=3; hconns="100 1000 10000"; sleepn="10000 100000"
	maxthreads=1000000
	yi=2000000; cj=100; rn=10000; ho=200000; mx=20000000; ct=1000000; ti=2000; pp=100000
	pl=2000000; pr=21; qn=200000; jn=50000
fi

# median NAME MODE CMD...: run CMD RUNS times, print the median of the NAME=value it prints.
# MODE native, green (through the green launcher, as a user would: its glibc tunables too) or
# preload (plain LD_PRELOAD=libgreen.so).
median() {
	local name=$1 mode=$2; shift 2
	for _ in $(seq "$RUNS"); do
		case $mode in
		green) $pin "$B/green" "$@" ;;
		preload) LD_PRELOAD=$B/libgreen.so $pin "$@" ;;
		*) $pin "$@" ;;
		esac |
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
	row "pthread_create + join (median of batches)" ns ns_per_create_join "<= 300 ns (own TLS), >= 100x" "$B/bench/create_join" "$cj"
	row "RSS per parked thread, 64 KiB stacks" KiB kib_per_thread "<= 8.5 KiB (own TLS)" "$B/bench/rss_parked" "$rn"
	row "mutex + condvar handoff between two threads" ns ns_per_handoff "" "$B/bench/handoff" "$ho"
	row "uncontended mutex lock + unlock" ns ns_per_lock_unlock "" "$B/bench/mutex" "$mx"
	row "contended mutex (4 threads, lock held across a yield every 64)" ns ns_per_lock_unlock "" "$B/bench/contended" "$ct" 4
	row "timer: 100 threads x nanosleep(50 us), time per sleep" us us_per_sleep "" "$B/bench/timer" "$ti" 100
	row "blocking pipe read woken by another thread" ns ns_per_read "" "$B/bench/pingpong" "$pp"
	echo
	echo "| TLS per green thread (GREEN_TLS) | shared | own (the default) | own - shared | target |"
	echo "|---|---:|---:|---:|---|"
	tls_row() { # label unit name target mode cmd...: GREEN_TLS=shared, then the default
		local label=$1 unit=$2 name=$3 target=$4 mode=$5; shift 5
		local s o
		s=$(GREEN_TLS=shared median "$name" "$mode" "$@")
		o=$(median "$name" "$mode" "$@")
		printf '| %s | %s %s | %s %s | %s %s | %s |\n' "$label" "$s" "$unit" "$o" "$unit" \
			"$(awk -v s="$s" -v o="$o" 'BEGIN { printf "%+.2f", o - s }')" "$unit" "$target"
	}
	tls_row "yield between two threads (one switch)" ns ns_per_yield "<= +2 ns" green "$B/bench/yield" "$yi"
	tls_row "pthread_create + join (median of batches)" ns ns_per_create_join "own <= 300 ns" green "$B/bench/create_join" "$cj"
	tls_row "RSS per parked thread, 64 KiB stacks (green launcher: its tunables)" KiB kib_per_thread "own <= 8.5 KiB" green "$B/bench/rss_parked" "$rn"
	tls_row "the same with plain LD_PRELOAD (glibc's full static TLS surplus)" KiB kib_per_thread "own <= 8.5 KiB" preload "$B/bench/rss_parked" "$rn"
	echo
	echo "Own TLS: a glibc TCB per green thread at the top of its stack, switched with $(grep -qw fsgsbase /proc/cpuinfo && echo wrfsbase || echo arch_prctl); shared: the OS thread's TLS with errno, h_errno and the C++ exception globals swapped by hand. Every libgreen figure here runs through the green launcher, which adds GLIBC_TUNABLES=glibc.rtld.nns=1:glibc.rtld.optional_static_tls=0 (a thread's static TLS 4.2 -> 2.8 KiB, one page with its first frames); plain LD_PRELOAD keeps glibc's full surplus (two pages)."
	echo
	echo "| time slices and preemption | native threads | libgreen | libgreen, GREEN_SLICE_MS=0 (no slices, no preemption) | target |"
	echo "|---|---:|---:|---:|---|"
	slice_row() { # label unit name target cmd...
		local label=$1 unit=$2 name=$3 target=$4; shift 4
		local n g o
		n=$(median "$name" native "$@")
		g=$(median "$name" green "$@")
		o=$(GREEN_SLICE_MS=0 median "$name" green "$@")
		printf '| %s | %s %s | %s %s | %s %s (the check: %s %s) | %s |\n' "$label" "$n" "$unit" "$g" "$unit" "$o" "$unit" \
			"$(awk -v g="$g" -v o="$o" 'BEGIN { printf "%+.2f", g - o }')" "$unit" "$target"
	}
	slice_row "uncontended mutex lock + unlock" ns ns_per_lock_unlock "check <= 1 ns" "$B/bench/mutex" "$mx"
	slice_row "poll() with zero timeout on a ready fd" ns ns_per_poll "check <= 1 ns" "$B/bench/poll0" "$pl"
	st_n=$(median us_to_start native "$B/bench/start_latency")
	st_g=$(median us_to_start green "$B/bench/start_latency")
	st_o=$(GREEN_SLICE_MS=0 median us_to_start green "$B/bench/start_latency")
	printf '| a new thread: from pthread_create to its first instruction, its creator busy (1,024 creates) | %s us | %s us | %s us | the wakeup wait (20 us) |\n' "$st_n" "$st_g" "$st_o"
	lat_n=$(median us_to_run native "$B/bench/preempt_latency" "$pr")
	lat_g=$(median us_to_run green "$B/bench/preempt_latency" "$pr")
	printf '| a thread spins on an atomic with no call: until another runnable thread runs (median of %s) | %s us | %s us | never (it hangs) | <= 2 slices (20 ms) |\n' "$pr" "$lat_n" "$lat_g"
	echo
	# One interpreter for the three columns: the first python3, or Debian's when only it has gevent.
	py=python3
	if ! python3 -c 'import gevent' 2>/dev/null && /usr/bin/python3 -c 'import gevent' 2>/dev/null; then py=/usr/bin/python3; fi
	echo "| CPython $($py -c 'import platform; print(platform.python_version())') | native threads | libgreen | gevent $($py -c 'import gevent; print(gevent.__version__)' 2>/dev/null || echo '(not installed)') | target |"
	echo "|---|---:|---:|---:|---|"
	pyrun() { # mode script args...: native, green (the launcher) or gevent (monkey.patch_all)
		local mode=$1; shift
		case $mode in
		native) $py "$@" ;;
		green) "$B/green" $py "$@" ;;
		gevent) $py -c 'import sys, runpy; from gevent import monkey; monkey.patch_all(); sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name="__main__")' "$@" ;;
		esac 2>/dev/null
	}
	q=""; j=""
	for k in native green gevent; do
		o=$(pyrun $k "$here/../py/queue5050.py" "$qn" | tail -1)
		q="$q | $( [ -n "$o" ] && echo "$(grep -o 'consumers=[0-9]*' <<<"$o" | cut -d= -f2) of 50, largest $(grep -o 'share=[0-9.]*' <<<"$o" | cut -d= -f2)%" || echo -)"
		o=$(pyrun $k "$here/../py/join_many.py" "$jn" | tail -1)
		j="$j | $( [ -n "$o" ] && echo "$(grep -o 'join_s=[0-9.]*' <<<"$o" | cut -d= -f2) s" || echo -)"
	done
	echo "| 50 producers, 50 consumers, queue.Queue(100), $qn items: consumers that got items, largest share$q | all 50 get items |"
	echo "| $jn threads that each sleep 1 s: the join phase$j | <= 1.5 s (50,000) |"
	echo
	if command -v strace >/dev/null; then
		strace -f -c -o "$B/strace.txt" env LD_PRELOAD="$B/libgreen.so" "$B/bench/pingpong" 20000 >/dev/null 2>&1
		total=$(awk '$NF == "total" { print $(NF-2) }' "$B/strace.txt")
		ctl=$(awk '$NF == "epoll_ctl" { print $4 }' "$B/strace.txt")
		echo
		printf 'One parked pipe read costs %s system calls under libgreen (strace -c over 40,000 reads, writes included: %s calls), epoll_ctl: %s calls in total (one registration per fd, none per read).\n' \
			"$(awk -v t="$total" 'BEGIN { printf "%.1f", t / 40000 }')" "$total" "${ctl:-0}"
	fi
	echo
	fmt() { # scale.sh output -> "1.23 s / 45 MiB" or "fails: why"
		if grep -q 'ok=1' <<<"$1"; then
			awk -v w="$(grep -o 'wall_ms=[0-9]*' <<<"$1" | cut -d= -f2)" -v r="$(grep -o 'rss_kib=[0-9]*' <<<"$1" | cut -d= -f2)" \
				'BEGIN { printf "%.2f s / %d MiB", w / 1000, r / 1024 }'
		else
			echo "fails: $(grep -o 'why=.*' <<<"$1" | cut -d= -f2- | tr '_' ' ')"
		fi
	}
	echo "| threads sleeping 1 s (nanosleep) | native: wall / peak RSS | libgreen (16 KiB stacks): wall / peak RSS | libgreen RSS per thread | OS threads (libgreen) |"
	echo "|---:|---:|---:|---:|---:|"
	for n in $sleepn $maxthreads; do
		nat=$("$here/scale.sh" "$B" native "$n")
		grn=$("$here/scale.sh" "$B" green "$n")
		per=$(awk -v r="$(grep -o 'rss_kib=[0-9]*' <<<"$grn" | cut -d= -f2)" -v n="$n" 'BEGIN { if (r) printf "%.2f KiB", r / n; else print "-" }')
		printf '| %s | %s | %s | %s | %s |\n' "$n" "$(fmt "$nat")" "$(fmt "$grn")" "$per" \
			"$(grep -o 'tasks=[0-9]*' <<<"$grn" | cut -d= -f2)"
	done
	echo
	echo "| echo round trips/s (64 B), connections | native threads | libgreen | libevent server | libgreen / libevent | libgreen / native | peak RSS native / libgreen / libevent |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	: >"$B/bench_echo.dat"
	for c in $conns; do
		for k in native green libevent; do
			for _ in $(seq "$ERUNS"); do
				"$here/echo.sh" "$B" "$k" "$c" "$esecs" | awk '{ r = 0; m = 0; for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "rtt_per_sec") r = kv[2]; if (kv[1] == "rss_kib") m = kv[2] } print r, m }'
			done | sort -g | awk '{ v[NR] = $1; if ($2 > m) m = $2 } END { print v[int((NR + 1) / 2)], m }' >"$B/echo.$k"
		done
		read -r n nr <"$B/echo.native"; read -r g gr <"$B/echo.green"; read -r l lr <"$B/echo.libevent"
		printf '| %s | %s | %s | %s | %s | %s | %s / %s / %s MiB |\n' "$c" "$n" "$g" "$l" \
			"$(awk -v g="$g" -v l="$l" 'BEGIN { if (l) printf "%.2fx", g / l; else print "-" }')" \
			"$(awk -v g="$g" -v n="$n" 'BEGIN { if (n) printf "%.2fx", g / n; else print "-" }')" \
			$(( nr / 1024 )) $(( gr / 1024 )) $(( lr / 1024 ))
		echo "$c $n $g $l $(( nr / 1024 )) $(( gr / 1024 )) $(( lr / 1024 ))" >>"$B/bench_echo.dat"
	done
	echo
	echo "Targets: libgreen >= 0.9x libevent at every size, >= 1.3x native from 1,000 connections; at 100,000: <= 1.5 GiB RSS."
	echo "Echo: server pinned to the last CPU, tests/bench/echo_client.c pinned to the first, ${esecs} s per run, median of $ERUNS (RSS: the largest)."
	[ "$maxc" -lt 100000 ] && echo "The largest load is $maxc connections: RLIMIT_NOFILE's hard limit here is $hard (raise it with \`ulimit -Hn\` as root, or LimitNOFILE= in a systemd unit, to run 100,000)."
	echo
	echo "| HTTP/1.1 keep-alive (wrk), connections | native threads | libgreen | libgreen / native |"
	echo "|---|---:|---:|---:|"
	for c in $hconns; do
		for k in native green; do
			for _ in $(seq "$ERUNS"); do
				"$here/wrk.sh" "$B" "$k" "$c" "$esecs" | grep -o 'rps=[0-9]*' | cut -d= -f2
			done | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }' >"$B/wrk.$k"
		done
		n=$(cat "$B/wrk.native") g=$(cat "$B/wrk.green")
		printf '| %s | %s | %s | %s |\n' "$c" "$n" "$g" "$(awk -v g="$g" -v n="$n" 'BEGIN { if (n) printf "%.2fx", g / n; else print "-" }')"
	done
	echo
	echo "HTTP: tests/progs/http_server.c (thread per connection, 64 KiB stacks) pinned to the last CPU, wrk -t1 pinned to the first. Target: >= 100,000 requests/s on one core under libgreen."
	echo
	echo "| pre-forked HTTP server under libgreen, 1000 connections (wrk -t2, nothing pinned) | 1 process | $(nproc) processes | ratio |"
	echo "|---|---:|---:|---:|"
	for w in 1 "$(nproc)"; do
		for _ in $(seq "$ERUNS"); do
			"$here/wrk.sh" "$B" green 1000 "$esecs" "$w" | grep -o 'rps=[0-9]*' | cut -d= -f2
		done | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }' >"$B/prefork.$w"
	done
	one=$(cat "$B/prefork.1") many=$(cat "$B/prefork.$(nproc)")
	printf '| requests/s | %s | %s | %s |\n' "$one" "$many" "$(awk -v a="$one" -v b="$many" 'BEGIN { if (a) printf "%.2fx", b / a; else print "-" }')"
	echo
	echo "Pre-fork: http_server 0 WORKERS forks WORKERS processes that accept on one listener, each with its own hub; wrk shares the same $(nproc) CPUs, so with $(nproc) CPUs the load generator takes CPU time from the servers (target >= 1.8x needs CPUs to spare for wrk)."
	echo
	echo "Median of $RUNS runs, pinned with '${pin:-no taskset}', $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r), $(date -u +%Y-%m-%d)."
} | tee "$out"

# The plot: echo round trips/s and peak RSS against connections, one line per server.
if command -v gnuplot >/dev/null && [ -s "$B/bench_echo.dat" ]; then
	gnuplot <<PLOT && echo "plot: $B/bench.png"
set terminal pngcairo size 1000,420 font ",10"
set output "$B/bench.png"
set multiplot layout 1,2 title "Echo server, 64 B round trips ($(nproc) CPUs, $(date -u +%Y-%m-%d))"
set logscale x
set xlabel "concurrent connections"
set key top right
set grid
set ylabel "round trips / s"
plot "$B/bench_echo.dat" using 1:2 with linespoints title "native threads", \
     "" using 1:3 with linespoints title "libgreen", \
     "" using 1:4 with linespoints title "libevent"
set ylabel "peak RSS (MiB)"
set key top left
plot "$B/bench_echo.dat" using 1:5 with linespoints title "native threads", \
     "" using 1:6 with linespoints title "libgreen", \
     "" using 1:7 with linespoints title "libevent"
unset multiplot
PLOT
fi
