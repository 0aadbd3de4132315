/* System V IPC waits beside a ticker: msgrcv until another thread sends, msgsnd to a full queue
 * until another thread receives, semop P until another thread's V, semtimedop's timeout
 * (EAGAIN), msgrcv until another process sends, EINTR after an SA_RESTART handler (never
 * restarted), EIDRM when the queue is removed meanwhile; and the same through syscall(2). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ticker.h"

struct msg {
	long type;
	char text[16];
};

static int q, sem;
static pthread_t target;

static void on_usr1(int sig)
{
	(void)sig;
}

static const char *res(long r)
{
	static char buf[64];

	snprintf(buf, sizeof buf, "%ld%s%s", r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
	return buf;
}

static void *send_later(void *arg)
{
	struct msg m = { 1, "hello" };

	usleep(80000);
	if (arg == (void *)1 || arg == (void *)6)
		msgsnd(q, &m, sizeof m.text, 0);
	else if (arg == (void *)2)
		pthread_kill(target, SIGUSR1);
	else if (arg == (void *)3)
		msgctl(q, IPC_RMID, NULL);
	else if (arg == (void *)4) {
		struct sembuf v = { 0, 1, 0 };
		semop(sem, &v, 1);
	} else if (arg == (void *)5)
		msgrcv(q, &m, sizeof m.text, 0, 0);
	return NULL;
}

static void *recv_case(void *how)
{
	struct msg m = { 0, "" };
	pthread_t t;

	target = pthread_self();
	pthread_create(&t, NULL, send_later, how);
	long r = how == (void *)6 ? syscall(SYS_msgrcv, q, &m, sizeof m.text, 0, 0) : msgrcv(q, &m, sizeof m.text, 0, 0);
	printf("msgrcv (%s): %s \"%s\"\n",
	       how == (void *)1 ? "another thread sends" : how == (void *)2 ? "SA_RESTART handler" : how == (void *)3 ? "queue removed" : "syscall, another thread sends",
	       res(r), r > 0 ? m.text : "");
	pthread_join(t, NULL);
	return NULL;
}

static void *send_full(void *arg)
{
	struct msqid_ds ds;
	struct msg m = { 1, "0123456789abcde" };
	pthread_t t;

	(void)arg;
	msgctl(q, IPC_STAT, &ds);
	ds.msg_qbytes = sizeof m.text; /* room for one message */
	msgctl(q, IPC_SET, &ds);
	msgsnd(q, &m, sizeof m.text, 0);
	pthread_create(&t, NULL, send_later, (void *)5);
	printf("msgsnd to a full queue (another thread receives): %s\n", res(msgsnd(q, &m, sizeof m.text, 0)));
	pthread_join(t, NULL);
	msgrcv(q, &m, sizeof m.text, 0, 0);
	return NULL;
}

static void *sem_case(void *arg)
{
	struct sembuf p = { 0, -1, 0 };
	struct timespec ts = { 0, 100000000 };
	pthread_t t;

	(void)arg;
	pthread_create(&t, NULL, send_later, (void *)4);
	printf("semop P (another thread's V): %s\n", res(semop(sem, &p, 1)));
	pthread_join(t, NULL);
	long r = semtimedop(sem, &p, 1, &ts);
	printf("semtimedop 100 ms, nobody posts: %s\n", res(r));
	r = syscall(SYS_semtimedop, sem, &p, 1, &ts);
	printf("SYS_semtimedop 100 ms, nobody posts: %s\n", res(r));
	return NULL;
}

static void *cross_process(void *arg)
{
	struct msg m = { 0, "" };
	pid_t pid;

	(void)arg;
	pid = fork();
	if (pid == 0) {
		struct msg out = { 2, "from child" };
		usleep(80000);
		msgsnd(q, &out, sizeof out.text, 0);
		_exit(0);
	}
	printf("msgrcv (another process sends): %s \"%s\"\n", res(msgrcv(q, &m, sizeof m.text, 2, 0)), m.text);
	waitpid(pid, NULL, 0);
	return NULL;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	struct {
		void *(*fn)(void *);
		void *arg;
	} cases[] = { { recv_case, (void *)1 }, { recv_case, (void *)6 }, { recv_case, (void *)2 }, { send_full, NULL },
		      { sem_case, NULL },       { cross_process, NULL },  { recv_case, (void *)3 } };

	sigaction(SIGUSR1, &sa, NULL);
	alarm(20);
	q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	sem = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	if (q < 0 || sem < 0) {
		printf("System V IPC unavailable: %s\n", strerror(errno));
		return 0;
	}
	for (unsigned i = 0; i < sizeof cases / sizeof *cases; i++) {
		ticking = 1;
		ticks = 0;
		printf("  ticker kept ticking: %s\n", ticker_beside(cases[i].fn, cases[i].arg, 10000) >= 3 ? "yes" : "no");
	}
	semctl(sem, 0, IPC_RMID);
	msgctl(q, IPC_RMID, NULL);
	return 0;
}
