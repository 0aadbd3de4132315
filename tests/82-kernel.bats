#!/usr/bin/env bats
# Kernel-exact behaviour under signals, bad input and fds the program manages itself: the same
# results as natively, never a crash or a hang.
bats_require_minimum_version 1.5.0
load helpers

@test "kernel: SA_RESTART signal storm (setitimer at 1 kHz, SIGUSR1 from a thread) against 100 threads ping-ponging over pipes and socketpairs: every byte, no hang" {
	for kind in pipe socket; do
		both sigstorm restart $kind
		same
		echo "$g_err"
		check "$(metric alarms "$g_err") > 0" "SIGALRM handled during the green run"
	done
}

@test "kernel: the same storm without SA_RESTART: calls fail with EINTR, the program retries, every byte arrives" {
	for kind in pipe socket; do
		both sigstorm norestart $kind
		same
		check "$(metric alarms "$g_err") > 0" "SIGALRM handled during the green run"
	done
}

@test "kernel: GREEN_DUMP_SIGNAL and GREEN_MONITOR_MS leave main its environ, argv and name; sh, system and popen see the environment" {
	export ENVIRON_CHECK=42
	for v in GREEN_DUMP_SIGNAL=USR2 GREEN_MONITOR_MS=100 GREEN_OVERFLOW=1; do
		export "${v?}"
		both environ
		same
		[[ "$g_out" == *"sh sees ENVIRON_CHECK=42"* ]]
		check "$(metric env_vars "$g_err") == $(metric env_vars "$n_err")" "variables main sees"
		unset "${v%%=*}"
	done
	run env GREEN_STATS=1 "$B/green" --dump-signal=USR2 -- env
	[[ "$output" == *"ENVIRON_CHECK=42"* ]]
}

@test "kernel: O_NONBLOCK and socket timeouts belong to the description: set or cleared through a dup, FIONBIO, a raw syscall, a child, SO_RCVTIMEO_NEW; negative timeouts answer at once" {
	both ofd_flags
	same
	check "$(metric ticks "$g_err") > 50" "the ticker ran while the cases blocked"
}
