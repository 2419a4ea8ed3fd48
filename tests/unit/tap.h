/* SPDX-License-Identifier: MIT */
/*
 * A tiny header-only producer of the Test Anything Protocol (TAP version 12,
 * as prove reads it): "ok N - name" or "not ok N - name" per check, a
 * "# got X, expected Y" diagnostic on stderr for each failure, and the plan
 * "1..N" printed last by done_testing(), whose return value is the test
 * program's exit status (non-zero if any check failed).
 *
 * Every check returns whether it passed, so a test can stop early:
 *	if (!is_int(rc, 0, "load"))
 *		return;
 */
#ifndef KX_TAP_H
#define KX_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TAP_PRINTF(a, b) __attribute__((format(printf, a, b)))

static unsigned tap_count;
static unsigned tap_failed;

static inline void tap_vresult(bool pass, const char *fmt, va_list ap)
{
	printf("%sok %u - ", pass ? "" : "not ", ++tap_count);
	vprintf(fmt, ap);
	putchar('\n');
	if (!pass)
		tap_failed++;
	fflush(stdout);
}

/* A "# ..." line on stderr, after everything already on stdout. */
static inline TAP_PRINTF(1, 2) void diag(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("# ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A "# ..." line on stdout: context for a reader of the verbose output. */
static inline TAP_PRINTF(1, 2) void note(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static inline TAP_PRINTF(2, 3) bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(cond, fmt, ap);
	va_end(ap);
	return cond;
}

static inline TAP_PRINTF(2, 3) void skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	printf("ok %u - ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" # SKIP %s\n", why);
	fflush(stdout);
}

/* Unsigned values, shown in hex: addresses, sizes, fields. */
static inline TAP_PRINTF(3, 4) bool is_u64(uint64_t got, uint64_t want,
					   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(got == want, fmt, ap);
	va_end(ap);
	if (got != want)
		diag("got 0x%" PRIx64 " (%" PRIu64 "), expected 0x%" PRIx64
		     " (%" PRIu64 ")", got, got, want, want);
	return got == want;
}

/* Signed values, shown in decimal: return codes (-22), counts. */
static inline TAP_PRINTF(3, 4) bool is_int(int64_t got, int64_t want,
					   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(got == want, fmt, ap);
	va_end(ap);
	if (got != want)
		diag("got %" PRId64 ", expected %" PRId64, got, want);
	return got == want;
}

static inline TAP_PRINTF(3, 4) bool is_str(const char *got, const char *want,
					   const char *fmt, ...)
{
	bool pass = got && want ? !strcmp(got, want) : got == want;
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		diag("got \"%s\", expected \"%s\"", got ? got : "(null)",
		     want ? want : "(null)");
	return pass;
}

/* @got contains @needle: for error messages, where the words matter. */
static inline TAP_PRINTF(3, 4) bool like(const char *got, const char *needle,
					 const char *fmt, ...)
{
	bool pass = got && strstr(got, needle);
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		diag("got \"%s\", expected it to contain \"%s\"",
		     got ? got : "(null)", needle);
	return pass;
}

/* Hex of up to (outlen - 4) / 2 bytes, with "..." when cut short. */
static inline void tap_hex(char *out, size_t outlen, const uint8_t *p,
			   size_t len)
{
	size_t max = (outlen - 4) / 2, n = len < max ? len : max;

	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
	strcpy(out + 2 * n, n < len ? "..." : "");
}

static inline TAP_PRINTF(4, 5) bool is_mem(const void *got, const void *want,
					   size_t len, const char *fmt, ...)
{
	bool pass = !memcmp(got, want, len);
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		char g[160], w[160];
		size_t i = 0;

		while (((const uint8_t *)got)[i] == ((const uint8_t *)want)[i])
			i++;
		tap_hex(g, sizeof(g), got, len);
		tap_hex(w, sizeof(w), want, len);
		diag("first difference at byte %zu", i);
		diag("got      %s", g);
		diag("expected %s", w);
	}
	return pass;
}

/* @got (binary, strlen(hex) / 2 bytes) against a hex string: digests. */
static inline TAP_PRINTF(3, 4) bool is_hex(const void *got, const char *hex,
					   const char *fmt, ...)
{
	const uint8_t *g = got;
	size_t len = strlen(hex) / 2;
	bool pass = true;
	va_list ap;

	for (size_t i = 0; i < len; i++) {
		unsigned b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1 || g[i] != b)
			pass = false;
	}
	va_start(ap, fmt);
	tap_vresult(pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		char s[160];

		tap_hex(s, sizeof(s), g, len);
		diag("got      %s", s);
		diag("expected %s", hex);
	}
	return pass;
}

/* Prints the plan; returns the exit status for main(). */
static inline int done_testing(void)
{
	printf("1..%u\n", tap_count);
	if (tap_failed)
		diag("failed %u of %u tests", tap_failed, tap_count);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

#endif
