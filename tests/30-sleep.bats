#!/usr/bin/env bats
# The sleep family parks only the calling green thread: 1000 threads sleeping 1 s finish in
# about 1 s on one OS thread, with the kernel's results and errors.
load helpers

# sleepers_check METHOD: 1000 threads sleep 1 s with METHOD; same output as native; under
# libgreen well under 2 s wall time and at most 4 OS tasks.
sleepers_check() {
	both sleepers 1000 "$1"
	same
	tasks=$(metric tasks "$g_err")
	ms=$(metric elapsed_ms "$g_err")
	echo "libgreen: tasks=$tasks elapsed_ms=$ms; native: $n_err"
	check "tasks >= 1 && tasks <= 4" "OS tasks under libgreen"
	check "ms >= 1000 && ms < 1800" "wall time under libgreen"
}

@test "sleep: 1000 threads sleep(1) in ~1 s on one OS thread" {
	sleepers_check sleep
}

@test "sleep: 1000 threads usleep 1 s in ~1 s on one OS thread" {
	sleepers_check usleep
}

@test "sleep: 1000 threads nanosleep 1 s in ~1 s on one OS thread" {
	sleepers_check nanosleep
}

@test "sleep: 1000 threads clock_nanosleep 1 s in ~1 s on one OS thread" {
	sleepers_check clock_nanosleep
}

@test "sleep: 1000 threads mixing the four calls in ~1 s on one OS thread" {
	sleepers_check all
}

@test "sleep: results, EINVAL/EFAULT, absolute and relative deadlines on four clocks, none early" {
	both sleeps
	same
}
