// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl apply: the plan.  A pure function of the configuration and
 * the kernel's devices and tiers (as DEV_GET / TIER_GET dumps return
 * them), so that it can be tested against made-up states.
 *
 * Order: devices are created first, then settings change, then tiers
 * whose device or class changed are drained and removed, then tiers are
 * added, and last the tiers the config no longer names are drained and
 * removed (--prune), so that their pages have the new tiers to go to.
 * Settings the config does not give are left as the kernel has them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "objprint.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum { PH_DEV, PH_SET, PH_REPLACE, PH_ADD, PH_PRUNE, PH_N };

/* The settings a tier section gives and the kernel reports. */
static const struct setting {
	unsigned int bit;
	const char *key;	/* config key, JSON "key" of a change */
	const char *json;	/* JSON key in an add */
	int attr;
	bool size;
} settings[] = {
	{ PS_LIMIT, "limit",	  "limit",	VSWAP_A_TIER_LIMIT,	 true },
	{ PS_HIGH,  "high-wmark", "high_wmark",	VSWAP_A_TIER_HIGH_WMARK, false },
	{ PS_LOW,   "low-wmark",  "low_wmark",	VSWAP_A_TIER_LOW_WMARK,	 false },
	{ PS_IDLE,  "idle-age",	  "idle_age",	VSWAP_A_TIER_IDLE_AGE,	 false },
	{ PS_PRIO,  "priority",	  "priority",	VSWAP_A_TIER_PRIORITY,	 false },
};

static bool args_get(const struct tier_args *a, unsigned int bit, uint64_t *v)
{
	switch (bit) {
	case PS_LIMIT:
		*v = a->limit;
		return a->has_limit;
	case PS_HIGH:
		*v = a->high;
		return a->has_high;
	case PS_LOW:
		*v = a->low;
		return a->has_low;
	case PS_IDLE:
		*v = a->idle;
		return a->has_idle;
	case PS_PRIO:
		*v = a->prio;
		return a->has_prio;
	case PS_LEVEL:
		*v = a->level;
		return a->has_level;
	case PS_ALGO:
		*v = (uint64_t)(int64_t)a->algo;
		return a->algo >= 0;
	}
	return false;
}

/* ------------------------------------------------------------------ */

struct builder {
	struct plan *p;
	const struct plan_opts *o;
	struct plan_item *ph[PH_N];
	size_t n[PH_N];
};

static struct plan_item *push(struct builder *b, int phase, enum plan_op op,
			      uint32_t dev, const char *tier)
{
	struct plan_item *it;

	b->ph[phase] = realloc(b->ph[phase], (b->n[phase] + 1) * sizeof(*it));
	if (!b->ph[phase])
		abort();
	it = &b->ph[phase][b->n[phase]++];
	memset(it, 0, sizeof(*it));
	it->op = op;
	it->dev = dev;
	it->want = (struct tier_args)TIER_ARGS_INIT;
	snprintf(it->tier, sizeof(it->tier), "%s", tier ? tier : "");
	return it;
}

static void __attribute__((format(printf, 2, 3))) note(struct plan *p, const char *fmt, ...)
{
	va_list ap;

	if (p->nnotes == ARRAY_SIZE(p->notes))
		return;
	va_start(ap, fmt);
	vsnprintf(p->notes[p->nnotes++], sizeof(p->notes[0]), fmt, ap);
	va_end(ap);
}

static int __attribute__((format(printf, 2, 3))) fail(struct plan *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return -1;
}

static bool default_path_ok(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static bool default_same_dev(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!strcmp(a, b))
		return true;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && S_ISBLK(sa.st_mode) &&
	       S_ISBLK(sb.st_mode) && sa.st_rdev == sb.st_rdev;
}

static bool path_ok(const struct builder *b, const char *path)
{
	return (b->o->path_ok ? b->o->path_ok : default_path_ok)(path);
}

static bool same_dev(const struct builder *b, const char *x, const char *y)
{
	return (b->o->same_dev ? b->o->same_dev : default_same_dev)(x, y);
}

/* The settings of want that differ from the kernel's tier cur (NULL: new). */
static unsigned int diff(const struct tier_args *want, const struct vs_obj *cur)
{
	unsigned int mask = 0;
	uint64_t v;

	for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
		if (!args_get(want, settings[i].bit, &v))
			continue;
		if (!cur || !obj_has(cur, settings[i].attr) ||
		    obj_get(cur, settings[i].attr) != v)
			mask |= settings[i].bit;
	}
	return mask;
}

/* A TIER_SET of the bits in mask, when there are any. */
static void push_set(struct builder *b, uint32_t dev, const char *name,
		     const struct tier_args *want, unsigned int mask,
		     const struct vs_obj *cur)
{
	struct plan_item *it;

	if (!mask)
		return;
	it = push(b, PH_SET, PLAN_TIER_SET, dev, name);
	it->want = *want;
	it->want.name = NULL;
	it->mask = mask;
	if (cur) {
		it->cur = *cur;
		if (mask & PS_NAME) {
			it->by_id = true;
			it->tier_id = (uint32_t)obj_get(cur, VSWAP_A_TIER_ID);
		}
	}
}

/* The compressor the device section asks for, against the ram tier. */
static unsigned int algo_diff(const struct cfg_dev *d, const struct vs_obj *ram)
{
	if (d->algo >= 0 && (uint64_t)d->algo != obj_get(ram, VSWAP_A_TIER_ALGO))
		return PS_ALGO | (d->has_level ? PS_LEVEL : 0);
	/* Level 0 is the default, which the kernel reports as a number. */
	if (d->has_level && d->level && d->level != obj_get(ram, VSWAP_A_TIER_LEVEL))
		return PS_LEVEL;
	return 0;
}

static const struct cfg_tier *cfg_tier_kind(const struct cfg_dev *d, uint32_t kind)
{
	for (size_t i = 0; i < d->ntiers; i++)
		if (d->tiers[i].kind == kind)
			return &d->tiers[i];
	return NULL;
}

static void push_add(struct builder *b, const struct cfg_dev *d, const struct cfg_tier *t,
		     int phase)
{
	struct plan_item *it;

	if (!path_ok(b, t->path)) {
		note(b->p, "vswap%u/%s: %s does not exist; the tier is skipped", d->id,
		     t->name, t->path);
		return;
	}
	it = push(b, phase, PLAN_TIER_ADD, d->id, t->name);
	it->kind = VSWAP_TIER_KIND_BLOCK;
	snprintf(it->path, sizeof(it->path), "%s", t->path);
	it->want = t->set;
	it->mask = diff(&t->set, NULL);
}

static void push_del(struct builder *b, const struct vs_obj *kt, int phase)
{
	struct plan_item *it = push(b, phase, PLAN_TIER_DEL,
				    (uint32_t)obj_get(kt, VSWAP_A_DEV_ID), kt->tier_name);

	it->cur = *kt;
	snprintf(it->path, sizeof(it->path), "%s", kt->tier_path);
	it->pages = stat_get(&kt->tier_stats, VSWAP_STATS_A_PAGES);
}

/* A device the kernel does not have yet: everything is new. */
static int plan_new_dev(struct builder *b, const struct cfg_dev *d)
{
	const struct cfg_tier *ram = cfg_tier_kind(d, VSWAP_TIER_KIND_RAM);
	const struct cfg_tier *zero = cfg_tier_kind(d, VSWAP_TIER_KIND_ZERO);
	struct plan_item *it = push(b, PH_DEV, PLAN_DEV_ADD, d->id, NULL);

	it->cdev = d;
	if (ram)
		push_set(b, d->id, "ram", &ram->set, diff(&ram->set, NULL), NULL);
	if (zero)
		push_set(b, d->id, "zero", &zero->set, diff(&zero->set, NULL), NULL);
	for (size_t i = 0; i < d->ntiers; i++) {
		const struct cfg_tier *t = &d->tiers[i];

		if (t->kind == VSWAP_TIER_KIND_BLOCK) {
			if (!path_ok(b, t->path) && !b->o->missing_ok)
				return fail(b->p, "%s: vswap%u/%s: %s does not exist (--missing-ok skips it)",
					    t->where, d->id, t->name, t->path);
			push_add(b, d, t, PH_ADD);
		}
	}
	return 0;
}

static int plan_ram(struct builder *b, const struct cfg_dev *d, const struct vs_list *kt)
{
	const struct cfg_tier *ram = cfg_tier_kind(d, VSWAP_TIER_KIND_RAM);
	struct tier_args want = ram ? ram->set : (struct tier_args)TIER_ARGS_INIT;
	const struct vs_obj *cur = NULL;
	unsigned int mask;

	for (size_t i = 0; i < kt->n; i++)
		if (obj_get(&kt->o[i], VSWAP_A_TIER_KIND) == VSWAP_TIER_KIND_RAM)
			cur = &kt->o[i];
	want.algo = d->algo;
	want.has_level = d->has_level;
	want.level = d->level;
	if (!cur) {
		/* Deleted by hand: back it comes, with what the config says. */
		struct plan_item *it = push(b, PH_ADD, PLAN_TIER_ADD, d->id, "ram");

		it->kind = VSWAP_TIER_KIND_RAM;
		it->want = want;
		it->mask = diff(&want, NULL) | (want.algo >= 0 ? PS_ALGO : 0) |
			   (want.has_level ? PS_LEVEL : 0);
		return 0;
	}
	mask = diff(&want, cur) | algo_diff(d, cur);
	if (strcmp(cur->tier_name, "ram"))
		mask |= PS_NAME;
	push_set(b, d->id, "ram", &want, mask, cur);
	return 0;
}

static int plan_dev(struct builder *b, const struct cfg_dev *d, const struct vs_obj *kd,
		    const struct vs_list *all_tiers)
{
	const struct cfg_tier *zero = cfg_tier_kind(d, VSWAP_TIER_KIND_ZERO);
	struct vs_list kt = { 0 };
	bool matched[CFG_MAX_TIERS * 2] = { false };
	char sz1[32], sz2[32];
	int ret = 0;

	if (obj_get(kd, VSWAP_A_DEV_SIZE) != d->size)
		return fail(b->p, "%s: vswap%u is %s, the config says %s: a device cannot be resized (swapoff, vswapctl dev del vswap%u, then apply)",
			    d->where, d->id,
			    fmt_size(obj_get(kd, VSWAP_A_DEV_SIZE), sz1, sizeof(sz1)),
			    fmt_size(d->size, sz2, sizeof(sz2)), d->id);
	for (size_t i = 0; i < all_tiers->n; i++)
		if (obj_get(&all_tiers->o[i], VSWAP_A_DEV_ID) == d->id &&
		    kt.n < ARRAY_SIZE(matched))
			list_push(&kt, &all_tiers->o[i]);

	plan_ram(b, d, &kt);
	for (size_t i = 0; i < kt.n; i++) {
		const struct vs_obj *k = &kt.o[i];

		if (obj_get(k, VSWAP_A_TIER_KIND) == VSWAP_TIER_KIND_BLOCK)
			continue;
		matched[i] = true;
		if (zero && obj_get(k, VSWAP_A_TIER_KIND) == VSWAP_TIER_KIND_ZERO)
			push_set(b, d->id, k->tier_name, &zero->set, diff(&zero->set, k), k);
	}

	for (size_t j = 0; j < d->ntiers && !ret; j++) {
		const struct cfg_tier *t = &d->tiers[j];
		const struct vs_obj *k = NULL;
		size_t i;

		if (t->kind != VSWAP_TIER_KIND_BLOCK)
			continue;
		for (i = 0; i < kt.n; i++)
			if (!strcmp(kt.o[i].tier_name, t->name) &&
			    (!matched[i] ||
			     obj_get(&kt.o[i], VSWAP_A_TIER_KIND) != VSWAP_TIER_KIND_BLOCK))
				break;
		/* Not by name: the same device under another name is a rename. */
		if (i == kt.n)
			for (i = 0; i < kt.n; i++)
				if (!matched[i] &&
				    obj_get(&kt.o[i], VSWAP_A_TIER_KIND) == VSWAP_TIER_KIND_BLOCK &&
				    !cfg_tier_find((struct cfg_dev *)d, kt.o[i].tier_name) &&
				    same_dev(b, kt.o[i].tier_path, t->path))
					break;
		if (i == kt.n) {
			if (!path_ok(b, t->path) && !b->o->missing_ok) {
				ret = fail(b->p, "%s: vswap%u/%s: %s does not exist (--missing-ok skips it)",
					   t->where, d->id, t->name, t->path);
				break;
			}
			push_add(b, d, t, PH_ADD);
			continue;
		}
		k = &kt.o[i];
		matched[i] = true;
		if (obj_get(k, VSWAP_A_TIER_KIND) != VSWAP_TIER_KIND_BLOCK) {
			ret = fail(b->p, "%s: vswap%u/%s is a %s tier in the kernel, not a block device tier",
				   t->where, d->id, t->name,
				   kind_name((uint32_t)obj_get(k, VSWAP_A_TIER_KIND)) ?: "?");
			break;
		}
		if (!same_dev(b, k->tier_path, t->path) ||
		    (t->set.class >= 0 && (uint64_t)t->set.class != obj_get(k, VSWAP_A_TIER_CLASS))) {
			if (!b->o->prune) {
				ret = fail(b->p, "%s: vswap%u/%s is %s (%s) in the kernel, the config says %s (%s): replacing a tier drains it, use --prune",
					   t->where, d->id, t->name, k->tier_path,
					   class_name((uint32_t)obj_get(k, VSWAP_A_TIER_CLASS)) ?: "?",
					   t->path, t->set.class >= 0 ?
					   class_name((uint32_t)t->set.class) : "any class");
				break;
			}
			push_del(b, k, PH_REPLACE);
			push_add(b, d, t, PH_ADD);
			continue;
		}
		push_set(b, d->id, t->name, &t->set,
			 diff(&t->set, k) | (strcmp(k->tier_name, t->name) ? PS_NAME : 0), k);
	}

	for (size_t i = 0; i < kt.n && !ret; i++) {
		if (matched[i])
			continue;
		if (b->o->prune)
			push_del(b, &kt.o[i], PH_PRUNE);
		else
			note(b->p, "vswap%u/%s (%s) is not in the config; kept (--prune drains and removes it)",
			     d->id, kt.o[i].tier_name, kt.o[i].tier_path);
	}
	list_free(&kt);
	return ret;
}

int plan_make(struct plan *p, const struct cfg *c, const struct vs_list *devs,
	      const struct vs_list *tiers, const struct plan_opts *o)
{
	struct builder b = { .p = p, .o = o };
	bool found = false;
	int ret = 0;

	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < c->ndevs && !ret; i++) {
		const struct cfg_dev *d = &c->devs[i];
		const struct vs_obj *kd = NULL;

		if (o->one_dev && d->id != o->dev)
			continue;
		found = true;
		for (size_t j = 0; j < devs->n; j++)
			if (obj_get(&devs->o[j], VSWAP_A_DEV_ID) == d->id)
				kd = &devs->o[j];
		ret = kd ? plan_dev(&b, d, kd, tiers) : plan_new_dev(&b, d);
	}
	if (!ret && o->one_dev && !found)
		ret = fail(p, "vswap%u is not in the configuration", o->dev);
	for (int ph = 0; ph < PH_N; ph++) {
		for (size_t i = 0; i < b.n[ph] && !ret; i++) {
			if (p->n == p->alloc) {
				p->alloc = p->alloc ? 2 * p->alloc : 16;
				p->items = realloc(p->items, p->alloc * sizeof(*p->items));
				if (!p->items)
					abort();
			}
			p->items[p->n++] = b.ph[ph][i];
		}
		free(b.ph[ph]);
	}
	return ret;
}

void plan_free(struct plan *p)
{
	free(p->items);
	memset(p, 0, sizeof(*p));
}

/* ------------------------------------------------------------------ */
/* Printing: one line per change, or one JSON object per change. */

static void pr_head(const struct plan_item *it, const char *op)
{
	char name[48];

	open_json_object(NULL);
	snprintf(name, sizeof(name), "vswap%u", it->dev);
	print_string(PRINT_ANY, "dev", "%s", name);
	if (it->tier[0])
		print_string(PRINT_ANY, "tier", "/%s", it->tier);
	else
		print_null(PRINT_JSON, "tier", NULL);
	print_string(PRINT_ANY, "op", ": %s", op);
}

static void pr_end(void)
{
	print_text("\n");
	close_json_object();
}

static void pr_value(const char *key, const char *fmt, bool size, uint64_t v)
{
	if (size && !v) {
		/* A limit of 0: no limit. */
		print_u64(PRINT_JSON, key, NULL, 0);
		print_string(PRINT_TEXT, key, fmt, "none");
	} else if (size) {
		print_size(PRINT_ANY, key, fmt, v);
	} else {
		print_u64(PRINT_ANY, key, fmt, v);
	}
}

/* The settings of an add, ", key value" each. */
static void pr_settings(const struct plan_item *it)
{
	uint64_t v;

	if (it->want.algo >= 0)
		print_string(PRINT_ANY, "algorithm", ", algorithm %s",
			     algo_name((uint32_t)it->want.algo));
	if (it->want.has_level)
		print_u64(PRINT_ANY, "level", ", level %s", it->want.level);
	if (it->want.class >= 0)
		print_string(PRINT_ANY, "class", ", class %s",
			     class_name((uint32_t)it->want.class));
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
		char fmt[40];

		if (!args_get(&it->want, settings[i].bit, &v))
			continue;
		snprintf(fmt, sizeof(fmt), ", %s %%s", settings[i].key);
		pr_value(settings[i].json, fmt, settings[i].size, v);
	}
}

/* One set: "vswap0/ram: set limit 64M -> 1G". */
static void pr_change(const struct plan_item *it, const char *key, bool size,
		      bool has_from, uint64_t from, uint64_t to,
		      const char *(*name)(uint32_t))
{
	pr_head(it, "set");
	print_string(PRINT_ANY, "key", " %s", key);
	if (!has_from)
		print_null(PRINT_JSON, "from", NULL);
	else if (name)
		print_string(PRINT_ANY, "from", " %s ->", name((uint32_t)from) ?: "?");
	else
		pr_value("from", " %s ->", size, from);
	if (name)
		print_string(PRINT_ANY, "to", " %s", name((uint32_t)to) ?: "?");
	else
		pr_value("to", " %s", size, to);
	pr_end();
}

static void pr_set(const struct plan_item *it)
{
	const struct vs_obj *c = &it->cur;
	uint64_t v;

	if (it->mask & PS_NAME) {
		pr_head(it, "set");
		print_string(PRINT_ANY, "key", " %s", "name");
		print_string(PRINT_ANY, "from", " %s ->", c->tier_name);
		print_string(PRINT_ANY, "to", " %s", it->tier);
		pr_end();
	}
	if (it->mask & PS_ALGO)
		pr_change(it, "algorithm", false, obj_has(c, VSWAP_A_TIER_ALGO),
			  obj_get(c, VSWAP_A_TIER_ALGO), (uint64_t)it->want.algo, algo_name);
	if (it->mask & PS_LEVEL)
		pr_change(it, "level", false, obj_has(c, VSWAP_A_TIER_LEVEL),
			  obj_get(c, VSWAP_A_TIER_LEVEL), it->want.level, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
		if (!(it->mask & settings[i].bit) || !args_get(&it->want, settings[i].bit, &v))
			continue;
		pr_change(it, settings[i].key, settings[i].size,
			  obj_has(c, settings[i].attr), obj_get(c, settings[i].attr), v, NULL);
	}
}

void plan_print_item(const struct plan_item *it)
{
	switch (it->op) {
	case PLAN_DEV_ADD: {
		const struct cfg_dev *d = it->cdev;

		pr_head(it, "create");
		print_size(PRINT_ANY, "size", ", size %s", d->size);
		if (d->algo >= 0)
			print_string(PRINT_ANY, "algorithm", ", algorithm %s",
				     algo_name((uint32_t)d->algo));
		if (d->has_level)
			print_u64(PRINT_ANY, "level", ", level %s", d->level);
		pr_end();
		break;
	}
	case PLAN_TIER_ADD:
		pr_head(it, "add");
		if (it->kind == VSWAP_TIER_KIND_RAM)
			print_string(PRINT_ANY, "path", " %s", "ram");
		else
			print_string(PRINT_ANY, "path", " %s", it->path);
		pr_settings(it);
		pr_end();
		break;
	case PLAN_TIER_SET:
		pr_set(it);
		break;
	case PLAN_TIER_DEL:
		pr_head(it, "remove");
		print_string(PRINT_ANY, "path", " %s", it->path[0] ? it->path : "-");
		print_size(PRINT_ANY, "drain_bytes", ", drain %s",
			   it->pages * (uint64_t)page_size());
		pr_end();
		break;
	}
}

void plan_print(const struct plan *p)
{
	open_json_array(NULL);
	for (size_t i = 0; i < p->n; i++)
		plan_print_item(&p->items[i]);
	close_json_array();
	if (!p->n)
		print_text("no changes\n");
	print_json_end();
}
