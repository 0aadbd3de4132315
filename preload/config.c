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
 * and this runs while booting). */
static void config_bad(const char *name, const char *value)
{
	char line[512];
	int n = snprintf(line, sizeof line, "libgreen: ignoring %s=%s (invalid value)\n", name, value);

	if (n > (int)sizeof line - 1) { /* truncated: keep the line ending */
		n = (int)sizeof line - 1;
		line[n - 1] = '\n';
	}
	if (n > 0)
		green_sys(SYS_write, 2, line, (size_t)n);
}

static bool config_flag(const char *name)
{
	const char *v = config_get(name);

	if (!v || !*v || !strcmp(v, "0") || !strcasecmp(v, "no") || !strcasecmp(v, "false"))
		return false;
	if (!strcmp(v, "1") || !strcasecmp(v, "yes") || !strcasecmp(v, "true"))
		return true;
	config_bad(name, v);
	return false;
}

void green_config_load(char **envp)
{
	const char *v;
	struct green_config c = { 0 };

	config_envp = envp;

	c.disable = config_flag("GREEN_DISABLE");
	if ((v = config_get("GREEN_DEBUG")) && *v) {
		char *end;
		long n = strtol(v, &end, 10);
		if (*end || n < 0)
			config_bad("GREEN_DEBUG", v);
		else
			c.debug = (int)n;
	}
	if ((v = config_get("GREEN_STACK_SIZE")) && *v) {
		size_t sz;
		/* glibc refuses stacks below PTHREAD_STACK_MIN (16 KiB); so do we. */
		if (green_config_parse_size(v, &sz) || sz < 16384)
			config_bad("GREEN_STACK_SIZE", v);
		else
			c.stack_size = sz;
	}
	c.threadpool = 4;
	if ((v = config_get("GREEN_THREADPOOL")) && *v) {
		char *end;
		long n = strtol(v, &end, 10);
		if (*end || n < 0 || n > 256)
			config_bad("GREEN_THREADPOOL", v);
		else
			c.threadpool = (int)n;
	}
	c.inherit = !config_get("GREEN_INHERIT") || config_flag("GREEN_INHERIT");
	c.file_offload = config_flag("GREEN_FILE_OFFLOAD");
	if ((v = config_get("GREEN_STATS")) && v[0] == '/') /* a file to append the line to */
		c.stats = true, c.stats_path = v;
	else
		c.stats = config_flag("GREEN_STATS");
	if ((v = config_get("GREEN_MONITOR_MS")) && *v) {
		char *end;
		long n = strtol(v, &end, 10);
		if (*end || n < 0 || n > 3600000)
			config_bad("GREEN_MONITOR_MS", v);
		else
			c.monitor_ms = n;
	}
	c.backtrace = !config_get("GREEN_BACKTRACE") || config_flag("GREEN_BACKTRACE");
	c.overflow = !config_get("GREEN_OVERFLOW") || config_flag("GREEN_OVERFLOW");
	if ((v = config_get("GREEN_DUMP_SIGNAL")) && *v && green_config_parse_signal(v, &c.dump_signal))
		config_bad("GREEN_DUMP_SIGNAL", v);
	c.monitor_signal = SIGURG;
	if ((v = config_get("GREEN_MONITOR_SIGNAL")) && *v &&
	    green_config_parse_signal(v, &c.monitor_signal)) {
		config_bad("GREEN_MONITOR_SIGNAL", v);
		c.monitor_signal = SIGURG;
	}
	c.deadlock = GREEN_DEADLOCK_REPORT;
	if ((v = config_get("GREEN_DEADLOCK")) && *v) {
		if (!strcmp(v, "hang"))
			c.deadlock = GREEN_DEADLOCK_HANG;
		else if (strcmp(v, "report"))
			config_bad("GREEN_DEADLOCK", v);
	}
	green_config = c;
}
