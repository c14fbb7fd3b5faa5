// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl: the print layer (see json_print.h): text or JSON, cells and tables.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json_writer.h"
#include "json_print.h"
#include "vswapctl.h"

#define MAX_COLS 64

static struct {
	bool active;
	const struct column *cols;
	size_t ncols;
	size_t sel[MAX_COLS];		/* selected columns, in output order */
	size_t nsel;
	bool filter_json;		/* -o given: JSON objects carry only sel */
	int indent;
	bool inline_row;
	char **cells;			/* nrows * nsel */
	size_t nrows, alloc;
	bool in_row;
} tbl;

static bool json_started;
static FILE *out_file;		/* NULL: stdout */

#define OUT (out_file ? out_file : stdout)

FILE *print_set_file(FILE *f)
{
	FILE *old = out_file;

	out_file = f;
	if (json_started)
		jw_init(OUT, opts.pretty);
	return old;
}

bool is_json(void)
{
	return opts.json;
}

static void json_begin(void)
{
	if (!json_started) {
		jw_init(OUT, opts.pretty);
		json_started = true;
	}
}

void open_json_object(const char *key)
{
	if (!opts.json)
		return;
	json_begin();
	jw_start_object(key);
}

void close_json_object(void)
{
	if (opts.json)
		jw_end_object();
}

void open_json_array(const char *key)
{
	if (!opts.json)
		return;
	json_begin();
	jw_start_array(key);
}

void close_json_array(void)
{
	if (opts.json)
		jw_end_array();
}

void print_json_end(void)
{
	if (opts.json && jw_depth() == 0)
		jw_end_line();
	else
		fflush(OUT);
}

/* ------------------------------------------------------------------ */
/* Columns. */

static int col_find(const struct column *cols, size_t n, const char *name,
		    size_t len)
{
	for (size_t i = 0; i < n; i++) {
		if ((strlen(cols[i].key) == len &&
		     !strncasecmp(cols[i].key, name, len)) ||
		    (strlen(cols[i].header) == len &&
		     !strncasecmp(cols[i].header, name, len)))
			return (int)i;
	}
	return -1;
}

static void __attribute__((noreturn))
col_unknown(const struct column *cols, size_t n, const char *name, size_t len)
{
	char list[1024] = "";
	size_t off = 0;

	for (size_t i = 0; i < n && off < sizeof(list); i++)
		off += snprintf(list + off, sizeof(list) - off, "%s%s",
				i ? "," : "", cols[i].key);
	usage_error("unknown column '%.*s' for -o (columns: all,%s)",
		    (int)len, name, list);
}

/* Parse a comma-separated list into sel[]; returns the count. */
static size_t col_parse(const struct column *cols, size_t n, const char *list,
			size_t *sel, size_t nsel)
{
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ",");
		int i;

		if (len == 0) {
			p++;
			continue;
		}
		if (len == 3 && !strncasecmp(p, "all", 3)) {
			for (size_t j = 0; j < n && nsel < MAX_COLS; j++)
				sel[nsel++] = j;
		} else {
			i = col_find(cols, n, p, len);
			if (i < 0)
				col_unknown(cols, n, p, len);
			if (nsel < MAX_COLS)
				sel[nsel++] = (size_t)i;
		}
		p += len;
	}
	return nsel;
}

void table_check(const struct column *cols, size_t n, const char *user)
{
	size_t sel[MAX_COLS];

	if (!user)
		return;
	if (col_parse(cols, n, user[0] == '+' ? user + 1 : user, sel, 0) == 0)
		usage_error("-o needs at least one column");
}

void table_begin(const struct column *cols, size_t n, const char *defaults,
		 const char *user, const char *json_key, int indent,
		 bool inline_row)
{
	memset(&tbl, 0, sizeof(tbl));
	tbl.active = true;
	tbl.cols = cols;
	tbl.ncols = n;
	tbl.indent = indent;
	tbl.inline_row = inline_row;
	if (user && user[0] == '+') {
		tbl.nsel = col_parse(cols, n, defaults, tbl.sel, 0);
		tbl.nsel = col_parse(cols, n, user + 1, tbl.sel, tbl.nsel);
	} else if (user) {
		tbl.nsel = col_parse(cols, n, user, tbl.sel, 0);
		tbl.filter_json = true;
	} else {
		tbl.nsel = col_parse(cols, n, defaults, tbl.sel, 0);
	}
	/* Inline rows are fields of the object being printed. */
	if (opts.json && !inline_row)
		open_json_array(json_key);
}

void table_row_begin(void)
{
	if (opts.json) {
		if (!tbl.inline_row)
			open_json_object(NULL);
	} else {
		if (tbl.nrows == tbl.alloc) {
			tbl.alloc = tbl.alloc ? 2 * tbl.alloc : 16;
			tbl.cells = realloc(tbl.cells,
					    tbl.alloc * tbl.nsel * sizeof(char *));
			if (!tbl.cells)
				abort();
		}
		memset(&tbl.cells[tbl.nrows * tbl.nsel], 0,
		       tbl.nsel * sizeof(char *));
		tbl.nrows++;
	}
	tbl.in_row = true;
}

static const char *cell(size_t row, size_t s)
{
	const char *c = tbl.cells[row * tbl.nsel + s];

	return c ? c : "-";
}

static void table_free_cells(void)
{
	for (size_t i = 0; i < tbl.nrows * tbl.nsel; i++)
		free(tbl.cells[i]);
	tbl.nrows = 0;
}

void table_row_end(void)
{
	tbl.in_row = false;
	if (opts.json) {
		if (!tbl.inline_row)
			close_json_object();
		return;
	}
	if (!tbl.inline_row)
		return;
	for (size_t s = 0; s < tbl.nsel; s++) {
		const char *c = cell(0, s);

		if (strcmp(c, "-"))
			fprintf(OUT, " %s %s", tbl.cols[tbl.sel[s]].key, c);
	}
	table_free_cells();
}

void table_end(void)
{
	size_t width[MAX_COLS];

	if (opts.json) {
		if (!tbl.inline_row)
			close_json_array();
		goto out;
	}
	if (tbl.inline_row)
		goto out;
	for (size_t s = 0; s < tbl.nsel; s++) {
		width[s] = opts.no_headings ? 0 : strlen(tbl.cols[tbl.sel[s]].header);
		for (size_t r = 0; r < tbl.nrows; r++) {
			size_t l = strlen(cell(r, s));

			if (l > width[s])
				width[s] = l;
		}
	}
	for (long r = opts.no_headings ? 0 : -1; r < (long)tbl.nrows; r++) {
		fprintf(OUT, "%*s", tbl.indent, "");
		for (size_t s = 0; s < tbl.nsel; s++) {
			const struct column *c = &tbl.cols[tbl.sel[s]];
			const char *v = r < 0 ? c->header : cell((size_t)r, s);
			bool last = s + 1 == tbl.nsel;

			if (c->left && last)
				fprintf(OUT, "%s", v);
			else if (c->left)
				fprintf(OUT, "%-*s", (int)width[s], v);
			else
				fprintf(OUT, "%*s", (int)width[s], v);
			if (!last)
				fputs("  ", OUT);
		}
		fputc('\n', OUT);
	}
out:
	table_free_cells();
	free(tbl.cells);
	memset(&tbl, 0, sizeof(tbl));
}

/* The selected column for key, or -1. */
static int row_slot(const char *key)
{
	if (!key)
		return -1;
	for (size_t s = 0; s < tbl.nsel; s++)
		if (!strcmp(tbl.cols[tbl.sel[s]].key, key))
			return (int)s;
	return -1;
}

static bool json_wanted(enum output_type t, const char *key)
{
	if (!opts.json || t == PRINT_TEXT)
		return false;
	if (tbl.in_row && tbl.filter_json && row_slot(key) < 0)
		return false;
	return true;
}

/* Text output of an already formatted value. */
static void text_out(enum output_type t, const char *key, const char *fmt,
		     const char *s)
{
	if (opts.json || t == PRINT_JSON)
		return;
	if (tbl.in_row) {
		int slot = row_slot(key);
		char **c;

		if (slot < 0)
			return;
		c = &tbl.cells[(tbl.nrows - 1) * tbl.nsel + (size_t)slot];
		free(*c);
		*c = strdup(s);
		return;
	}
	if (fmt)
		fprintf(OUT, fmt, s);
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value)
{
	if (json_wanted(t, key))
		jw_string(key, value);
	text_out(t, key, fmt, value ? value : "-");
}

void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value)
{
	char buf[32];

	if (json_wanted(t, key))
		jw_uint(key, value);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)value);
	text_out(t, key, fmt, buf);
}

const char *text_size(uint64_t bytes, char *buf, size_t len)
{
	if (opts.bytes)
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
	else
		fmt_size(bytes, buf, len);
	return buf;
}

void print_size(enum output_type t, const char *key, const char *fmt,
		uint64_t bytes)
{
	char buf[32];

	if (json_wanted(t, key))
		jw_uint(key, bytes);
	text_out(t, key, fmt, text_size(bytes, buf, sizeof(buf)));
}

void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value)
{
	if (json_wanted(t, key))
		jw_bool(key, value);
	text_out(t, key, fmt, value ? "yes" : "no");
}

void print_float(enum output_type t, const char *key, const char *fmt,
		 double value, int decimals)
{
	char buf[64];

	if (value != value || value > 1e18 || value < -1e18) {	/* NaN, huge */
		print_null(t, key, fmt);
		return;
	}
	if (json_wanted(t, key))
		jw_double(key, value, decimals);
	snprintf(buf, sizeof(buf), "%.*f", decimals, value);
	text_out(t, key, fmt, buf);
}

void print_null(enum output_type t, const char *key, const char *fmt)
{
	if (json_wanted(t, key))
		jw_null(key);
	text_out(t, key, fmt, "-");
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (opts.json || tbl.in_row)
		return;
	va_start(ap, fmt);
	vfprintf(OUT, fmt, ap);
	va_end(ap);
}
