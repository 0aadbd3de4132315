/* SPDX-License-Identifier: MIT
 * Name resolution and NSS lookups run on the thread pool while the caller parks: glibc makes
 * them with internal calls we cannot see (HAZARDS H1, H6), holding locks owned by the OS
 * thread. Results are exactly the real functions' (same static buffers); errno and h_errno
 * are carried back to the calling green thread.
 */
#include "hook.h"

#include "../core/pool.h"

#include <grp.h>
#include <netdb.h>
#include <pwd.h>

/* One offloaded call: up to 8 arguments, the result, and the worker's errno and h_errno. */
struct dns_call {
	long a[8];
	long result;
	int err, herr;
};

/* Run fn on the pool for a call made from a green thread; false when the caller must make the
 * real call itself (not live, or no pool). */
static bool dns_offload(void (*fn)(void *), struct dns_call *c)
{
	if (!green_boot_hooking() || green_pool_run(fn, c))
		return false;
	errno = c->err;
	h_errno = c->herr;
	return true;
}

/* The body of every runner: call the real function, keep errno and h_errno. */
#define DNS_RUN(c, expr)                     \
	do {                                 \
		errno = 0;                   \
		(c)->result = (long)(expr);  \
		(c)->err = errno;            \
		(c)->herr = h_errno;         \
	} while (0)

#define A(i, type) ((type)c->a[i])

static void run_getaddrinfo(void *p)
{
	struct dns_call *c = p;
	DNS_RUN(c, GREEN_REAL_CALL(getaddrinfo)(A(0, const char *), A(1, const char *),
						A(2, const struct addrinfo *), A(3, struct addrinfo **)));
}

GREEN_EXPORT_RAW(int, getaddrinfo, (const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res))
{
	struct dns_call c = { .a = { (long)node, (long)service, (long)hints, (long)res } };

	if (!dns_offload(run_getaddrinfo, &c))
		return GREEN_REAL_CALL(getaddrinfo)(node, service, hints, res);
	return (int)c.result;
}

static void run_getnameinfo(void *p)
{
	struct dns_call *c = p;
	DNS_RUN(c, GREEN_REAL_CALL(getnameinfo)(A(0, const struct sockaddr *), A(1, socklen_t),
						A(2, char *), A(3, socklen_t), A(4, char *),
						A(5, socklen_t), A(6, int)));
}

GREEN_EXPORT_RAW(int, getnameinfo, (const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen, char *serv, socklen_t servlen, int flags))
{
	struct dns_call c = { .a = { (long)sa, (long)salen, (long)host, (long)hostlen, (long)serv,
				(long)servlen, (long)flags } };

	if (!dns_offload(run_getnameinfo, &c))
		return GREEN_REAL_CALL(getnameinfo)(sa, salen, host, hostlen, serv, servlen, flags);
	return (int)c.result;
}

static void run_gethostbyname(void *p)
{
	struct dns_call *c = p;
	DNS_RUN(c, GREEN_REAL_CALL(gethostbyname)(A(0, const char *)));
}

GREEN_EXPORT_RAW(struct hostent *, gethostbyname, (const char *name))
{
	struct dns_call c = { .a = { (long)name } };

	if (!dns_offload(run_gethostbyname, &c))
		return GREEN_REAL_CALL(gethostbyname)(name);
	return (struct hostent *)c.result;
}

static void run_gethostbyname2(void *p)
{
	struct dns_call *c = p;
	DNS_RUN(c, GREEN_REAL_CALL(gethostbyname2)(A(0, const char *), A(1, int)));
}

GREEN_EXPORT_RAW(struct hostent *, gethostbyname2, (const char *name, int af))
{
	struct dns_call c = { .a = { (long)name, (long)af } };

	if (!dns_offload(run_gethostbyname2, &c))
		return GREEN_REAL_CALL(gethostbyname2)(name, af);
	return (struct hostent *)c.result;
}

static void run_gethostbyaddr(void *p)
{
	struct dns_call *c = p;
	DNS_RUN(c, GREEN_REAL_CALL(gethostbyaddr)(A(0, const void *), A(1, socklen_t), A(2, int)));
}

GREEN_EXPORT_RAW(struct hostent *, gethostbyaddr, (const void *addr, socklen_t len, int type))
{
	struct dns_call c = { .a = { (long)addr, (long)len, (long)type } };

	if (!dns_offload(run_gethostbyaddr, &c))
		return GREEN_REAL_CALL(gethostbyaddr)(addr, len, type);
	return (struct hostent *)c.result;
}

static void run_gethostbyname_r(void *p)
{
	struct dns_call *c = p;
	DNS_RUN(c, GREEN_REAL_CALL(gethostbyname_r)(A(0, const char *), A(1, struct hostent *),
						    A(2, char *), A(3, size_t),
						    A(4, struct hostent **), A(5, int *)));
}

GREEN_EXPORT_RAW(int, gethostbyname_r, (const char *name, struct hostent *ret, char *buf, size_t len, struct hostent **result, int *herr))
{
	struct dns_call c = { .a = { (long)name, (long)ret, (long)buf, (long)len, (long)result, (long)herr } };

	if (!dns_offload(run_gethostbyname_r, &c))
		return GREEN_REAL_CALL(gethostbyname_r)(name, ret, buf, len, result, herr);
	return (int)c.result;
}

static void run_gethostbyname2_r(void *p)
{
	struct dns_call *c = p;
	DNS_RUN(c, GREEN_REAL_CALL(gethostbyname2_r)(A(0, const char *), A(1, int),
						     A(2, struct hostent *), A(3, char *),
						     A(4, size_t), A(5, struct hostent **),
						     A(6, int *)));
}

GREEN_EXPORT_RAW(int, gethostbyname2_r, (const char *name, int af, struct hostent *ret, char *buf, size_t len, struct hostent **result, int *herr))
{
	struct dns_call c = { .a = { (long)name, (long)af, (long)ret, (long)buf, (long)len, (long)result,
				(long)herr } };

	if (!dns_offload(run_gethostbyname2_r, &c))
		return GREEN_REAL_CALL(gethostbyname2_r)(name, af, ret, buf, len, result, herr);
	return (int)c.result;
}

static void run_gethostbyaddr_r(void *p)
{
	struct dns_call *c = p;
	DNS_RUN(c, GREEN_REAL_CALL(gethostbyaddr_r)(A(0, const void *), A(1, socklen_t), A(2, int),
						    A(3, struct hostent *), A(4, char *),
						    A(5, size_t), A(6, struct hostent **),
						    A(7, int *)));
}

GREEN_EXPORT_RAW(int, gethostbyaddr_r, (const void *addr, socklen_t alen, int type, struct hostent *ret, char *buf, size_t len, struct hostent **result, int *herr))
{
	struct dns_call c = { .a = { (long)addr, (long)alen, (long)type, (long)ret, (long)buf, (long)len,
				(long)result, (long)herr } };

	if (!dns_offload(run_gethostbyaddr_r, &c))
		return GREEN_REAL_CALL(gethostbyaddr_r)(addr, alen, type, ret, buf, len, result, herr);
	return (int)c.result;
}

static void run_getservbyname(void *p)
{
	struct dns_call *c = p;
	DNS_RUN(c, GREEN_REAL_CALL(getservbyname)(A(0, const char *), A(1, const char *)));
}

GREEN_EXPORT_RAW(struct servent *, getservbyname, (const char *name, const char *proto))
{
	struct dns_call c = { .a = { (long)name, (long)proto } };

	if (!dns_offload(run_getservbyname, &c))
		return GREEN_REAL_CALL(getservbyname)(name, proto);
	return (struct servent *)c.result;
}

static void run_getpwnam(void *p)
{
	struct dns_call *c = p;
	DNS_RUN(c, GREEN_REAL_CALL(getpwnam)(A(0, const char *)));
}

GREEN_EXPORT_RAW(struct passwd *, getpwnam, (const char *name))
{
	struct dns_call c = { .a = { (long)name } };

	if (!dns_offload(run_getpwnam, &c))
		return GREEN_REAL_CALL(getpwnam)(name);
	return (struct passwd *)c.result;
}

static void run_getpwuid(void *p)
{
	struct dns_call *c = p;
	DNS_RUN(c, GREEN_REAL_CALL(getpwuid)(A(0, uid_t)));
}

GREEN_EXPORT_RAW(struct passwd *, getpwuid, (uid_t uid))
{
	struct dns_call c = { .a = { (long)uid } };

	if (!dns_offload(run_getpwuid, &c))
		return GREEN_REAL_CALL(getpwuid)(uid);
	return (struct passwd *)c.result;
}

static void run_getgrnam(void *p)
{
	struct dns_call *c = p;
	DNS_RUN(c, GREEN_REAL_CALL(getgrnam)(A(0, const char *)));
}

GREEN_EXPORT_RAW(struct group *, getgrnam, (const char *name))
{
	struct dns_call c = { .a = { (long)name } };

	if (!dns_offload(run_getgrnam, &c))
		return GREEN_REAL_CALL(getgrnam)(name);
	return (struct group *)c.result;
}

static void run_getpwnam_r(void *p)
{
	struct dns_call *c = p;
	DNS_RUN(c, GREEN_REAL_CALL(getpwnam_r)(A(0, const char *), A(1, struct passwd *),
					       A(2, char *), A(3, size_t), A(4, struct passwd **)));
}

GREEN_EXPORT_RAW(int, getpwnam_r, (const char *name, struct passwd *pw, char *buf, size_t len, struct passwd **result))
{
	struct dns_call c = { .a = { (long)name, (long)pw, (long)buf, (long)len, (long)result } };

	if (!dns_offload(run_getpwnam_r, &c))
		return GREEN_REAL_CALL(getpwnam_r)(name, pw, buf, len, result);
	return (int)c.result;
}

static void run_getpwuid_r(void *p)
{
	struct dns_call *c = p;
	DNS_RUN(c, GREEN_REAL_CALL(getpwuid_r)(A(0, uid_t), A(1, struct passwd *), A(2, char *),
					       A(3, size_t), A(4, struct passwd **)));
}

GREEN_EXPORT_RAW(int, getpwuid_r, (uid_t uid, struct passwd *pw, char *buf, size_t len, struct passwd **result))
{
	struct dns_call c = { .a = { (long)uid, (long)pw, (long)buf, (long)len, (long)result } };

	if (!dns_offload(run_getpwuid_r, &c))
		return GREEN_REAL_CALL(getpwuid_r)(uid, pw, buf, len, result);
	return (int)c.result;
}

static void run_getgrnam_r(void *p)
{
	struct dns_call *c = p;
	DNS_RUN(c, GREEN_REAL_CALL(getgrnam_r)(A(0, const char *), A(1, struct group *),
					       A(2, char *), A(3, size_t), A(4, struct group **)));
}

GREEN_EXPORT_RAW(int, getgrnam_r, (const char *name, struct group *gr, char *buf, size_t len, struct group **result))
{
	struct dns_call c = { .a = { (long)name, (long)gr, (long)buf, (long)len, (long)result } };

	if (!dns_offload(run_getgrnam_r, &c))
		return GREEN_REAL_CALL(getgrnam_r)(name, gr, buf, len, result);
	return (int)c.result;
}
