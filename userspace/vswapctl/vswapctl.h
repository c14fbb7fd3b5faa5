/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vswapctl: shared declarations.
 *
 * Layout: main.c (dispatch, help, usage errors), opts.c (the options every
 * command shares), nl.c (generic netlink session, extack, errors), obj.c
 * (netlink attributes into struct vs_obj, names of enum values),
 * json_print.c (the one print path) + json_writer.c (its JSON writer),
 * size.c (parsing and formatting numbers), dev.c, tier.c, status.c,
 * migrate.c, monitor.c, top.c + top_screen.c (the commands).
 */
#ifndef VSWAPCTL_H
#define VSWAPCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <getopt.h>
#include <linux/vswap.h>

#include "json_print.h"

#define PROG "vswapctl"

/* Exit codes. */
#define EXIT_OK		0
#define EXIT_USAGE	1
#define EXIT_KERNEL	2

/* ------------------------------------------------------------------ */
/* Objects: one message's attributes (a device, a tier or an event). */

struct vs_stats {
	bool has[VSWAP_STATS_A_MAX + 1];
	uint64_t v[VSWAP_STATS_A_MAX + 1];
};

struct vs_obj {
	uint8_t cmd;				/* VSWAP_CMD_* of the message */
	bool has[VSWAP_A_MAX + 1];		/* attribute present */
	uint64_t v[VSWAP_A_MAX + 1];		/* integer attributes */
	char dev_name[32];
	char tier_name[VSWAP_NAME_MAX];
	char tier_path[VSWAP_PATH_MAX];
	struct vs_stats dev_stats;
	struct vs_stats tier_stats;
};

static inline bool obj_has(const struct vs_obj *o, int attr)
{
	return attr > 0 && attr <= VSWAP_A_MAX && o->has[attr];
}

static inline uint64_t obj_get(const struct vs_obj *o, int attr)
{
	return obj_has(o, attr) ? o->v[attr] : 0;
}

/* A growable array of objects. */
struct vs_list {
	struct vs_obj *o;
	size_t n, alloc;
};

void list_push(struct vs_list *l, const struct vs_obj *o);
void list_free(struct vs_list *l);
void list_sort(struct vs_list *l);	/* by device id, then tier id */

/* Names of enum values ("ram", "active", ...); NULL when unknown. */
const char *kind_name(uint32_t v);
const char *class_name(uint32_t v);
const char *state_name(uint32_t v);
const char *algo_name(uint32_t v);
const char *mstate_name(uint32_t v);
const char *wmark_name(uint32_t v);
const char *io_op_name(uint32_t v);
const char *event_name(uint8_t cmd);	/* "dev-add", ... */
const char *attr_name(int attr);	/* "tier-limit", ... (YNL names) */
int algo_parse(const char *s);		/* enum vswap_algo, or -1 */
int class_parse(const char *s);		/* enum vswap_tier_class, or -1 */

/* ------------------------------------------------------------------ */
/* Netlink (nl.c). */

struct nl_msg;
struct nl_sock;

/* The last error the kernel returned. */
struct vnl_error {
	int err;		/* positive errno */
	char msg[256];		/* extack message, "" when none */
	int attr;		/* offending attribute (VSWAP_A_*), 0 when unknown */
	int miss_attr;		/* missing attribute (VSWAP_A_*), 0 when unknown */
};

extern struct vnl_error vnl_last_error;

void vnl_init(void);				/* exits 2 when vswap is missing */
struct nl_msg *vnl_req(uint8_t cmd, bool dump);
/* Send, wait for the ack; the reply's attributes into *reply (may be NULL). */
int vnl_do(struct nl_msg *msg, struct vs_obj *reply);
/* Send a dump request; every reply object appended to *out. */
int vnl_dump(struct nl_msg *msg, struct vs_list *out);
/* Print "vswapctl: <extack>: <strerror>" and exit 2. */
void __attribute__((noreturn)) vnl_die(const char *what, int err);

/* Attribute helpers (abort on a full message, which cannot happen). */
void vnl_put_u8(struct nl_msg *m, int attr, uint8_t v);
void vnl_put_u32(struct nl_msg *m, int attr, uint32_t v);
void vnl_put_u64(struct nl_msg *m, int attr, uint64_t v);
void vnl_put_str(struct nl_msg *m, int attr, const char *s);
void vnl_put_flag(struct nl_msg *m, int attr);

/* Events: a socket joined to the "events" group. */
struct nl_sock *vnl_events_open(void);
void vnl_events_close(struct nl_sock *sk);
/*
 * Wait up to timeout_ms (-1: forever) for events and hand each one to cb;
 * returns 0 on a timeout or after events, a negative errno on an error,
 * -ENOBUFS when events were lost (the socket stays usable), or cb's
 * nonzero return value (which stops the loop).
 */
int vnl_events_wait(struct nl_sock *sk, int timeout_ms,
		   int (*cb)(const struct vs_obj *ev, void *arg), void *arg);

/*
 * A subscription to the events of one device (filter) or of all (monitor.c;
 * monitor and top).  ev_sub_open exits 2 when the group cannot be joined.
 * ev_sub_wait waits up to timeout_ms (-1: forever) and hands each event
 * to cb; an overrun of the socket (events lost) counts in `lost` and the
 * subscription goes on.  Returns 0, or a negative errno when reading
 * failed.
 */
struct ev_sub {
	struct nl_sock *sk;
	bool filter;
	uint32_t dev;
	unsigned long lost;
};
void ev_sub_open(struct ev_sub *sub, bool filter, uint32_t dev);
int ev_sub_wait(struct ev_sub *sub, int timeout_ms,
		int (*cb)(const struct vs_obj *ev, void *arg), void *arg);
void ev_sub_close(struct ev_sub *sub);

/* ------------------------------------------------------------------ */
/* Parsing (size.c). */

int parse_size(const char *s, uint64_t *out);		/* 0, -EINVAL, -ERANGE */
int parse_u32(const char *s, uint32_t max, uint32_t *out);
int parse_dev(const char *s, uint32_t *id);		/* vswapN, N, /dev/vswapN */
const char *fmt_size(uint64_t bytes, char *buf, size_t len);

/* A tier as the user named it: a numeric id or a name. */
struct tier_ref {
	bool by_id;
	uint32_t id;
	char name[VSWAP_NAME_MAX];
};
int parse_tier(const char *s, struct tier_ref *t);
bool all_digits(const char *s);
void tier_ref_put(struct nl_msg *m, const struct tier_ref *t);

/* ------------------------------------------------------------------ */
/* Command-line helpers (opts.c; usage_error, warnx_ and run_subcmd: main.c). */

struct opts {
	bool json;
	bool pretty;
	bool bytes;
	bool no_headings;
	const char *columns;		/* -o */
};
extern struct opts opts;

void __attribute__((noreturn, format(printf, 1, 2))) usage_error(const char *fmt, ...);
void __attribute__((format(printf, 1, 2))) warnx_(const char *fmt, ...);

/*
 * Parse a command's options.  `longopts` are the command's own (their
 * `val` >= 256 or a letter in `shortopts`); the global options are
 * accepted too.  handle() gets each of the command's options.  Positional
 * arguments are returned in *args / *nargs.  -h prints `usage`, exits 0.
 */
void parse_cmd_opts(int argc, char **argv, const char *usage,
		    const struct option *longopts, const char *shortopts,
		    void (*handle)(int opt, const char *arg, void *ctx), void *ctx,
		    char ***args, int *nargs);

/* The global options before the command; returns the command's index. */
int parse_global_opts(int argc, char **argv, const char *usage);

/* Option value parsers that exit 1 with a usage error. */
uint64_t opt_size(const char *opt, const char *s);
uint32_t opt_u32(const char *opt, const char *s, uint32_t max);
uint32_t opt_dev(const char *s);
void opt_tier(const char *s, struct tier_ref *t);
uint32_t opt_algo(const char *s);

/* Subcommands: "dev add"; a unique prefix will do; dflt when none. */
struct subcmd {
	const char *name;
	int (*fn)(int argc, char **argv);
};
int run_subcmd(const char *group, const struct subcmd *subs, size_t n,
	       const char *dflt, int argc, char **argv);

/* Commands. */
int cmd_status(int argc, char **argv);
int cmd_dev(int argc, char **argv);
int cmd_tier(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_generator(int argc, char **argv);

/* A tier's settings as tier add / tier set / the config file give them. */
struct tier_args {
	int algo;			/* -1: not given */
	bool has_level, has_limit, has_high, has_low, has_idle, has_prio;
	uint32_t level, high, low, idle, prio;
	uint64_t limit;
	const char *name;
	int class;			/* -1: not given */
	bool drain, wait, cancel;
	int state;			/* --state: -1 not given */
	int nset;			/* settings given */
};
#define TIER_ARGS_INIT { .algo = -1, .class = -1, .state = -1 }

/* Algorithm, level, limit, watermarks, idle age, priority into m. */
void tier_args_put(struct nl_msg *m, const struct tier_args *a);
/*
 * Remove a tier; drain: move its pages elsewhere first; wait: follow the
 * drain to its end with progress.  0, or exits 2 when the kernel refuses;
 * returns EXIT_KERNEL when a drain ends without removing the tier.
 */
int tier_remove(uint32_t dev, const struct tier_ref *ref, bool drain, bool wait);
/* DEV_ADD: name may be NULL (the lowest free N); algo -1: the default. */
int dev_create(uint64_t size, const char *name, int algo, bool has_level,
	       uint32_t level, struct vs_obj *reply);
int cmd_top(int argc, char **argv);

/* Shared between commands; the get_* and tier_resolve exit 2 on errors. */
void get_devs(bool one, uint32_t id, struct vs_list *out);
void get_tiers(bool all_devs, uint32_t dev, struct vs_list *out);
int tier_get(uint32_t dev, const struct tier_ref *t, struct vs_obj *out);
int tier_resolve(uint32_t dev, const struct tier_ref *t, struct vs_obj *out);

/* The object printers: one per object, text or JSON (json_print.h). */
void print_dev(const struct vs_obj *d);
void print_tier(const struct vs_obj *t);
void print_migrate(const struct vs_obj *m);
void print_event(const struct vs_obj *ev);
extern const struct column dev_columns[];
extern const size_t n_dev_columns;
extern const struct column tier_columns[];
extern const size_t n_tier_columns;
#define DEV_DEFAULT_COLS  "name,size,in_use,pages,orig_bytes,stored_bytes,ratio,use_pct,meta_bytes"
#define TIER_SHOW_DEFAULT_COLS "dev,id,name,kind,class,state,algo,limit,pages,stored_bytes,ratio,use_pct,priority,path"
#define TIER_STATUS_DEFAULT_COLS "id,name,kind,state,algo,pages,orig_bytes,stored_bytes,ratio,limit,use_pct,reads,writes,migrated_in,migrated_out"

#endif /* VSWAPCTL_H */
