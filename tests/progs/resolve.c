/* Name resolution and NSS lookups while a ticker runs: getaddrinfo of localhost and ::1,
 * getnameinfo, gethostbyname(_r), gethostbyaddr, getservbyname, getpwnam/getpwuid/getgrnam
 * (and _r), h_errno for a name that does not exist in /etc/hosts-only lookups. */
#include <arpa/inet.h>
#include <grp.h>
#include <netdb.h>
#include <pthread.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ticker.h"

static void *resolver(void *arg)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	char host[256], serv[32], buf[4096];
	struct hostent he, *hp;
	struct passwd pw, *pp;
	struct group gr, *gp;
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(80) };
	int r, herr, n;

	(void)arg;
	r = getaddrinfo("localhost", "80", &hints, &res);
	n = 0;
	for (ai = r ? NULL : res; ai; ai = ai->ai_next)
		n++;
	printf("getaddrinfo localhost: %d, %d result(s)\n", r, n > 0);
	if (!r)
		freeaddrinfo(res);
	hints.ai_flags = AI_NUMERICHOST;
	r = getaddrinfo("::1", NULL, &hints, &res);
	printf("getaddrinfo ::1: %d family AF_INET6 %d\n", r, !r && res->ai_family == AF_INET6);
	if (!r)
		freeaddrinfo(res);
	r = getaddrinfo("no-such-host.invalid", NULL, NULL, &res);
	printf("getaddrinfo of an invalid name fails: %d\n", r != 0);
	inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
	r = getnameinfo((struct sockaddr *)&sin, sizeof sin, host, sizeof host, serv, sizeof serv,
			NI_NUMERICHOST | NI_NUMERICSERV);
	printf("getnameinfo: %d %s %s\n", r, host, serv);
	hp = gethostbyname("localhost");
	printf("gethostbyname localhost: %s\n", hp ? "found" : "not found");
	r = gethostbyname_r("localhost", &he, buf, sizeof buf, &hp, &herr);
	printf("gethostbyname_r localhost: %d %s\n", r, hp ? "found" : "not found");
	hp = gethostbyaddr(&sin.sin_addr, sizeof sin.sin_addr, AF_INET);
	printf("gethostbyaddr 127.0.0.1: %s\n", hp ? "found" : "not found");
	printf("getservbyname http: %d\n", getservbyname("http", "tcp") ? ntohs((uint16_t)getservbyname("http", "tcp")->s_port) : -1);
	pp = getpwnam("root");
	printf("getpwnam root: uid %d\n", pp ? (int)pp->pw_uid : -1);
	pp = getpwuid(0);
	printf("getpwuid 0: %s\n", pp ? pp->pw_name : "?");
	gp = getgrnam("root");
	printf("getgrnam root: gid %d\n", gp ? (int)gp->gr_gid : -1);
	r = getpwnam_r("root", &pw, buf, sizeof buf, &pp);
	printf("getpwnam_r root: %d %s\n", r, pp ? pp->pw_dir : "?");
	r = getpwnam_r("no-such-user-libgreen", &pw, buf, sizeof buf, &pp);
	printf("getpwnam_r unknown user: %d %s\n", r, pp ? "found" : "not found");
	r = getgrnam_r("root", &gr, buf, sizeof buf, &gp);
	printf("getgrnam_r root: %d %d\n", r, gp ? (int)gp->gr_gid : -1);
	return NULL;
}

int main(void)
{
	ticker_beside(resolver, NULL, 5000);
	return 0;
}
