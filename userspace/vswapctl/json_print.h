/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one print path, in the style of iproute2's json_print.h (json_print.c;
 * the JSON writer under it is json_writer.c, as in iproute2).
 *
 * Every object (device, tier, event) is printed by one function that calls
 * print_*(type, key, fmt, value):
 *   PRINT_ANY   the value goes to JSON under `key` and to the text output;
 *   PRINT_JSON  JSON only;
 *   PRINT_TEXT  text only.
 * In text output `fmt` is a printf format with one %s, which receives the
 * value already formatted (sizes human-readable unless -b, "-" for none).
 * A NULL fmt prints nothing in text.
 *
 * Inside a table row (table_row_begin .. table_row_end) the text output is
 * a cell instead: the value goes to the column named `key` (when that
 * column is selected) and fmt is not used.  Tables are aligned when they
 * end.  In JSON a table is an array of objects (one per row) and -o, when
 * given, selects which keys the objects carry.
 */
#ifndef VSWAPCTL_JSON_PRINT_H
#define VSWAPCTL_JSON_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum output_type {
	PRINT_ANY,
	PRINT_TEXT,
	PRINT_JSON,
};

struct column {
	const char *key;	/* JSON key and -o name */
	const char *header;	/* text heading */
	bool left;		/* left-aligned (text); numbers align right */
	const char *help;	/* one line for --help / the man page */
};

bool is_json(void);
/* Output to f from now on (NULL: stdout); returns the previous setting. */
FILE *print_set_file(FILE *f);

void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);
/* End of a top-level JSON value (one line in monitor); flushes stdout. */
void print_json_end(void);

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value);
void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value);
void print_size(enum output_type t, const char *key, const char *fmt,
		uint64_t bytes);
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value);
/* A number with `decimals` decimals, e.g. a ratio or a percentage. */
void print_float(enum output_type t, const char *key, const char *fmt,
		 double value, int decimals);
void print_null(enum output_type t, const char *key, const char *fmt);
/* Text only (not in table rows); printf. */
void __attribute__((format(printf, 1, 2))) print_text(const char *fmt, ...);
/* A size as text output shows it: human-readable, or bytes with -b. */
const char *text_size(uint64_t bytes, char *buf, size_t len);

/*
 * Check a -o list against a table's columns: exits 1 on an unknown name.
 * "+a,b" adds to the defaults.
 */
void table_check(const struct column *cols, size_t n, const char *user);

/*
 * Begin a table.  JSON: opens an array named json_key (NULL: unnamed, at
 * the top or in an array).  Text: rows indented by `indent` spaces, with
 * a heading line unless -n.  `user` is the -o list (NULL: the defaults).
 * inline_row: text rows print at once as "key value ..." pairs with no
 * heading (event lines); values "-" are left out.
 */
void table_begin(const struct column *cols, size_t n, const char *defaults,
		 const char *user, const char *json_key, int indent,
		 bool inline_row);
void table_row_begin(void);
void table_row_end(void);
void table_end(void);

#endif
