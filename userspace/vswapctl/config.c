// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl: the configuration file, vswap.conf(5).
 *
 * Files, in the order read (later values override earlier ones):
 *   /etc/vswap.conf, or when there is none /usr/lib/vswap/vswap.conf;
 *   every *.conf in /usr/lib/vswap/vswap.conf.d/ and /etc/vswap.conf.d/,
 *   sorted by file name; a name in /etc masks the same name in /usr/lib
 *   (a link to /dev/null masks it with nothing).
 * Sections: [vswapN] for a device, [vswapN/TIER] for a tier of it:
 * "ram" is the compressed RAM tier, "zero" the same-filled tier, any
 * other name a backing block device tier.  Lines are "key = value";
 * '#' and ';' start a comment line.  Every error names file:line.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *cfg_path(const char *root, const char *path, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", root ? root : "", path);
	return buf;
}

void cfg_init(struct cfg *c, uint64_t ram)
{
	memset(c, 0, sizeof(*c));
	c->ram = ram;
}

/* ------------------------------------------------------------------ */
/* Parsing state. */

struct cfg_ctx {
	struct cfg *c;
	const char *file;
	int line;
	struct cfg_dev *dev;		/* the current section */
	struct cfg_tier *tier;		/* NULL in a device section */
	bool in_section;
};

static int __attribute__((format(printf, 2, 3))) cfg_err(struct cfg_ctx *x, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(x->c->err, sizeof(x->c->err), "%s:%d: ", x->file, x->line);
	if (n < 0 || (size_t)n >= sizeof(x->c->err))
		return -1;
	va_start(ap, fmt);
	vsnprintf(x->c->err + n, sizeof(x->c->err) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

struct cfg_dev *cfg_dev_find(struct cfg *c, uint32_t id)
{
	for (size_t i = 0; i < c->ndevs; i++)
		if (c->devs[i].id == id)
			return &c->devs[i];
	return NULL;
}

struct cfg_tier *cfg_tier_find(struct cfg_dev *d, const char *name)
{
	for (size_t i = 0; i < d->ntiers; i++)
		if (!strcmp(d->tiers[i].name, name))
			return &d->tiers[i];
	return NULL;
}

static void set_where(struct cfg_ctx *x, char *where)
{
	if (!where[0])
		snprintf(where, CFG_WHERE_MAX, "%s:%d", x->file, x->line);
}

/* A tier name: what the kernel accepts, and not a number. */
static const char *bad_tier_name(const char *s)
{
	if (!*s)
		return "a tier name must not be empty";
	if (strlen(s) >= VSWAP_NAME_MAX)
		return "a tier name has at most 15 characters";
	if (all_digits(s))
		return "a tier name cannot be a number (numbers are tier ids)";
	if (*s == '.')
		return "a tier name must not start with '.'";
	for (const char *p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return "a tier name may hold only letters, digits, '-', '_' and '.'";
	if (!strcmp(s, "same"))
		return "the tier name \"same\" is reserved";
	return NULL;
}

/* "[vswap0]" or "[vswap0/nvme]": the text between the brackets. */
static int section(struct cfg_ctx *x, char *name)
{
	struct cfg *c = x->c;
	char *slash = strchr(name, '/');
	struct cfg_dev *d;
	struct cfg_tier *t;
	const char *why;
	uint32_t id;

	if (slash)
		*slash = '\0';
	if (strncmp(name, "vswap", 5) || parse_u32(name + 5, 1023, &id) ||
	    (name[5] == '0' && name[6]))
		return cfg_err(x, "[%s%s%s]: a section is [vswapN] or [vswapN/TIER]",
			       name, slash ? "/" : "", slash ? slash + 1 : "");
	d = cfg_dev_find(c, id);
	if (!d) {
		if (c->ndevs == CFG_MAX_DEVS)
			return cfg_err(x, "too many devices (at most %d)", CFG_MAX_DEVS);
		d = &c->devs[c->ndevs++];
		memset(d, 0, sizeof(*d));
		d->id = id;
		d->algo = -1;
	}
	set_where(x, d->where);
	x->dev = d;
	x->tier = NULL;
	x->in_section = true;
	if (!slash)
		return 0;

	name = slash + 1;
	why = bad_tier_name(name);
	if (why)
		return cfg_err(x, "[vswap%u/%s]: %s", id, name, why);
	t = cfg_tier_find(d, name);
	if (!t) {
		if (d->ntiers == CFG_MAX_TIERS)
			return cfg_err(x, "vswap%u: too many tiers (at most %d)", id,
				       CFG_MAX_TIERS);
		t = &d->tiers[d->ntiers++];
		memset(t, 0, sizeof(*t));
		t->set = (struct tier_args)TIER_ARGS_INIT;
		snprintf(t->name, sizeof(t->name), "%s", name);
		t->kind = !strcmp(name, "ram") ? VSWAP_TIER_KIND_RAM :
			  !strcmp(name, "zero") ? VSWAP_TIER_KIND_ZERO :
			  VSWAP_TIER_KIND_BLOCK;
	}
	set_where(x, t->where);
	x->tier = t;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Values. */

static int val_size(struct cfg_ctx *x, const char *key, const char *v, uint64_t *out)
{
	char err[160];

	if (size_expr(v, x->c->ram, out, err, sizeof(err)))
		return cfg_err(x, "%s = %s: %s", key, v, err);
	return 0;
}

static int val_u32(struct cfg_ctx *x, const char *key, const char *v, uint32_t max,
		   uint32_t *out)
{
	int ret = parse_u32(v, max, out);

	if (ret == -ERANGE)
		return cfg_err(x, "%s = %s: out of range (0..%u)", key, v, max);
	if (ret)
		return cfg_err(x, "%s = %s: not a number", key, v);
	return 0;
}

/* Seconds: "30" or "30s". */
static int val_seconds(struct cfg_ctx *x, const char *key, const char *v, uint32_t *out)
{
	char buf[32];
	size_t n = strlen(v);

	if (n && n < sizeof(buf) && v[n - 1] == 's') {
		memcpy(buf, v, n - 1);
		buf[n - 1] = '\0';
		v = buf;
	}
	return val_u32(x, key, v, UINT32_MAX, out);
}

enum key_id {
	K_SIZE, K_ALGO, K_LEVEL, K_SWAP_PRIO,
	K_DEVICE, K_CLASS, K_LIMIT, K_HIGH, K_LOW, K_IDLE, K_PRIO, K_TIMEOUT,
};

/* Where a key may appear. */
#define IN_DEV		(1 << 0)
#define IN_ZERO		(1 << 1)
#define IN_RAM		(1 << 2)
#define IN_BLOCK	(1 << 3)
#define IN_TIERS	(IN_RAM | IN_BLOCK)

static const struct {
	const char *name;
	enum key_id id;
	unsigned int where;
} keys[] = {
	{ "size",		K_SIZE,		IN_DEV },
	{ "algorithm",		K_ALGO,		IN_DEV },
	{ "level",		K_LEVEL,	IN_DEV },
	{ "swap-priority",	K_SWAP_PRIO,	IN_DEV },
	{ "device",		K_DEVICE,	IN_BLOCK },
	{ "class",		K_CLASS,	IN_BLOCK },
	{ "limit",		K_LIMIT,	IN_TIERS },
	{ "high-wmark",		K_HIGH,		IN_TIERS },
	{ "low-wmark",		K_LOW,		IN_TIERS },
	{ "idle-age",		K_IDLE,		IN_TIERS },
	{ "priority",		K_PRIO,		IN_TIERS | IN_ZERO },
	{ "device-timeout",	K_TIMEOUT,	IN_BLOCK },
};

static unsigned int section_kind(const struct cfg_ctx *x)
{
	if (!x->tier)
		return IN_DEV;
	switch (x->tier->kind) {
	case VSWAP_TIER_KIND_ZERO:
		return IN_ZERO;
	case VSWAP_TIER_KIND_RAM:
		return IN_RAM;
	default:
		return IN_BLOCK;
	}
}

static const char *section_name(const struct cfg_ctx *x, char *buf, size_t len)
{
	if (x->tier)
		snprintf(buf, len, "[vswap%u/%s]", x->dev->id, x->tier->name);
	else
		snprintf(buf, len, "[vswap%u]", x->dev->id);
	return buf;
}

static int unknown_key(struct cfg_ctx *x, const char *key)
{
	unsigned int kind = section_kind(x);
	char known[256] = "", sec[48];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		if (!(keys[i].where & kind))
			continue;
		n += (size_t)snprintf(known + n, sizeof(known) - n, "%s%s",
				      n ? ", " : "", keys[i].name);
	}
	return cfg_err(x, "unknown key '%s' in %s (known: %s)", key,
		       section_name(x, sec, sizeof(sec)), known);
}

static int assign(struct cfg_ctx *x, const char *key, const char *v)
{
	struct cfg_dev *d = x->dev;
	struct cfg_tier *t = x->tier;
	struct tier_args *a = t ? &t->set : NULL;
	unsigned int kind = section_kind(x);
	char sec[48];
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strcmp(key, keys[i].name))
			break;
	if (i == ARRAY_SIZE(keys))
		return unknown_key(x, key);
	if (!(keys[i].where & kind)) {
		if (kind == IN_ZERO)
			return cfg_err(x, "%s: the zero tier has no settings but its priority",
				       section_name(x, sec, sizeof(sec)));
		if (kind == IN_RAM && (keys[i].where & IN_BLOCK))
			return cfg_err(x, "%s: '%s' is for block device tiers",
				       section_name(x, sec, sizeof(sec)), key);
		if (kind == IN_DEV)
			return cfg_err(x, "%s: '%s' belongs in a tier's section [vswap%u/TIER]",
				       section_name(x, sec, sizeof(sec)), key, d->id);
		return cfg_err(x, "%s: '%s' belongs in the device's section [vswap%u]",
			       section_name(x, sec, sizeof(sec)), key, d->id);
	}
	if (!*v)
		return cfg_err(x, "%s: no value", key);

	switch (keys[i].id) {
	case K_SIZE:
		ret = val_size(x, key, v, &d->size);
		/* The kernel rounds down to whole pages. */
		d->size &= ~4095ULL;
		d->has_size = true;
		return ret;
	case K_ALGO:
		d->algo = algo_parse(v);
		if (d->algo < 0)
			return cfg_err(x, "algorithm = %s: lz4, lz4hc or zstd", v);
		return 0;
	case K_LEVEL:
		d->has_level = true;
		return val_u32(x, key, v, UINT32_MAX, &d->level);
	case K_SWAP_PRIO: {
		char *end;
		long p;

		errno = 0;
		p = strtol(v, &end, 10);
		if (*end || errno || p < -1 || p > 32767 || !(isdigit((unsigned char)*v) || *v == '-'))
			return cfg_err(x, "swap-priority = %s: -1..32767", v);
		d->has_swap_prio = true;
		d->swap_prio = (int)p;
		return 0;
	}
	case K_DEVICE:
		if (v[0] != '/')
			return cfg_err(x, "device = %s: an absolute path, e.g. /dev/disk/by-id/...", v);
		if (strlen(v) >= VSWAP_PATH_MAX)
			return cfg_err(x, "device: the path is too long (at most %d characters)",
				       VSWAP_PATH_MAX - 1);
		snprintf(t->path, sizeof(t->path), "%s", v);
		return 0;
	case K_CLASS:
		a->class = class_parse(v);
		if (a->class < 0)
			return cfg_err(x, "class = %s: fast or slow", v);
		return 0;
	case K_LIMIT:
		a->has_limit = true;
		if (!strcmp(v, "none") || !strcmp(v, "unlimited")) {
			a->limit = 0;
			return 0;
		}
		return val_size(x, key, v, &a->limit);
	case K_HIGH:
		a->has_high = true;
		return val_u32(x, key, v, 100, &a->high);
	case K_LOW:
		a->has_low = true;
		return val_u32(x, key, v, 100, &a->low);
	case K_IDLE:
		a->has_idle = true;
		return val_seconds(x, key, v, &a->idle);
	case K_PRIO:
		a->has_prio = true;
		return val_u32(x, key, v, UINT32_MAX, &a->prio);
	case K_TIMEOUT:
		t->has_timeout = true;
		return val_seconds(x, key, v, &t->device_timeout);
	}
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int parse_line(struct cfg_ctx *x, char *s)
{
	char *eq, *key, *val;

	s = trim(s);
	if (!*s || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		char *end = strchr(s, ']');

		if (!end)
			return cfg_err(x, "a section header needs a closing ']'");
		if (*trim(end + 1))
			return cfg_err(x, "text after the section header: '%s'", trim(end + 1));
		*end = '\0';
		return section(x, trim(s + 1));
	}
	eq = strchr(s, '=');
	if (!eq)
		return cfg_err(x, "'%s': not a 'key = value' line or a [section]", s);
	*eq = '\0';
	key = trim(s);
	val = trim(eq + 1);
	if (!*key)
		return cfg_err(x, "a line with no key before '='");
	if (!x->in_section)
		return cfg_err(x, "'%s' outside of any section: start with [vswap0]", key);
	return assign(x, key, val);
}

int cfg_parse(struct cfg *c, const char *file, const char *text, size_t len)
{
	struct cfg_ctx x = { .c = c, .file = file };
	size_t pos = 0;
	char line[1024];

	if (c->nfiles < ARRAY_SIZE(c->files))
		snprintf(c->files[c->nfiles++], CFG_WHERE_MAX, "%s", file);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

		x.line++;
		if (memchr(text + pos, '\0', n))
			return cfg_err(&x, "a NUL byte: not a text file");
		if (n >= sizeof(line))
			return cfg_err(&x, "the line is too long (at most %zu characters)",
				       sizeof(line) - 1);
		memcpy(line, text + pos, n);
		line[n] = '\0';
		if (parse_line(&x, line))
			return -1;
		pos += n + 1;
	}
	return 0;
}

static int __attribute__((format(printf, 3, 4))) where_err(struct cfg *c, const char *where,
							      const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(c->err, sizeof(c->err), "%s: ", where);

	if (n < 0 || (size_t)n >= sizeof(c->err))
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err + n, sizeof(c->err) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static bool level_ok(int algo, uint32_t level)
{
	static const uint32_t max[] = {
		[VSWAP_ALGO_LZ4] = 64, [VSWAP_ALGO_LZ4HC] = 16, [VSWAP_ALGO_ZSTD] = 22,
	};

	return level <= max[algo];
}

static int check_wmarks(struct cfg *c, const char *where, const struct tier_args *a)
{
	if (a->has_high && a->has_low && a->low >= a->high)
		return where_err(c, where,
				 "low-wmark (%u) must be below high-wmark (%u)",
				 a->low, a->high);
	return 0;
}

int cfg_finish(struct cfg *c)
{
	for (size_t i = 0; i < c->ndevs; i++) {
		struct cfg_dev *d = &c->devs[i];

		if (!d->has_size)
			return where_err(c, d->where, "[vswap%u] has no size", d->id);
		if (d->size < VSWAP_DEV_SIZE_MIN || d->size > VSWAP_DEV_SIZE_MAX)
			return where_err(c, d->where,
					 "[vswap%u]: size %llu bytes is out of range (1M..16T)",
					 d->id, (unsigned long long)d->size);
		if (d->has_level && d->algo < 0)
			return where_err(c, d->where,
					 "[vswap%u]: level needs algorithm (levels differ between algorithms)",
					 d->id);
		if (d->has_level && !level_ok(d->algo, d->level))
			return where_err(c, d->where,
					 "[vswap%u]: level %u is out of range for %s (lz4 1..64, lz4hc 1..16, zstd 1..22, 0 = default)",
					 d->id, d->level, algo_name((uint32_t)d->algo));
		for (size_t j = 0; j < d->ntiers; j++) {
			struct cfg_tier *t = &d->tiers[j];

			if (t->kind == VSWAP_TIER_KIND_BLOCK && !t->path[0])
				return where_err(c, t->where,
						 "[vswap%u/%s] has no device (device = /dev/...)",
						 d->id, t->name);
			if (check_wmarks(c, t->where, &t->set))
				return -1;
			for (size_t k = 0; k < j; k++)
				if (t->path[0] && !strcmp(t->path, d->tiers[k].path))
					return where_err(c, t->where,
							 "[vswap%u/%s]: %s is the device of tier %s too",
							 d->id, t->name, t->path, d->tiers[k].name);
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Files. */

char *cfg_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t n = 0, alloc = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t got;

		if (n + 4096 > alloc) {
			char *nb;

			alloc = alloc ? 2 * alloc : 8192;
			if (alloc > (64 << 20)) {
				errno = EFBIG;
				goto fail;
			}
			nb = realloc(buf, alloc);
			if (!nb)
				goto fail;
			buf = nb;
		}
		got = fread(buf + n, 1, alloc - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		errno = EIO;
		goto fail;
	}
	fclose(f);
	buf[n] = '\0';		/* room is left: the last read got nothing */
	*len = n;
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

static int load_file(struct cfg *c, const char *path, bool must_exist)
{
	size_t len;
	char *text = cfg_read_file(path, &len);
	int ret;

	if (!text) {
		if (errno == ENOENT && !must_exist)
			return 0;
		snprintf(c->err, sizeof(c->err), "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	ret = cfg_parse(c, path, text, len);
	free(text);
	return ret;
}

struct dropin {
	char name[256];
	char path[512];
};

static int dropin_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dropin *)a)->name, ((const struct dropin *)b)->name);
}

/* Add the *.conf of dir to *list; a name already there is replaced. */
static int scan_dropins(struct cfg *c, const char *dir, struct dropin **list, size_t *n)
{
	DIR *dp = opendir(dir);
	struct dirent *de;

	if (!dp) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		snprintf(c->err, sizeof(c->err), "cannot read %s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(dp))) {
		size_t len = strlen(de->d_name), i;
		struct dropin *d;

		if (de->d_name[0] == '.' || len < 6 || len >= sizeof(d->name) ||
		    strcmp(de->d_name + len - 5, ".conf"))
			continue;
		for (i = 0; i < *n; i++)
			if (!strcmp((*list)[i].name, de->d_name))
				break;
		if (i == *n) {
			d = realloc(*list, (*n + 1) * sizeof(**list));
			if (!d)
				abort();
			*list = d;
			(*n)++;
		}
		d = &(*list)[i];
		snprintf(d->name, sizeof(d->name), "%s", de->d_name);
		snprintf(d->path, sizeof(d->path), "%s/%s", dir, de->d_name);
	}
	closedir(dp);
	return 0;
}

int cfg_load(struct cfg *c, const struct cfg_source *src)
{
	const char *root = src->root ? src->root : "";
	char main_etc[512], main_lib[512], dir[512];
	struct dropin *list = NULL;
	struct stat st;
	size_t n = 0;
	int ret = 0;

	cfg_init(c, cfg_mem_total(root));
	if (src->config)
		return load_file(c, src->config, true) ?: cfg_finish(c);

	cfg_path(root, "/etc/vswap.conf", main_etc, sizeof(main_etc));
	cfg_path(root, "/usr/lib/vswap/vswap.conf", main_lib, sizeof(main_lib));
	/* /etc/vswap.conf, even a link to /dev/null, replaces the vendor's. */
	if (lstat(main_etc, &st) == 0)
		ret = load_file(c, main_etc, false);
	else
		ret = load_file(c, main_lib, false);
	if (ret)
		return ret;
	if (scan_dropins(c, cfg_path(root, "/usr/lib/vswap/vswap.conf.d", dir, sizeof(dir)),
			 &list, &n) ||
	    scan_dropins(c, cfg_path(root, "/etc/vswap.conf.d", dir, sizeof(dir)),
			 &list, &n)) {
		free(list);
		return -1;
	}
	if (n)
		qsort(list, n, sizeof(*list), dropin_cmp);
	for (size_t i = 0; i < n && !ret; i++)
		ret = load_file(c, list[i].path, false);
	free(list);
	return ret ?: cfg_finish(c);
}

/* ------------------------------------------------------------------ */
/* RAM. */

uint64_t cfg_mem_total(const char *root)
{
	char path[512], line[256];
	unsigned long long kb;
	uint64_t ret = 0;
	FILE *f = fopen(cfg_path(root, "/proc/meminfo", path, sizeof(path)), "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemTotal: %llu kB", &kb) == 1) {
			ret = (uint64_t)kb << 10;
			break;
		}
	}
	fclose(f);
	return ret;
}
