// SPDX-License-Identifier: GPL-2.0
/*
 * json_check: a strict RFC 8259 JSON validator with key-path queries, for
 * the busybox initramfs (no jq, no python).
 *
 *   json_check [-l] [-k PATH]... [-p PATH]... [-n PATH]... < INPUT
 *
 *   (default)  INPUT is exactly one JSON text.
 *   -l         INPUT is JSON lines: every line one JSON text, no empty
 *              lines; paths then start with the line number (0-based).
 *   -k PATH    PATH must exist (a documented key).  Segments are separated
 *              by '.': a number indexes an array, anything else names an
 *              object member; '*' means every element or member (and there
 *              must be at least one), e.g. -k '*.tiers.*.stats.pages'.
 *   -p PATH    print the value at PATH: strings unquoted and unescaped,
 *              numbers and literals as written, arrays and objects as the
 *              input text.  With '*', one line per match.
 *   -n PATH    print the number of elements (array) or members (object).
 *
 * Strict: one text per document, no trailing commas, no leading zeros or
 * '+', no NaN/Infinity, no control characters in strings, only the JSON
 * escapes, \u surrogates paired, input valid UTF-8 (no overlongs or
 * encoded surrogates), duplicate member names refused, depth <= 256.
 * Exit status: 0 valid and every path found, 1 invalid or a path missing
 * (the reason on stderr), 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum kind { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct node {
	enum kind kind;
	const char *start, *end;	/* the value's text */
	char *str;			/* J_STR: decoded */
	struct node **kids;		/* J_ARR, J_OBJ: values */
	char **keys;			/* J_OBJ: decoded names */
	size_t n;
};

static const char *base, *p, *lim;
static const char *what = "input";
static int depth;

static void die(const char *msg)
{
	const char *q;
	int line = 1, col = 1;

	for (q = base; q < p && q < lim; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	fprintf(stderr, "json_check: %s: line %d, column %d: %s\n", what, line, col, msg);
	exit(1);
}

static void *xrealloc(void *ptr, size_t sz)
{
	ptr = realloc(ptr, sz);
	if (!ptr) {
		fprintf(stderr, "json_check: out of memory\n");
		exit(2);
	}
	return ptr;
}

static void ws(void)
{
	while (p < lim && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
}

static void put(char **s, size_t *len, unsigned int cp)
{
	*s = xrealloc(*s, *len + 5);
	if (cp < 0x80) {
		(*s)[(*len)++] = cp;
	} else if (cp < 0x800) {
		(*s)[(*len)++] = 0xc0 | cp >> 6;
		(*s)[(*len)++] = 0x80 | (cp & 0x3f);
	} else if (cp < 0x10000) {
		(*s)[(*len)++] = 0xe0 | cp >> 12;
		(*s)[(*len)++] = 0x80 | (cp >> 6 & 0x3f);
		(*s)[(*len)++] = 0x80 | (cp & 0x3f);
	} else {
		(*s)[(*len)++] = 0xf0 | cp >> 18;
		(*s)[(*len)++] = 0x80 | (cp >> 12 & 0x3f);
		(*s)[(*len)++] = 0x80 | (cp >> 6 & 0x3f);
		(*s)[(*len)++] = 0x80 | (cp & 0x3f);
	}
	(*s)[*len] = '\0';
}

static unsigned int hex4(void)
{
	unsigned int v = 0;
	int i;

	for (i = 0; i < 4; i++, p++) {
		int c = p < lim ? *p : -1;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			die("\\u needs four hex digits");
	}
	return v;
}

/* One UTF-8 sequence starting at p (already known to be >= 0x80). */
static unsigned int utf8(void)
{
	const unsigned char *u = (const unsigned char *)p;
	unsigned int cp, min;
	int n, i;

	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		n = 1; cp = u[0] & 0x1f; min = 0x80;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 2; cp = u[0] & 0x0f; min = 0x800;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 3; cp = u[0] & 0x07; min = 0x10000;
	} else {
		die("invalid UTF-8 lead byte");
	}
	if (lim - p < n + 1)
		die("truncated UTF-8 sequence");
	for (i = 1; i <= n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			die("invalid UTF-8 continuation byte");
		cp = cp << 6 | (u[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		die("overlong or out-of-range UTF-8");
	p += n + 1;
	return cp;
}

static char *string(void)
{
	char *s = xrealloc(NULL, 1);
	size_t len = 0;
	unsigned int cp, lo;

	s[0] = '\0';
	p++;	/* opening quote */
	for (;;) {
		if (p >= lim)
			die("unterminated string");
		if (*p == '"') {
			p++;
			return s;
		}
		if ((unsigned char)*p < 0x20)
			die("control character in a string");
		if ((unsigned char)*p >= 0x80) {
			put(&s, &len, utf8());
			continue;
		}
		if (*p != '\\') {
			put(&s, &len, (unsigned char)*p++);
			continue;
		}
		p++;
		switch (p < lim ? *p : 0) {
		case '"': cp = '"'; break;
		case '\\': cp = '\\'; break;
		case '/': cp = '/'; break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			p++;
			cp = hex4();
			if (cp >= 0xdc00 && cp <= 0xdfff)
				die("lone low surrogate");
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (lim - p < 2 || p[0] != '\\' || p[1] != 'u')
					die("high surrogate without a low one");
				p += 2;
				lo = hex4();
				if (lo < 0xdc00 || lo > 0xdfff)
					die("high surrogate without a low one");
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			put(&s, &len, cp);
			continue;
		default:
			die("invalid escape");
		}
		p++;
		put(&s, &len, cp);
	}
}

static int digits(void)
{
	int n = 0;

	while (p < lim && *p >= '0' && *p <= '9') {
		p++;
		n++;
	}
	return n;
}

static void number(void)
{
	if (*p == '-')
		p++;
	if (p < lim && *p == '0') {
		p++;
		if (p < lim && *p >= '0' && *p <= '9')
			die("leading zero in a number");
	} else if (!digits()) {
		die("invalid number");
	}
	if (p < lim && *p == '.') {
		p++;
		if (!digits())
			die("no digits after the decimal point");
	}
	if (p < lim && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < lim && (*p == '+' || *p == '-'))
			p++;
		if (!digits())
			die("no digits in the exponent");
	}
}

static int literal(const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(lim - p) >= n && !memcmp(p, word, n)) {
		p += n;
		return 1;
	}
	return 0;
}

static struct node *value(void)
{
	struct node *v = calloc(1, sizeof(*v));
	size_t i;

	if (!v)
		exit(2);
	ws();
	if (p >= lim)
		die("unexpected end of input");
	v->start = p;
	if (++depth > 256)
		die("nested too deeply");
	if (*p == '{' || *p == '[') {
		int obj = *p == '{';

		v->kind = obj ? J_OBJ : J_ARR;
		p++;
		ws();
		if (p < lim && *p == (obj ? '}' : ']')) {
			p++;
			goto out;
		}
		for (;;) {
			ws();
			if (obj) {
				if (p >= lim || *p != '"')
					die("expected a member name");
				v->keys = xrealloc(v->keys, (v->n + 1) * sizeof(char *));
				v->keys[v->n] = string();
				for (i = 0; i < v->n; i++)
					if (!strcmp(v->keys[i], v->keys[v->n]))
						die("duplicate member name");
				ws();
				if (p >= lim || *p != ':')
					die("expected ':'");
				p++;
			}
			v->kids = xrealloc(v->kids, (v->n + 1) * sizeof(*v->kids));
			v->kids[v->n++] = value();
			ws();
			if (p < lim && *p == ',') {
				p++;
				continue;
			}
			if (p < lim && *p == (obj ? '}' : ']')) {
				p++;
				break;
			}
			die(obj ? "expected ',' or '}'" : "expected ',' or ']'");
		}
	} else if (*p == '"') {
		v->kind = J_STR;
		v->str = string();
	} else if (*p == '-' || (*p >= '0' && *p <= '9')) {
		v->kind = J_NUM;
		number();
	} else if (literal("true") || literal("false")) {
		v->kind = J_BOOL;
	} else if (literal("null")) {
		v->kind = J_NULL;
	} else {
		die("expected a value");
	}
out:
	depth--;
	v->end = p;
	return v;
}

/* Walk PATH from v; print (mode 'p'), count ('n') or just check ('k').
 * Returns the number of matches; a missing segment reports and exits. */
static int walk(struct node *v, char *path, const char *full, int mode)
{
	char *dot, *seg, *rest, *end;
	size_t i;
	int found = 0;

	if (!path) {
		if (mode == 'p') {
			if (v->kind == J_STR)
				printf("%s\n", v->str);
			else
				printf("%.*s\n", (int)(v->end - v->start), v->start);
		} else if (mode == 'n') {
			if (v->kind != J_ARR && v->kind != J_OBJ) {
				fprintf(stderr, "json_check: %s: not an array or object\n", full);
				exit(1);
			}
			printf("%zu\n", v->n);
		}
		return 1;
	}
	seg = path;
	dot = strchr(path, '.');
	rest = dot ? dot + 1 : NULL;
	if (dot)
		*dot = '\0';
	if (!strcmp(seg, "*")) {
		if ((v->kind != J_ARR && v->kind != J_OBJ) || !v->n) {
			fprintf(stderr, "json_check: %s: '*' needs a non-empty array or object\n", full);
			exit(1);
		}
		for (i = 0; i < v->n; i++) {
			char *copy = rest ? strdup(rest) : NULL;

			found += walk(v->kids[i], copy, full, mode);
			free(copy);
		}
	} else if (v->kind == J_ARR) {
		unsigned long idx = strtoul(seg, &end, 10);

		if (!*seg || *end || idx >= v->n) {
			fprintf(stderr, "json_check: %s: no element '%s' (array of %zu)\n",
				full, seg, v->n);
			exit(1);
		}
		found = walk(v->kids[idx], rest, full, mode);
	} else if (v->kind == J_OBJ) {
		for (i = 0; i < v->n; i++)
			if (!strcmp(v->keys[i], seg))
				break;
		if (i == v->n) {
			fprintf(stderr, "json_check: %s: no member '%s'\n", full, seg);
			exit(1);
		}
		found = walk(v->kids[i], rest, full, mode);
	} else {
		fprintf(stderr, "json_check: %s: '%s' is inside a scalar\n", full, seg);
		exit(1);
	}
	if (dot)
		*dot = '.';
	return found;
}

int main(int argc, char **argv)
{
	struct node root = { .kind = J_ARR };
	char *buf = NULL, *copy;
	size_t len = 0, cap = 0;
	ssize_t r;
	int lines = 0, c, i;
	char **paths = calloc(argc, sizeof(char *));
	char *modes = calloc(argc, 1);
	int npaths = 0;

	while ((c = getopt(argc, argv, "lk:p:n:h")) != -1) {
		switch (c) {
		case 'l':
			lines = 1;
			break;
		case 'k':
		case 'p':
		case 'n':
			modes[npaths] = c;
			paths[npaths++] = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-l] [-k PATH]... [-p PATH]... [-n PATH]... < INPUT\n",
				argv[0]);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "json_check: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = xrealloc(buf, cap);
		}
		r = read(0, buf + len, cap - len);
		if (r < 0) {
			perror("json_check: read");
			return 2;
		}
		if (!r)
			break;
		len += r;
	}
	base = p = buf;
	lim = buf + len;
	if (!lines) {
		if (!len)
			die("empty input");
		root.kids = xrealloc(NULL, sizeof(*root.kids));
		root.kids[0] = value();
		root.n = 1;
		ws();
		if (p != lim)
			die("text after the JSON value");
	} else {
		while (p < lim) {
			const char *nl = memchr(p, '\n', lim - p);
			const char *save = lim;

			if (!nl)
				die("last line has no newline");
			if (nl == p)
				die("empty line");
			lim = nl;
			root.kids = xrealloc(root.kids, (root.n + 1) * sizeof(*root.kids));
			root.kids[root.n++] = value();
			ws();
			if (p != lim)
				die("text after the JSON value on this line");
			lim = save;
			p = nl + 1;
		}
		if (!root.n)
			die("no lines");
	}
	for (i = 0; i < npaths; i++) {
		copy = strdup(paths[i]);
		if (lines) {
			walk(&root, *copy ? copy : NULL, paths[i], modes[i]);
		} else {
			/* A single document: paths start inside it. */
			walk(root.kids[0], *copy ? copy : NULL, paths[i], modes[i]);
		}
		free(copy);
	}
	return 0;
}
