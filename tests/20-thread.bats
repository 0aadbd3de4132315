#!/usr/bin/env bats
# Thread life cycle under libgreen, each program compared with its native run.
load helpers

@test "thread: 100,000 sequential and 100,000 batched create/join pairs return every value" {
	both createjoin 100000
	same
}

@test "thread: join returns values, pthread_exit from depth 10, detach, and glibc's join errors" {
	both joins
	same
}

@test "thread: errno and h_errno survive every switch in 50 threads" {
	both errno_iso
	same
}

@test "thread: a new thread starts with errno 0" {
	both newthread_errno
	same
}

@test "thread: stack size, user stack, guard size via pthread_getattr_np; 6 MiB recursion; EAGAIN without memory" {
	both attrs
	same
}

@test "thread: pthread_self distinct and stable, names, pthread_kill(t, 0), sched params" {
	both identity
	same
}

@test "thread: C++ pthread_exit runs destructors; exceptions in 10 threads switching inside catch" {
	both cxx_exit
	same
}

@test "thread: C11 thrd_create/join/exit/detach make green threads" {
	both c11
	same
	[[ "$g_err" == *"tasks=1"* ]]
}

@test "exit: main returns while 100 threads sleep: atexit once, main's status" {
	both exits return
	same
	[ "$g_rc" -eq 3 ]
}

@test "exit: exit() from a green thread ends the process with its status" {
	both exits exit
	same
	[ "$g_rc" -eq 4 ]
}

@test "exit: pthread_exit from main lets the others finish, then status 0" {
	both exits main_pexit
	same
	[ "$g_rc" -eq 0 ]
}

@test "exit: an atexit handler may create and join a sleeping thread" {
	both exits atexit_join
	same
}

@test "yield: sched_yield and pthread_yield interleave threads and lose nothing" {
	both yields
	same
}
