/* Unit tests of core helpers that need no runtime: GREEN_STACK_SIZE parsing and timespec
 * arithmetic, signal names. Includes the sources it tests. Exit status 0 when every check passes. */
#include "../../preload/config.c"
#include "../../core/clock.h"

#include <stdio.h>

static int failures;

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c);     \
			failures++;                                            \
		}                                                              \
	} while (0)

static size_t parse(const char *s)
{
	size_t v = 12345;
	return green_config_parse_size(s, &v) ? (size_t)-1 : v;
}

static int sig(const char *s)
{
	int v = 0;
	return green_config_parse_signal(s, &v) ? -1 : v;
}

int main(void)
{
	struct timespec a = { 1, 900000000 }, b = { 0, 200000000 }, r;

	CHECK(parse("65536") == 65536);
	CHECK(parse("64K") == 65536);
	CHECK(parse("64k") == 65536);
	CHECK(parse("64KiB") == 65536);
	CHECK(parse("8M") == 8u << 20);
	CHECK(parse("1G") == 1u << 30);
	CHECK(parse("") == (size_t)-1);
	CHECK(parse("-1") == (size_t)-1);
	CHECK(parse("12Q") == (size_t)-1);
	CHECK(parse("K") == (size_t)-1);
	CHECK(parse("99999999999999999999") == (size_t)-1);
	CHECK(parse("9999999999G") == (size_t)-1);

	CHECK(sig("USR2") == SIGUSR2);
	CHECK(sig("SIGQUIT") == SIGQUIT);
	CHECK(sig("usr1") == SIGUSR1);
	CHECK(sig("10") == 10);
	CHECK(sig("RTMIN") == SIGRTMIN);
	CHECK(sig("RTMIN+2") == SIGRTMIN + 2);
	CHECK(sig("SIGRTMAX-1") == SIGRTMAX - 1);
	CHECK(sig("FOO") == -1);
	CHECK(sig("KILL") == -1);
	CHECK(sig("STOP") == -1);
	CHECK(sig("0") == -1);
	CHECK(sig("65") == -1);
	CHECK(sig("") == -1);
	CHECK(sig("USR2x") == -1);

	r = green_clock_add(a, b);
	CHECK(r.tv_sec == 2 && r.tv_nsec == 100000000);
	r = green_clock_sub(b, a);
	CHECK(r.tv_sec == -2 && r.tv_nsec == 300000000);
	r = green_clock_add((struct timespec){ INT64_MAX, 999999999 }, (struct timespec){ 1, 0 });
	CHECK(r.tv_sec == INT64_MAX && r.tv_nsec == 999999999);
	CHECK(green_clock_before(b, a) && !green_clock_before(a, b) && !green_clock_before(a, a));
	CHECK(green_clock_valid(&a) && !green_clock_valid(&(struct timespec){ 0, 1000000000 }));
	CHECK(!green_clock_valid(&(struct timespec){ -1, 0 }));
	printf("%d failures\n", failures);
	return failures != 0;
}
