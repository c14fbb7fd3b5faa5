// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl: size expressions of the config file, relative to RAM, in the
 * style of zram-generator.conf(5)'s zram-size:
 *
 *	expr    := term { ("+" | "-") term }
 *	term    := unary { ("*" | "/") unary }
 *	unary   := ("-" | "+") unary | primary
 *	primary := NUMBER [UNIT] | "ram" | "(" expr ")"
 *	         | ("min" | "max") "(" expr { "," expr } ")"
 *	UNIT    := K | M | G | T, any case, optionally followed by "iB" or "B"
 *
 * NUMBER may have a fraction ("1.5G", "ram * 0.25").  Values are bytes;
 * "ram" is MemTotal.  The result is rounded down to a whole byte and must
 * be between 0 and 2^64 - 1.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config.h"

#define MAX_DEPTH 64

struct sx {
	const char *s, *p;
	double ram;
	int depth;
	char *err;
	size_t errlen;
	bool failed;
};

static void __attribute__((format(printf, 2, 3))) sx_err(struct sx *x, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (x->failed)
		return;
	x->failed = true;
	n = snprintf(x->err, x->errlen, "at column %d: ", (int)(x->p - x->s) + 1);
	if (n < 0 || (size_t)n >= x->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(x->err + n, x->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

static void skip_ws(struct sx *x)
{
	while (*x->p == ' ' || *x->p == '\t')
		x->p++;
}

/* The next character after blanks, not consumed. */
static char peek(struct sx *x)
{
	skip_ws(x);
	return *x->p;
}

static bool accept(struct sx *x, char c)
{
	if (peek(x) != c)
		return false;
	x->p++;
	return true;
}

static double expr(struct sx *x);

static double number(struct sx *x)
{
	static const char units[] = "KMGT";
	const char *u;
	double v = 0, scale = 1;

	while (isdigit((unsigned char)*x->p))
		v = v * 10 + (*x->p++ - '0');
	if (*x->p == '.') {
		x->p++;
		if (!isdigit((unsigned char)*x->p)) {
			sx_err(x, "a digit must follow the decimal point");
			return 0;
		}
		while (isdigit((unsigned char)*x->p)) {
			scale /= 10;
			v += scale * (*x->p++ - '0');
		}
	}
	if (*x->p && (u = strchr(units, toupper((unsigned char)*x->p)))) {
		for (long i = 0; i <= u - units; i++)
			v *= 1024;
		x->p++;
		if (x->p[0] == 'i' && (x->p[1] == 'B' || x->p[1] == 'b'))
			x->p += 2;
		else if (*x->p == 'B' || *x->p == 'b')
			x->p++;
	}
	if (isalnum((unsigned char)*x->p) || *x->p == '_' || *x->p == '.') {
		sx_err(x, "'%c' after a number: units are K, M, G and T", *x->p);
		return 0;
	}
	return v;
}

/* min( or max( ... ): the name was read. */
static double minmax(struct sx *x, bool is_max)
{
	double v, w;

	if (!accept(x, '(')) {
		sx_err(x, "'(' expected after %s", is_max ? "max" : "min");
		return 0;
	}
	v = expr(x);
	while (!x->failed && accept(x, ',')) {
		w = expr(x);
		v = (is_max ? w > v : w < v) ? w : v;
	}
	if (!x->failed && !accept(x, ')'))
		sx_err(x, "',' or ')' expected");
	return v;
}

static double primary(struct sx *x)
{
	const char *start;
	double v;
	size_t n;
	char c = peek(x);

	if (isdigit((unsigned char)c) || c == '.')
		return number(x);
	if (accept(x, '(')) {
		v = expr(x);
		if (!x->failed && !accept(x, ')'))
			sx_err(x, "')' expected");
		return v;
	}
	if (isalpha((unsigned char)c)) {
		start = x->p;
		while (isalnum((unsigned char)*x->p) || *x->p == '_')
			x->p++;
		n = (size_t)(x->p - start);
		if (n == 3 && !strncasecmp(start, "ram", 3)) {
			if (!x->ram) {
				x->p = start;
				sx_err(x, "the size of RAM is unknown (no MemTotal in /proc/meminfo)");
			}
			return x->ram;
		}
		if (n == 3 && !strncasecmp(start, "min", 3))
			return minmax(x, false);
		if (n == 3 && !strncasecmp(start, "max", 3))
			return minmax(x, true);
		x->p = start;
		sx_err(x, "unknown name '%.*s' (ram, min, max)", (int)n, start);
		return 0;
	}
	if (!c)
		sx_err(x, "the expression ends too early");
	else
		sx_err(x, "unexpected '%c'", c);
	return 0;
}

static double unary(struct sx *x)
{
	double v;

	if (++x->depth > MAX_DEPTH) {
		sx_err(x, "nested too deeply");
		return 0;
	}
	if (accept(x, '-'))
		v = -unary(x);
	else if (accept(x, '+'))
		v = unary(x);
	else
		v = primary(x);
	x->depth--;
	return v;
}

static double term(struct sx *x)
{
	double v = unary(x), w;

	while (!x->failed) {
		if (accept(x, '*')) {
			v *= unary(x);
		} else if (accept(x, '/')) {
			const char *at;

			skip_ws(x);
			at = x->p;

			w = unary(x);
			if (!x->failed && w == 0) {
				x->p = at;
				sx_err(x, "division by zero");
			}
			v = x->failed ? 0 : v / w;
		} else {
			break;
		}
	}
	return v;
}

static double expr(struct sx *x)
{
	double v;

	if (++x->depth > MAX_DEPTH) {
		sx_err(x, "nested too deeply");
		return 0;
	}
	v = term(x);
	while (!x->failed) {
		if (accept(x, '+'))
			v += term(x);
		else if (accept(x, '-'))
			v -= term(x);
		else
			break;
	}
	x->depth--;
	return v;
}

int size_expr(const char *s, uint64_t ram, uint64_t *out, char *err, size_t errlen)
{
	struct sx x = {
		.s = s, .p = s, .ram = (double)ram, .err = err, .errlen = errlen,
	};
	double v;

	if (errlen)
		err[0] = '\0';
	v = expr(&x);
	if (!x.failed && peek(&x))
		sx_err(&x, "unexpected '%c'", *x.p);
	if (x.failed)
		return -1;
	if (v != v || v < 0) {
		snprintf(err, errlen, "the size is negative");
		return -1;
	}
	/* 2^64 is the first double past UINT64_MAX. */
	if (v >= 18446744073709551616.0) {
		snprintf(err, errlen, "the size is too large");
		return -1;
	}
	*out = (uint64_t)v;
	return 0;
}
