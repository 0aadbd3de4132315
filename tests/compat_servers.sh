#!/usr/bin/env bash
# compat_servers.sh BUILD: the real servers, load generators and tools of `make compat`, each
# natively and under libgreen in the same run, loopback only, bounded in time. Prints one
# Markdown table row per program (the header is tests/compat.sh's); a program that is not
# installed gets a "skipped" row, one that cannot run green says why.
set -u
B=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
LIB=$B/libgreen.so
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT

have() { command -v "$1" >/dev/null 2>&1; }

# The Debian packages of the programs below: installed when missing if we are root (a fresh
# machine), otherwise the command is shown and their rows say "not installed".
PKGS="redis-server redis-tools memcached libmemcached-tools apache2 mariadb-server sysbench stress-ng
	pigz pbzip2 git python3-gevent libtcmalloc-minimal4 libmimalloc2.0 wrk"
missing=$(for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done | tr '\n' ' ')
if [ -n "${missing// /}" ]; then
	if [ "$(id -u)" = 0 ] && have apt-get; then
		echo "compat: installing $missing" >&2
		{ apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing; } >&2
	else
		echo "compat: not installed: $missing (sudo apt-get install -y $missing)" >&2
	fi
fi
ratio() { awk -v n="$1" -v g="$2" 'BEGIN { if (n > 0) printf "%.2fx", g / n; else print "n/a" }'; }
port() { echo $((20000 + RANDOM % 20000)); }
# green KIND CMD...: CMD natively (KIND native) or under libgreen
run_as() {
	local kind=$1
	shift
	if [ "$kind" = green ]; then LD_PRELOAD=$LIB "$@"; else "$@"; fi
}
# wait_gone PID: seconds until PID exits (at most 30 s)
wait_gone() {
	local t0 t1
	t0=$(date +%s.%N)
	for _ in $(seq 600); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}

# redis: a jemalloc-linked key-value server under its own benchmark, at 50 and 500 clients.
redis_row() {
	have redis-server && have redis-benchmark || { echo "| redis-server | not installed | | | skipped |"; return; }
	local kind p pid rps50 rps500 check stop
	declare -A R
	for kind in native green; do
		p=$(port)
		run_as $kind redis-server --port "$p" --bind 127.0.0.1 --save '' --appendonly no >"$tmp/redis.$kind" 2>&1 &
		pid=$!
		for _ in $(seq 100); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.05; done
		rps50=$(redis-benchmark -p "$p" -q -n 100000 -c 50 -t set,get --csv 2>/dev/null | awk -F'"' '$2 == "GET" { print int($4) }')
		rps500=$(redis-benchmark -p "$p" -q -n 100000 -c 500 -t set,get --csv 2>/dev/null | awk -F'"' '$2 == "GET" { print int($4) }')
		redis-cli -p "$p" set compat-key compat-value >/dev/null
		check="$(redis-cli -p "$p" get compat-key) $(redis-cli -p "$p" dbsize)"
		redis-cli -p "$p" shutdown nosave >/dev/null 2>&1
		stop=$(wait_gone "$pid")
		R[$kind]="${rps50:-0} ${rps500:-0} $check $stop"
	done
	read -r n50 n500 nget nsize nstop <<<"${R[native]}"
	read -r g50 g500 gget gsize gstop <<<"${R[green]}"
	local ok="GET after SET: $gget, dbsize $gsize (native $nget, $nsize); shutdown ${gstop} s (native ${nstop} s)"
	[ "$gget $gsize" = "$nget $nsize" ] || ok="DIFFERENT: $ok"
	echo "| redis-server $(redis-server --version | grep -o 'v=[0-9.]*' | tr -d v=) (jemalloc) | \`redis-benchmark -t set,get -n 100000\`, GET at 50 / 500 clients | $n50 / $n500 req/s | $g50 / $g500 req/s | $(ratio "$n50" "$g50") / $(ratio "$n500" "$g500"); $ok |"
}

# memcached: libevent, one event loop per worker thread, under memcaslap (also libevent, one
# loop per thread) at 32 and 320 connections; then memcaslap itself under libgreen.
memcached_row() {
	have memcached && have memcaslap || { echo "| memcached | not installed | | | skipped |"; return; }
	local kind p pid c tps
	declare -A T
	for kind in native green; do
		p=$(port)
		run_as $kind memcached -u "$(id -un)" -l 127.0.0.1 -p "$p" -U 0 -t 4 >"$tmp/mc.$kind" 2>&1 &
		pid=$!
		sleep 0.5
		T[$kind]=""
		for c in 32 320; do
			tps=$(timeout 30 memcaslap -s "127.0.0.1:$p" -T 2 -c "$c" -t 3s 2>&1 | awk '/^Run time/ { for (i = 1; i <= NF; i++) if ($i == "TPS:") print $(i + 1) }')
			T[$kind]+="${tps:-0} "
		done
		kill -TERM "$pid"
		T[$kind]+="$(wait_gone "$pid")"
	done
	read -r n32 n320 nstop <<<"${T[native]}"
	read -r g32 g320 gstop <<<"${T[green]}"
	echo "| memcached $(memcached -V | awk '{ print $2 }') | \`memcached -t 4\` under \`memcaslap -T 2 -t 3s\`, 32 / 320 connections | $n32 / $n320 TPS | $g32 / $g320 TPS | $(ratio "$n32" "$g32") / $(ratio "$n320" "$g320"); SIGTERM exit ${gstop} s (native ${nstop} s) |"
	# the load generator green, against a native server
	p=$(port)
	memcached -u "$(id -un)" -l 127.0.0.1 -p "$p" -U 0 -t 4 >/dev/null 2>&1 &
	pid=$!
	sleep 0.5
	tps=$(timeout 30 env LD_PRELOAD="$LIB" memcaslap -s "127.0.0.1:$p" -T 2 -c 32 -t 3s 2>&1 | awk '/^Run time/ { for (i = 1; i <= NF; i++) if ($i == "TPS:") print $(i + 1) }')
	kill -TERM "$pid"
	echo "| memcaslap (libmemcached) | the load generator under libgreen, 32 connections, 3 s | $n32 TPS | $([ -n "$tps" ] && echo "$tps TPS" || echo none) | $([ -n "$tps" ] && echo "$(ratio "$n32" "$tps"), ran green (its per-thread libevent loops find their sockets always ready and never park: each yields at the end of its time slice)" || echo "cannot run green: its per-thread libevent loops never park and the thread that ends the run never runs") |"
}

# The other allocators on a real server: memcached with tcmalloc or mimalloc preloaded (before
# libgreen's turn to take a mutex inside malloc), under memcaslap.
allocator_rows() {
	have memcached && have memcaslap || return
	local a lib p pid n g
	for a in tcmalloc_minimal.so.4 mimalloc.so.2; do
		lib=/usr/lib/x86_64-linux-gnu/lib$a
		[ -e "$lib" ] || { echo "| memcached + lib$a | not installed | | | skipped |"; continue; }
		for kind in native green; do
			p=$(port)
			if [ $kind = green ]; then
				GREEN_STATS=$tmp/alloc.stats LD_PRELOAD="$LIB $lib" memcached -u "$(id -un)" -l 127.0.0.1 -p "$p" -U 0 -t 4 >/dev/null 2>&1 &
			else
				LD_PRELOAD="$lib" memcached -u "$(id -un)" -l 127.0.0.1 -p "$p" -U 0 -t 4 >/dev/null 2>&1 &
			fi
			pid=$!
			sleep 0.5
			tps=$(timeout 30 memcaslap -s "127.0.0.1:$p" -T 2 -c 32 -t 2s 2>&1 | awk '/^Run time/ { for (i = 1; i <= NF; i++) if ($i == "TPS:") print $(i + 1) }')
			[ $kind = native ] && n=${tps:-0} || g=${tps:-0}
			kill -TERM $pid
			wait_gone $pid >/dev/null
		done
		echo "| memcached + lib$a | preloaded with libgreen, \`memcaslap -T 2 -c 32 -t 2s\` | $n TPS | $g TPS | $(ratio "$n" "$g")$(grep -q 'switches=[1-9]' "$tmp/alloc.stats" 2>/dev/null && echo ", ran green" || echo ", DID NOT RUN GREEN") |"
	done
}

# apache2 as packaged (event MPM, two child processes of 25 threads) under wrk at 50 and 500
# connections, and its graceful stop.
apache_row() {
	[ -x /usr/sbin/apache2 ] && have wrk || { echo "| apache2 | not installed | | | skipped |"; return; }
	local kind p d c out rps err non2xx stop pid
	declare -A A
	for kind in native green; do
		p=$(port) d=$tmp/apache.$kind
		mkdir -p "$d/htdocs" "$d/logs" && chmod 755 "$tmp" "$d" "$d/htdocs"
		echo "hello from apache" >"$d/htdocs/index.html"
		sed "s|@D@|$d|g; s|@P@|$p|g" >"$d/httpd.conf" <<'EOF'
ServerRoot "@D@"
PidFile @D@/httpd.pid
Listen 127.0.0.1:@P@
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
ServerName localhost
DocumentRoot @D@/htdocs
ErrorLog @D@/logs/error.log
User nobody
Group nogroup
StartServers 2
ThreadsPerChild 25
MaxRequestWorkers 50
TypesConfig /etc/mime.types
<Directory @D@/htdocs>
  Require all granted
</Directory>
EOF
		run_as $kind /usr/sbin/apache2 -f "$d/httpd.conf" -k start
		for _ in $(seq 100); do [ -s "$d/httpd.pid" ] && break; sleep 0.05; done
		sleep 0.5
		A[$kind]=""
		for c in 50 500; do
			out=$(wrk -t1 -c"$c" -d3s "http://127.0.0.1:$p/" 2>&1)
			rps=$(awk '/^Requests\/sec/ { print int($2) }' <<<"$out")
			non2xx=$(awk '/Non-2xx/ { print $NF }' <<<"$out")
			A[$kind]+="${rps:-0} ${non2xx:-0} "
		done
		pid=$(cat "$d/httpd.pid")
		/usr/sbin/apache2 -f "$d/httpd.conf" -k graceful-stop
		A[$kind]+="$(wait_gone "$pid")"
	done
	read -r n50 nx50 n500 nx500 nstop <<<"${A[native]}"
	read -r g50 gx50 g500 gx500 gstop <<<"${A[green]}"
	local ok="non-2xx $gx50 / $gx500 (native $nx50 / $nx500); graceful stop ${gstop} s (native ${nstop} s)"
	[ "$gx50$gx500" = 00 ] || ok="ERRORS: $ok"
	echo "| apache2 $(/usr/sbin/apache2 -v | grep -o 'Apache/[0-9.]*' | cut -d/ -f2) (event MPM) | \`wrk -t1 -d3s\` for a static page, 50 / 500 connections | $n50 / $n500 req/s | $g50 / $g500 req/s | $(ratio "$n50" "$g50") / $(ratio "$n500" "$g500"); $ok |"
}

# MariaDB (thread per connection, InnoDB with io_uring) under sysbench OLTP read/write at 16
# and 160 client threads; results checked with CHECK TABLE and row counts.
mariadb_row() {
	have mariadbd && have mariadb-install-db && have sysbench || { echo "| mariadbd | not installed | | | skipped |"; return; }
	local d=$tmp/mariadb kind pid sock p tps16 tps160 check stop why
	declare -A M
	mariadb-install-db --no-defaults --datadir="$d/data" --user="$(id -un)" --auth-root-authentication-method=normal >"$d.install" 2>&1 ||
		{ echo "| mariadbd | mariadb-install-db failed | | | skipped |"; return; }
	for kind in native green; do
		sock=$d/sock.$kind p=$(port)
		run_as $kind mariadbd --no-defaults --datadir="$d/data" --socket="$sock" --port="$p" --bind-address=127.0.0.1 \
			--user="$(id -un)" --max-connections=400 --log-error="$d/err.$kind" >/dev/null 2>&1 &
		pid=$!
		for _ in $(seq 100); do [ -S "$sock" ] && break; kill -0 $pid 2>/dev/null || break; sleep 0.2; done
		sb="sysbench oltp_read_write --mysql-socket=$sock --mysql-user=root --tables=2 --table-size=10000"
		[ $kind = native ] && { mariadb -S "$sock" -uroot -e "create database if not exists sbtest"; $sb prepare >/dev/null 2>&1; }
		tps16=$(timeout 60 $sb --threads=16 --time=5 run 2>&1 | awk '/transactions:/ { gsub(/\(/, "", $3); print int($3) }')
		tps160=$(timeout 60 $sb --threads=160 --time=5 run 2>&1 | awk '/transactions:/ { gsub(/\(/, "", $3); print int($3) }')
		check=$(mariadb -S "$sock" -uroot -N -e "check table sbtest.sbtest1, sbtest.sbtest2; select count(*) from sbtest.sbtest1; select count(*) from sbtest.sbtest2" 2>&1 | awk '{ print $NF }' | tr '\n' ' ')
		if ! kill -0 $pid 2>/dev/null; then # crashed
			why=$(grep -o 'got signal [0-9]*' "$d/err.$kind" | head -1)
			frame=$(grep -o 'mariadbd(_Z[A-Za-z0-9_]*' "$d/err.$kind" | head -1 | sed 's/mariadbd(//' | c++filt | sed 's/(.*//')
			M[$kind]="fail"
			continue
		fi
		mariadb-admin -S "$sock" -uroot shutdown >/dev/null 2>&1
		stop=$(wait_gone $pid)
		M[$kind]="${tps16:-0} ${tps160:-0} $stop $check"
	done
	read -r n16 n160 nstop nc <<<"${M[native]}"
	if [ "${M[green]}" = fail ]; then
		echo "| MariaDB $(mariadbd --version | grep -o '[0-9]*\.[0-9]*\.[0-9]*' | head -1) | sysbench \`oltp_read_write\`, 2 tables of 10,000 rows, 16 / 160 client threads | $n16 / $n160 tx/s | none | cannot run green yet: InnoDB starts (its io_uring thread parks), then ${why:-a crash} in ${frame:-the server}: it keeps the current connection (THD) in a thread_local, shared by every green thread until TLS is per green thread (the TLS issue) |"
		return
	fi
	read -r g16 g160 gstop gc <<<"${M[green]}"
	echo "| MariaDB $(mariadbd --version | grep -o '[0-9]*\.[0-9]*\.[0-9]*' | head -1) | sysbench \`oltp_read_write\`, 2 tables of 10,000 rows, 16 / 160 client threads | $n16 / $n160 tx/s | $g16 / $g160 tx/s | $(ratio "$n16" "$g16") / $(ratio "$n160" "$g160"); CHECK TABLE and row counts: $gc (native $nc); shutdown ${gstop} s (native ${nstop} s) |"
}

# stress-ng's epoll stressor over AF_UNIX (a forked server, clients connecting to its backlog).
stressng_row() {
	have stress-ng || { echo "| stress-ng | not installed | | | skipped |"; return; }
	local kind out pre
	declare -A S
	for kind in native green; do
		pre=""
		[ "$kind" = green ] && pre="LD_PRELOAD=$LIB"
		out=$(cd "$tmp" && timeout 120 env $pre stress-ng --epoll 1 --epoll-domain unix -t 3 --metrics-brief 2>&1)
		S[$kind]=$(awk '$4 == "epoll" { print int($9), $6 }' <<<"$out")
	done
	read -r nops nt <<<"${S[native]:-0 0}"
	read -r gops gt <<<"${S[green]:-0 0}"
	echo "| stress-ng $(stress-ng --version | grep -o '[0-9][0-9.]*' | head -1) | \`--epoll 1 --epoll-domain unix -t 3\` | $nops bogo ops/s, ${nt} s | $gops bogo ops/s, ${gt} s | $(ratio "$nops" "$gops") |"
}

# sysbench's per-thread accounting: 16 threads of its mutex test, one event each.
sysbench_row() {
	have sysbench || { echo "| sysbench | not installed | | | skipped |"; return; }
	local n g
	n=$(timeout 60 sysbench mutex --threads=16 run 2>&1 | awk '/total number of events/ { print $NF }')
	g=$(timeout 60 env LD_PRELOAD="$LIB" sysbench mutex --threads=16 run 2>&1 | awk '/total number of events/ { print $NF }')
	echo "| sysbench $(sysbench --version | awk '{ print $2 }') | \`sysbench mutex --threads=16 run\`: events counted | $n | $g | $([ "$n" = "$g" ] && echo same || echo "DIFFERENT: it counts per thread in a __thread id, one copy per OS thread under libgreen until TLS is per green thread (the TLS issue)") |"
}

# Parallel tools: identical output natively and green.
tools_rows() {
	local c d
	for tool in pigz pbzip2; do
		have $tool || { echo "| $tool | not installed | | | skipped |"; continue; }
		c="$tool -p4 -c" d="$tool -p4 -d -c"
		$c "$tmp/data" >"$tmp/n.$tool"
		GREEN_STATS=1 LD_PRELOAD=$LIB $c "$tmp/data" >"$tmp/g.$tool" 2>"$tmp/g.err"
		LD_PRELOAD=$LIB $d "$tmp/g.$tool" >"$tmp/back"
		echo "| $tool $($tool --version 2>&1 | grep -o '[0-9][0-9.]*' | head -1) | \`$c\` and \`$d\` | | | $(cmp -s "$tmp/n.$tool" "$tmp/g.$tool" && cmp -s "$tmp/back" "$tmp/data" && grep -q 'switches=[1-9]' "$tmp/g.err" && echo "identical output, round trip exact, ran green" || echo DIFFERENT) |"
	done
	sort --parallel=4 -S 64M "$tmp/data" >"$tmp/n.sort"
	# sort closes stderr before it exits: the statistics line goes to a file
	GREEN_STATS=$tmp/g.err LD_PRELOAD=$LIB sort --parallel=4 -S 64M "$tmp/data" >"$tmp/g.sort"
	echo "| sort (coreutils) | \`sort --parallel=4\` of the same data | | | $(cmp -s "$tmp/n.sort" "$tmp/g.sort" && echo "identical output" || echo DIFFERENT)$(grep -q 'switches=[1-9]' "$tmp/g.err" && echo ", ran green") |"
	if have git; then
		# two clones of this repository, one worked on natively, one under libgreen
		for kind in n g; do
			git clone -q --no-local "$here/.." "$tmp/repo.$kind" 2>/dev/null
		done
		(cd "$tmp/repo.n" && git grep --threads=4 -n green_ >"$tmp/n.grep" && git -c pack.threads=4 repack -adfq &&
			git fsck --no-progress 2>&1 && git count-objects -v | grep -v size) >"$tmp/n.count" 2>&1
		(cd "$tmp/repo.g" && GREEN_STATS=1 LD_PRELOAD=$LIB git grep --threads=4 -n green_ >"$tmp/g.grep" 2>"$tmp/g.err" &&
			LD_PRELOAD=$LIB git -c pack.threads=4 repack -adfq && LD_PRELOAD=$LIB git fsck --no-progress 2>&1 &&
			git count-objects -v | grep -v size) >"$tmp/g.count" 2>&1
		echo "| git $(git --version | awk '{ print $3 }') | \`git grep --threads=4\`, \`repack -adf\` with pack.threads=4, \`fsck\` on a clone of this repository | | | $(cmp -s "$tmp/n.grep" "$tmp/g.grep" && cmp -s "$tmp/n.count" "$tmp/g.count" && echo "identical grep output, object counts and fsck" || echo DIFFERENT)$(grep -q 'switches=[1-9]' "$tmp/g.err" && echo ", ran green") |"
	fi
}

# CPython: libc through ctypes; gevent, with and without its thread pool.
python_rows() {
	local PY=${PYTHON:-python3}
	timeout 60 "$PY" "$here/py/ctypes_libc.py" >"$tmp/n.ct" 2>&1
	GREEN_STATS=1 LD_PRELOAD=$LIB timeout 60 "$PY" "$here/py/ctypes_libc.py" >"$tmp/g.ct" 2>"$tmp/g.err"
	echo "| CPython ctypes | tests/py/ctypes_libc.py: libc's sleep and read through ctypes from threads | $(wc -l <"$tmp/n.ct") lines | $(wc -l <"$tmp/g.ct") lines | $(cmp -s "$tmp/n.ct" "$tmp/g.ct" && echo identical || echo DIFFERENT) |"
	if /usr/bin/python3 -c 'import gevent' 2>/dev/null; then
		for script in gevent_greenlets gevent_threadpool; do
			timeout 60 /usr/bin/python3 "$here/py/$script.py" >"$tmp/n.gv" 2>&1
			LD_PRELOAD=$LIB timeout 60 /usr/bin/python3 "$here/py/$script.py" >"$tmp/g.gv" 2>&1
			rc=$?
			why=""
			[ "$script" = gevent_threadpool ] && why="cannot run green yet (exit $rc): greenlet keeps its current greenlet in TLS, which gevent's pool threads share under libgreen until TLS is per green thread (the TLS issue)"
			echo "| gevent $(/usr/bin/python3 -c 'import gevent; print(gevent.__version__)') | tests/py/$script.py | $(wc -l <"$tmp/n.gv") lines | $(wc -l <"$tmp/g.gv") lines | $(cmp -s "$tmp/n.gv" "$tmp/g.gv" && echo identical || echo "${why:-DIFFERENT}") |"
		done
	else
		echo "| gevent | not installed | | | skipped |"
	fi
}

head -c 8000000 /dev/urandom | base64 >"$tmp/data"
redis_row
memcached_row
allocator_rows
apache_row
mariadb_row
stressng_row
sysbench_row
tools_rows
python_rows
