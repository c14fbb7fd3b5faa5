// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl: streaming JSON writer (see json_writer.h; iproute2's json_writer.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "json_writer.h"

#define JW_MAX_DEPTH 16

static FILE *jw_out;
static bool jw_pretty;
static int jw_level;
static bool jw_first[JW_MAX_DEPTH];

void jw_init(FILE *f, bool pretty)
{
	jw_out = f;
	jw_pretty = pretty;
	jw_level = 0;
}

int jw_depth(void)
{
	return jw_level;
}

static void jw_indent(int level)
{
	fputc('\n', jw_out);
	for (int i = 0; i < level; i++)
		fputs("    ", jw_out);
}

static void jw_escape(const char *s)
{
	fputc('"', jw_out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", jw_out);
			break;
		case '\\':
			fputs("\\\\", jw_out);
			break;
		case '\n':
			fputs("\\n", jw_out);
			break;
		case '\t':
			fputs("\\t", jw_out);
			break;
		case '\r':
			fputs("\\r", jw_out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(jw_out, "\\u%04x", *p);
			else
				fputc(*p, jw_out);
		}
	}
	fputc('"', jw_out);
}

/* Separator, indentation and key before a value. */
static void jw_prefix(const char *key)
{
	if (jw_level > 0) {
		if (!jw_first[jw_level - 1])
			fputc(',', jw_out);
		jw_first[jw_level - 1] = false;
		if (jw_pretty)
			jw_indent(jw_level);
	}
	if (key) {
		jw_escape(key);
		fputs(jw_pretty ? ": " : ":", jw_out);
	}
}

static void jw_open(const char *key, char c)
{
	jw_prefix(key);
	fputc(c, jw_out);
	if (jw_level >= JW_MAX_DEPTH)
		abort();
	jw_first[jw_level++] = true;
}

static void jw_close(char c)
{
	if (jw_level <= 0)
		abort();
	jw_level--;
	if (jw_pretty && !jw_first[jw_level])
		jw_indent(jw_level);
	fputc(c, jw_out);
}

void jw_start_object(const char *key)
{
	jw_open(key, '{');
}

void jw_end_object(void)
{
	jw_close('}');
}

void jw_start_array(const char *key)
{
	jw_open(key, '[');
}

void jw_end_array(void)
{
	jw_close(']');
}

void jw_string(const char *key, const char *s)
{
	if (!s) {
		jw_null(key);
		return;
	}
	jw_prefix(key);
	jw_escape(s);
}

void jw_uint(const char *key, uint64_t v)
{
	jw_prefix(key);
	fprintf(jw_out, "%llu", (unsigned long long)v);
}

void jw_double(const char *key, double v, int decimals)
{
	jw_prefix(key);
	fprintf(jw_out, "%.*f", decimals, v);
}

void jw_bool(const char *key, bool v)
{
	jw_prefix(key);
	fputs(v ? "true" : "false", jw_out);
}

void jw_null(const char *key)
{
	jw_prefix(key);
	fputs("null", jw_out);
}

void jw_end_line(void)
{
	fputc('\n', jw_out);
	fflush(jw_out);
}
