/* SPDX-License-Identifier: MIT
 * Reads the GREEN_* environment variables once, at boot. The launcher (preload/green.c)
 * turns its options into these same variables.
 */
#include "config.h"

#include "../core/sys.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

struct green_config green_config;

/* The environment being read: our constructor runs (-z initfirst) before libc has set environ,
 * so boot passes the envp the dynamic loader gives constructors. */
static char **config_envp;

static const char *config_get(const char *name)
{
	size_t len = strlen(name);

	for (char **e = config_envp; e && *e; e++)
		if (!strncmp(*e, name, len) && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

int green_config_parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;
	int shift;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	default: shift = 0; break;
	}
	if (shift) {
		if (v > (SIZE_MAX / 2) >> shift)
			return -EINVAL;
		v <<= shift;
		end++;
		if (*end == 'i') /* "64Ki", "64KiB" */
			end++;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || v > SIZE_MAX / 2)
		return -EINVAL;
	*out = (size_t)v;
	return 0;
}

int green_config_parse_signal(const char *s, int *out)
{
	char *end;
	long n;

	if (!s || !*s)
		return -EINVAL;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	if (*s >= '0' && *s <= '9') {
		n = strtol(s, &end, 10);
	} else if (!strncasecmp(s, "RTMIN", 5) || !strncasecmp(s, "RTMAX", 5)) {
		bool min = !strncasecmp(s, "RTMIN", 5);
		long k = 0;
		end = (char *)s + 5;
		if (*end == (min ? '+' : '-'))
			k = strtol(end + 1, &end, 10);
		n = min ? SIGRTMIN + k : SIGRTMAX - k;
		if (n < SIGRTMIN || n > SIGRTMAX)
			return -EINVAL;
	} else {
		for (n = 1; n < SIGRTMIN; n++) {
			const char *abbrev = sigabbrev_np((int)n);
			if (abbrev && !strcasecmp(abbrev, s))
				break;
		}
		if (n == SIGRTMIN)
			return -EINVAL; /* no such name */
		end = (char *)s + strlen(s);
	}
	/* SIGKILL and SIGSTOP cannot be caught. */
	if (*end || n <= 0 || n >= NSIG || n == SIGKILL || n == SIGSTOP)
		return -EINVAL;
	*out = (int)n;
	return 0;
}

/* Warn about a bad value with one raw write(2): no stdio (fprintf is one of libgreen's hooks,
 * and this runs while booting). One line: what was ignored, what is expected, what is used. */
static void config_bad(const char *name, const char *value, const char *expected, const char *dflt)
{
	char line[512];
	int n = snprintf(line, sizeof line, "libgreen: ignoring %s=%s (expected %s); using the default: %s\n",
			 name, value, expected, dflt);

	if (n > (int)sizeof line - 1) { /* truncated: keep the line ending */
		n = (int)sizeof line - 1;
		line[n - 1] = '\n';
	}
	if (n > 0)
		green_sys(SYS_write, 2, line, (size_t)n);
}

/* A yes/no variable: unset or empty gives dflt, as does a bad value (with one line). */
static bool config_flag(const char *name, bool dflt)
{
	const char *v = config_get(name);

	if (!v || !*v)
		return dflt;
	if (!strcmp(v, "0") || !strcasecmp(v, "no") || !strcasecmp(v, "false"))
		return false;
	if (!strcmp(v, "1") || !strcasecmp(v, "yes") || !strcasecmp(v, "true"))
		return true;
	config_bad(name, v, "1 or 0, yes or no, true or false", dflt ? "1" : "0");
	return dflt;
}

/* A whole number in [min, max]: unset or empty gives dflt, as does a bad value. */
static long config_number(const char *name, long min, long max, long dflt)
{
	const char *v = config_get(name);
	char expected[64], d[24];
	char *end;
	long n;

	if (!v || !*v)
		return dflt;
	errno = 0;
	n = strtol(v, &end, 10);
	if (!errno && !*end && n >= min && n <= max)
		return n;
	snprintf(expected, sizeof expected, "a whole number from %ld to %ld", min, max);
	snprintf(d, sizeof d, "%ld", dflt);
	config_bad(name, v, expected, d);
	return dflt;
}

/* A signal: unset or empty gives dflt (0: none), as does a bad value. */
static int config_signal(const char *name, int dflt, const char *dflt_text)
{
	const char *v = config_get(name);
	int n;

	if (!v || !*v)
		return dflt;
	if (green_config_parse_signal(v, &n) == 0)
		return n;
	config_bad(name, v, "a signal name such as USR2 or a number, not KILL or STOP", dflt_text);
	return dflt;
}

/* The process runs with more privilege than its caller (setuid, setgid, file capabilities):
 * the caller's environment must not steer libgreen, as secure_getenv would not let it. */
static bool config_secure(void)
{
	return getauxval(AT_SECURE) != 0;
}

void green_config_load(char **envp)
{
	const char *v;
	struct green_config c = { 0 };

	config_envp = config_secure() ? NULL : envp;

	c.disable = config_flag("GREEN_DISABLE", false);
	c.debug = (int)config_number("GREEN_DEBUG", 0, 2, 0);
	if ((v = config_get("GREEN_STACK_SIZE")) && *v) {
		size_t sz;
		/* glibc refuses stacks below PTHREAD_STACK_MIN (16 KiB); so do we. Beyond 4 GiB every
		 * pthread_create would fail to map it. */
		if (green_config_parse_size(v, &sz) || sz < GREEN_CONFIG_STACK_MIN || sz > GREEN_CONFIG_STACK_MAX)
			config_bad("GREEN_STACK_SIZE", v, "a size from 16K to 4G, such as 256K", "the native default");
		else
			c.stack_size = sz;
	}
	c.threadpool = (int)config_number("GREEN_THREADPOOL", 0, 256, 4);
	c.inherit = config_flag("GREEN_INHERIT", true);
	c.file_offload = config_flag("GREEN_FILE_OFFLOAD", false);
	if ((v = config_get("GREEN_STATS")) && v[0] == '/') /* a file to append the line to */
		c.stats = true, c.stats_path = v;
	else
		c.stats = config_flag("GREEN_STATS", false);
	c.monitor_ms = config_number("GREEN_MONITOR_MS", 0, 3600000, 0);
	c.slice_ms = config_number("GREEN_SLICE_MS", 0, 10000, 10);
	c.slice_us = config_number("GREEN_SLICE_US", 0, 10000000, c.slice_ms * 1000);
	c.preempt = config_flag("GREEN_PREEMPT", true);
	if ((v = config_get("GREEN_LOG")) && *v) {
		if (v[0] == '/')
			c.log_path = v;
		else
			config_bad("GREEN_LOG", v, "an absolute file path", "stderr");
	}
	c.backtrace = config_flag("GREEN_BACKTRACE", true);
	c.overflow = config_flag("GREEN_OVERFLOW", true);
	c.dump_signal = config_signal("GREEN_DUMP_SIGNAL", 0, "none");
	c.monitor_signal = config_signal("GREEN_MONITOR_SIGNAL", SIGURG, "URG");
	c.tls = GREEN_TLS_WANT_AUTO;
	if ((v = config_get("GREEN_TLS")) && *v) {
		static const char *const names[] = { "auto", "shared", "own", "syscall" };
		unsigned i = 0;
		while (i < sizeof names / sizeof *names && strcmp(v, names[i]))
			i++;
		if (i < sizeof names / sizeof *names)
			c.tls = (enum green_tls_want)i;
		else
			config_bad("GREEN_TLS", v, "auto, shared, own or syscall", "auto");
	}
	c.deadlock = GREEN_DEADLOCK_REPORT;
	if ((v = config_get("GREEN_DEADLOCK")) && *v) {
		if (!strcmp(v, "hang"))
			c.deadlock = GREEN_DEADLOCK_HANG;
		else if (strcmp(v, "report"))
			config_bad("GREEN_DEADLOCK", v, "report or hang", "report");
	}
	green_config = c;
}
