/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswapctl: the configuration file (vswap.conf(5)), size expressions,
 * and the plan `vswapctl apply` makes from them.
 *
 * config.c reads /usr/lib/vswap/vswap.conf, /etc/vswap.conf and the
 * drop-ins of both vswap.conf.d/ directories (a name in /etc masks the
 * same name in /usr/lib; all in lexical order after the main file) into a
 * struct cfg.  sizeexpr.c evaluates "min(ram / 2, 8G)".  plan.c compares
 * a struct cfg with the kernel's devices and tiers and lists the changes;
 * apply.c prints and executes them; generator.c writes systemd units.
 */
#ifndef VSWAPCTL_CONFIG_H
#define VSWAPCTL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vswapctl.h"

#define CFG_MAX_DEVS	32
#define CFG_MAX_TIERS	16		/* the kernel's VSWAP_MAX_TIERS */
#define CFG_WHERE_MAX	300		/* "file:line" */
#define CFG_ERR_MAX	640

struct cfg_tier {
	char name[VSWAP_NAME_MAX];
	uint32_t kind;			/* VSWAP_TIER_KIND_{ZERO,RAM,BLOCK} */
	char path[VSWAP_PATH_MAX];	/* block: "device =" */
	struct tier_args set;		/* limit, watermarks, idle age, priority, class */
	bool has_timeout;
	uint32_t device_timeout;	/* seconds, for the generator */
	char where[CFG_WHERE_MAX];	/* the section's first header */
};

struct cfg_dev {
	uint32_t id;			/* N of vswapN */
	bool has_size;
	uint64_t size;			/* bytes, a multiple of 4 KiB */
	int algo;			/* -1: not given */
	bool has_level;
	uint32_t level;
	bool has_swap_prio;
	int swap_prio;			/* -1..32767, swapon --priority */
	char where[CFG_WHERE_MAX];
	struct cfg_tier tiers[CFG_MAX_TIERS];
	size_t ntiers;
};

struct cfg {
	struct cfg_dev devs[CFG_MAX_DEVS];
	size_t ndevs;
	uint64_t ram;			/* bytes of RAM, for size expressions */
	char files[8][CFG_WHERE_MAX];	/* the first files read, for messages */
	size_t nfiles;
	char err[CFG_ERR_MAX];		/* "file:line: what is wrong" */
};

/* Where to read from: paths are under root ("" or NULL: /). */
struct cfg_source {
	const char *root;
	const char *config;		/* one file instead of the search */
};

/*
 * Read the configuration: 0, or -1 with c->err set.  RAM is MemTotal of
 * root/proc/meminfo.  No file at all is an empty configuration.
 */
int cfg_load(struct cfg *c, const struct cfg_source *src);
/* One file's text, over what c already holds; 0 or -1 (c->err). */
int cfg_parse(struct cfg *c, const char *file, const char *text, size_t len);
/* After the last file: every device has a size, every block tier a device. */
int cfg_finish(struct cfg *c);
void cfg_init(struct cfg *c, uint64_t ram);

/* MemTotal of root/proc/meminfo in bytes, 0 when unknown. */
uint64_t cfg_mem_total(const char *root);
/* root + path into buf. */
const char *cfg_path(const char *root, const char *path, char *buf, size_t len);
/* The whole file into a malloc'd buffer (NUL-terminated); NULL with errno. */
char *cfg_read_file(const char *path, size_t *len);

struct cfg_dev *cfg_dev_find(struct cfg *c, uint32_t id);
struct cfg_tier *cfg_tier_find(struct cfg_dev *d, const char *name);

/*
 * A size expression: numbers with optional K, M, G, T suffixes (x1024),
 * "ram", + - * /, parentheses, min(a, b, ...), max(a, b, ...).  0 or -1
 * with a message in err ("at column 7: ...").
 */
int size_expr(const char *s, uint64_t ram, uint64_t *out, char *err, size_t errlen);

/* ------------------------------------------------------------------ */
/* The plan (plan.c): what apply changes, in the order it does it. */

enum plan_op {
	PLAN_DEV_ADD,		/* create the device (and its ram tier) */
	PLAN_TIER_ADD,		/* add a tier */
	PLAN_TIER_SET,		/* change settings of a tier */
	PLAN_TIER_DEL,		/* drain and remove a tier (--prune) */
};

/* Setting bits of a PLAN_TIER_SET. */
enum {
	PS_ALGO = 1 << 0, PS_LEVEL = 1 << 1, PS_LIMIT = 1 << 2, PS_HIGH = 1 << 3,
	PS_LOW = 1 << 4, PS_IDLE = 1 << 5, PS_PRIO = 1 << 6, PS_NAME = 1 << 7,
};

struct plan_item {
	enum plan_op op;
	uint32_t dev;
	char tier[VSWAP_NAME_MAX];	/* the tier's name after the change */
	bool by_id;			/* address the tier by id (a rename) */
	uint32_t tier_id;
	uint32_t kind;			/* TIER_ADD: ram or block */
	char path[VSWAP_PATH_MAX];	/* TIER_ADD, TIER_DEL */
	struct tier_args want;		/* ADD, SET: the new values */
	unsigned int mask;		/* SET: which change */
	struct vs_obj cur;		/* SET, DEL: the tier as it is */
	const struct cfg_dev *cdev;	/* DEV_ADD */
	uint64_t pages;			/* DEL: pages to drain */
};

struct plan {
	struct plan_item *items;
	size_t n, alloc;
	char err[CFG_ERR_MAX];		/* why the config cannot be applied */
	char notes[8][CFG_ERR_MAX];	/* warnings: skipped, kept tiers */
	size_t nnotes;
};

struct plan_opts {
	bool prune;		/* remove tiers the config does not name */
	bool missing_ok;	/* skip tiers whose device does not exist */
	bool one_dev;		/* only the device dev */
	uint32_t dev;
	/* Does this path exist (a block device)?  NULL: stat(). */
	bool (*path_ok)(const char *path);
	/* Do two paths name the same device?  NULL: stat() st_rdev. */
	bool (*same_dev)(const char *a, const char *b);
};

/*
 * Compare cfg with the kernel's devices and tiers: 0, or -1 with p->err
 * (a change the kernel cannot make, e.g. a resize).
 */
int plan_make(struct plan *p, const struct cfg *c, const struct vs_list *devs,
	      const struct vs_list *tiers, const struct plan_opts *o);
void plan_free(struct plan *p);
/* One line per change (text) or one object (JSON), the one print path. */
void plan_print(const struct plan *p);
void plan_print_item(const struct plan_item *it);
/* Carry out one change: 0, or exits 2 (EXIT_KERNEL from a failed drain). */
int plan_exec_item(const struct plan_item *it);

/* The generator's helpers (generator.c). */
/* Systemd's unit name of a path: "/dev/disk/by-id/x-1" -> "dev-disk-by\x2did-x\x2d1". */
int unit_name_from_path(const char *path, const char *suffix, char *buf, size_t len);
/* vswap=off (or 0, no, false) on root/proc/cmdline. */
bool gen_cmdline_off(const char *root);

#endif
