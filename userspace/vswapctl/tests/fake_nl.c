// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for nl.c: canned answers, so that every print path of
 * vswapctl can be checked on a host without the vswap module (make check).
 * Two devices (vswap0 with the zero, ram and a block tier; vswap3 with
 * zero and ram), a migration that runs and ends, and one event of each
 * kind.  FAKE_ERRNO=N makes every request fail with errno N and the
 * extack message in FAKE_EXTACK (may be empty).  FAKE_GROW=1 (for top's
 * rates): nvme is active, and every tier dump finds 64 more pages moved
 * from ram to nvme by demotion, read from ram and written to nvme.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../vswapctl.h"

struct vnl_error vnl_last_error;

/* The request being built. */
struct fake_req {
	uint8_t cmd;
	bool dump;
	struct vs_obj a;	/* the attributes put */
};

static struct fake_req req;

static void set(struct vs_obj *o, int attr, uint64_t v)
{
	o->has[attr] = true;
	o->v[attr] = v;
}

static void stats(struct vs_stats *st, uint64_t pages, uint64_t orig, uint64_t stored,
		  bool dev)
{
	for (int i = VSWAP_STATS_A_PAGES; i <= VSWAP_STATS_A_MAX; i++) {
		if (dev && i > VSWAP_STATS_A_FAILED_WRITES)
			break;
		if (!dev && (i == VSWAP_STATS_A_DISCARDS || i == VSWAP_STATS_A_FREES))
			continue;
		st->has[i] = true;
		st->v[i] = (uint64_t)i * 3;
	}
	st->v[VSWAP_STATS_A_PAGES] = pages;
	st->v[VSWAP_STATS_A_ORIG_BYTES] = orig;
	st->v[VSWAP_STATS_A_STORED_BYTES] = stored;
}

static void make_dev(struct vs_obj *o, uint32_t id, uint64_t size, bool busy)
{
	memset(o, 0, sizeof(*o));
	o->cmd = VSWAP_CMD_DEV_GET;
	set(o, VSWAP_A_DEV_ID, id);
	set(o, VSWAP_A_DEV_NAME, 0);
	snprintf(o->dev_name, sizeof(o->dev_name), "vswap%u", id);
	set(o, VSWAP_A_DEV_SIZE, size);
	set(o, VSWAP_A_DEV_IN_USE, busy);
	set(o, VSWAP_A_DEV_META_BYTES, 4352);
	set(o, VSWAP_A_DEV_STATS, 0);
	stats(&o->dev_stats, busy ? 1000 : 0, busy ? 4096000 : 0, busy ? 1200000 : 0, true);
}

static void make_tier(struct vs_obj *o, uint32_t dev, uint32_t id)
{
	static const char *const names[] = { "zero", "ram", "nvme" };

	memset(o, 0, sizeof(*o));
	o->cmd = VSWAP_CMD_TIER_GET;
	set(o, VSWAP_A_DEV_ID, dev);
	set(o, VSWAP_A_TIER_ID, id);
	set(o, VSWAP_A_TIER_NAME, 0);
	strcpy(o->tier_name, names[id]);
	set(o, VSWAP_A_TIER_KIND, id + 1);
	set(o, VSWAP_A_TIER_STATE, id == 2 ? VSWAP_TIER_STATE_DRAINING : VSWAP_TIER_STATE_ACTIVE);
	set(o, VSWAP_A_TIER_PRIORITY, id);
	if (id == 1) {
		set(o, VSWAP_A_TIER_ALGO, VSWAP_ALGO_ZSTD);
		set(o, VSWAP_A_TIER_LEVEL, dev ? 0 : 3);
		set(o, VSWAP_A_TIER_LIMIT, dev ? 0 : 64 << 20);
		set(o, VSWAP_A_TIER_LIMIT_AUTO, dev ? 40 << 20 : 0);
		set(o, VSWAP_A_TIER_HIGH_WMARK, 90);
		set(o, VSWAP_A_TIER_LOW_WMARK, 70);
		set(o, VSWAP_A_TIER_IDLE_AGE, 0);
	}
	if (id == 2) {
		set(o, VSWAP_A_TIER_CLASS, VSWAP_TIER_CLASS_FAST);
		set(o, VSWAP_A_TIER_PATH, 0);
		strcpy(o->tier_path, "/dev/nvme0n1 \"quoted\"\\\t");
		set(o, VSWAP_A_TIER_CAPACITY, 1ULL << 20);
		set(o, VSWAP_A_TIER_LIMIT, 0);
	}
	set(o, VSWAP_A_TIER_STATS, 0);
	stats(&o->tier_stats, id * 400, id * 1638400, id == 0 ? 0 : id * 500000, false);
}

static int fail_maybe(void)
{
	const char *e = getenv("FAKE_ERRNO");

	if (!e)
		return 0;
	memset(&vnl_last_error, 0, sizeof(vnl_last_error));
	vnl_last_error.err = atoi(e);
	snprintf(vnl_last_error.msg, sizeof(vnl_last_error.msg), "%s",
		 getenv("FAKE_EXTACK") ? getenv("FAKE_EXTACK") : "");
	if (getenv("FAKE_ATTR"))
		vnl_last_error.attr = atoi(getenv("FAKE_ATTR"));
	return -vnl_last_error.err;
}

void vnl_init(void)
{
}

struct nl_msg *vnl_req(uint8_t cmd, bool dump)
{
	memset(&req, 0, sizeof(req));
	req.cmd = cmd;
	req.dump = dump;
	return (struct nl_msg *)&req;
}

void vnl_put_u8(struct nl_msg *m, int attr, uint8_t v)
{
	set(&((struct fake_req *)m)->a, attr, v);
}

void vnl_put_u32(struct nl_msg *m, int attr, uint32_t v)
{
	set(&((struct fake_req *)m)->a, attr, v);
}

void vnl_put_u64(struct nl_msg *m, int attr, uint64_t v)
{
	set(&((struct fake_req *)m)->a, attr, v);
}

void vnl_put_str(struct nl_msg *m, int attr, const char *s)
{
	struct fake_req *r = (struct fake_req *)m;

	set(&r->a, attr, 0);
	if (attr == VSWAP_A_TIER_NAME)
		snprintf(r->a.tier_name, sizeof(r->a.tier_name), "%s", s);
	else if (attr == VSWAP_A_DEV_NAME)
		snprintf(r->a.dev_name, sizeof(r->a.dev_name), "%s", s);
	else
		snprintf(r->a.tier_path, sizeof(r->a.tier_path), "%s", s);
}

void vnl_put_flag(struct nl_msg *m, int attr)
{
	set(&((struct fake_req *)m)->a, attr, 1);
}

static int find_tier(struct vs_obj *out)
{
	uint32_t dev = (uint32_t)obj_get(&req.a, VSWAP_A_DEV_ID);
	uint32_t n = dev == 0 ? 3 : 2;

	if (dev != 0 && dev != 3) {
		snprintf(vnl_last_error.msg, sizeof(vnl_last_error.msg),
			 "no device vswap%u", dev);
		return -ENODEV;
	}
	for (uint32_t id = 0; id < n; id++) {
		make_tier(out, dev, id);
		if (obj_has(&req.a, VSWAP_A_TIER_ID) ?
		    obj_get(&req.a, VSWAP_A_TIER_ID) == id :
		    !strcmp(req.a.tier_name, out->tier_name))
			return 0;
	}
	snprintf(vnl_last_error.msg, sizeof(vnl_last_error.msg),
		 "vswap%u has no tier named %s", dev, req.a.tier_name);
	return -ENOENT;
}

int vnl_do(struct nl_msg *msg, struct vs_obj *reply)
{
	struct vs_obj tmp, *o = reply ? reply : &tmp;
	int ret = fail_maybe();

	(void)msg;
	if (ret)
		return ret;
	memset(&vnl_last_error, 0, sizeof(vnl_last_error));
	switch (req.cmd) {
	case VSWAP_CMD_DEV_GET:
	case VSWAP_CMD_DEV_ADD:
		make_dev(o, (uint32_t)obj_get(&req.a, VSWAP_A_DEV_ID),
			 obj_has(&req.a, VSWAP_A_DEV_SIZE) ?
			 obj_get(&req.a, VSWAP_A_DEV_SIZE) : 64 << 20, false);
		return 0;
	case VSWAP_CMD_TIER_GET:
	case VSWAP_CMD_TIER_SET:
		if (req.cmd == VSWAP_CMD_TIER_SET && obj_has(&req.a, VSWAP_A_TIER_ID))
			req.a.has[VSWAP_A_TIER_NAME] = false;
		return find_tier(o);
	case VSWAP_CMD_TIER_ADD:
		make_tier(o, (uint32_t)obj_get(&req.a, VSWAP_A_DEV_ID),
			  obj_get(&req.a, VSWAP_A_TIER_KIND) == VSWAP_TIER_KIND_RAM ? 1 : 2);
		return 0;
	case VSWAP_CMD_MIGRATE:
		memset(o, 0, sizeof(*o));
		set(o, VSWAP_A_DEV_ID, obj_get(&req.a, VSWAP_A_DEV_ID));
		set(o, VSWAP_A_MIGRATE_STATE, VSWAP_MIGRATE_STATE_RUNNING);
		set(o, VSWAP_A_MIGRATE_TOTAL_BYTES, 8 << 20);
		return 0;
	default:
		return 0;
	}
}

static uint64_t ndumps;

static void grow(struct vs_obj *o, uint32_t id)
{
	uint64_t *v = o->tier_stats.v, n = ndumps * 64;

	if (id == 1) {
		v[VSWAP_STATS_A_MIGRATED_OUT] += n;
		v[VSWAP_STATS_A_READS] += n;
	} else if (id == 2) {
		o->v[VSWAP_A_TIER_STATE] = VSWAP_TIER_STATE_ACTIVE;
		v[VSWAP_STATS_A_MIGRATED_IN] += n;
		v[VSWAP_STATS_A_DEMOTIONS] += n;
		v[VSWAP_STATS_A_WRITES] += n;
	}
}

int vnl_dump(struct nl_msg *msg, struct vs_list *out)
{
	struct vs_obj o;
	int ret = fail_maybe();

	(void)msg;
	if (ret)
		return ret;
	if (req.cmd == VSWAP_CMD_DEV_GET) {
		make_dev(&o, 3, 32 << 20, false);
		list_push(out, &o);
		make_dev(&o, 0, 8ULL << 30, true);
		list_push(out, &o);
		return 0;
	}
	if (getenv("FAKE_GROW"))
		ndumps++;
	for (uint32_t dev = 0; dev <= 3; dev += 3) {
		if (obj_has(&req.a, VSWAP_A_DEV_ID) && obj_get(&req.a, VSWAP_A_DEV_ID) != dev)
			continue;
		for (uint32_t id = 0; id < (dev ? 2U : 3U); id++) {
			make_tier(&o, dev, id);
			if (ndumps)
				grow(&o, id);
			list_push(out, &o);
		}
	}
	return 0;
}

void vnl_die(const char *what, int err)
{
	fprintf(stderr, PROG ": %s%s%s: %s\n", vnl_last_error.msg[0] ? vnl_last_error.msg : what,
		vnl_last_error.attr ? " (attribute " : "",
		vnl_last_error.attr ? "x)" : "", strerror(err));
	exit(EXIT_KERNEL);
}

/* Events: one of each kind for monitor, progress and the end for migrate. */
static struct vs_obj events[16];
static int nevents, next_event;

struct nl_sock *vnl_events_open(void)
{
	nevents = next_event = 0;
	return (struct nl_sock *)&req;
}

/* At the first wait: the migration's events after a migrate request. */
static void make_events(void)
{
	struct vs_obj *e;

	if (req.cmd == VSWAP_CMD_MIGRATE) {
		for (int i = 1; i <= 4; i++) {
			e = &events[nevents++];
			memset(e, 0, sizeof(*e));
			e->cmd = VSWAP_CMD_MIGRATE_NTF;
			set(e, VSWAP_A_DEV_ID, 0);
			set(e, VSWAP_A_MIGRATE_FROM, 1);
			set(e, VSWAP_A_MIGRATE_TO, 2);
			set(e, VSWAP_A_MIGRATE_STATE, i < 4 ? VSWAP_MIGRATE_STATE_RUNNING :
			    getenv("FAKE_MIGRATE_FAIL") ? VSWAP_MIGRATE_STATE_FAILED :
			    VSWAP_MIGRATE_STATE_DONE);
			set(e, VSWAP_A_MIGRATE_MOVED_BYTES, (uint64_t)i * (2 << 20));
			set(e, VSWAP_A_MIGRATE_TOTAL_BYTES, 8 << 20);
			if (getenv("FAKE_MIGRATE_FAIL") && i == 4)
				set(e, VSWAP_A_ERRNO, EIO);
		}
		return;
	}
	e = &events[nevents++];
	make_dev(e, 1, 64 << 20, false);
	e->cmd = VSWAP_CMD_DEV_ADD_NTF;
	e = &events[nevents++];
	memset(e, 0, sizeof(*e));
	e->cmd = VSWAP_CMD_DEV_DEL_NTF;
	set(e, VSWAP_A_DEV_ID, 1);
	set(e, VSWAP_A_DEV_NAME, 0);
	strcpy(e->dev_name, "vswap1");
	e = &events[nevents++];
	make_tier(e, 0, 2);
	e->cmd = VSWAP_CMD_TIER_ADD_NTF;
	for (int c = VSWAP_CMD_TIER_DEL_NTF; c <= VSWAP_CMD_TIER_DRAINED_NTF; c++) {
		e = &events[nevents++];
		memset(e, 0, sizeof(*e));
		e->cmd = (uint8_t)c;
		set(e, VSWAP_A_DEV_ID, 0);
		set(e, VSWAP_A_TIER_ID, 2);
		set(e, VSWAP_A_TIER_NAME, 0);
		strcpy(e->tier_name, "nvme");
	}
	e = &events[nevents++];
	memset(e, 0, sizeof(*e));
	e->cmd = VSWAP_CMD_MIGRATE_NTF;
	set(e, VSWAP_A_DEV_ID, 0);
	set(e, VSWAP_A_MIGRATE_FROM, 1);
	set(e, VSWAP_A_MIGRATE_TO, 2);
	set(e, VSWAP_A_MIGRATE_STATE, VSWAP_MIGRATE_STATE_FAILED);
	set(e, VSWAP_A_MIGRATE_MOVED_BYTES, 4096);
	set(e, VSWAP_A_MIGRATE_TOTAL_BYTES, 8192);
	set(e, VSWAP_A_ERRNO, ENOSPC);
	e = &events[nevents++];
	memset(e, 0, sizeof(*e));
	e->cmd = VSWAP_CMD_WMARK_NTF;
	set(e, VSWAP_A_DEV_ID, 0);
	set(e, VSWAP_A_TIER_ID, 1);
	set(e, VSWAP_A_TIER_NAME, 0);
	strcpy(e->tier_name, "ram");
	set(e, VSWAP_A_WMARK, VSWAP_WMARK_HIGH);
	e = &events[nevents++];
	memset(e, 0, sizeof(*e));
	e->cmd = VSWAP_CMD_IO_ERROR_NTF;
	set(e, VSWAP_A_DEV_ID, 0);
	set(e, VSWAP_A_IO_OP, VSWAP_IO_OP_WRITE);
	set(e, VSWAP_A_ERRNO, EIO);
	set(e, VSWAP_A_ERROR_COUNT, 3);
	e = &events[nevents++];
	memset(e, 0, sizeof(*e));
	e->cmd = VSWAP_CMD_TIER_STATE_NTF;
	set(e, VSWAP_A_DEV_ID, 0);
	set(e, VSWAP_A_TIER_ID, 2);
	set(e, VSWAP_A_TIER_NAME, 0);
	strcpy(e->tier_name, "nvme");
	set(e, VSWAP_A_TIER_STATE, VSWAP_TIER_STATE_ACTIVE);
	set(e, VSWAP_A_ERRNO, ENOSPC);
}

/* Hands out the canned events, then reports an error (ends monitor). */
int vnl_events_wait(struct nl_sock *sk, int timeout_ms,
		    int (*cb)(const struct vs_obj *ev, void *arg), void *arg)
{
	int ret;

	(void)sk;
	(void)timeout_ms;
	if (!nevents)
		make_events();
	if (next_event >= nevents)
		return -ESHUTDOWN;
	ret = cb(&events[next_event++], arg);
	return ret;
}

void vnl_events_close(struct nl_sock *sk)
{
	(void)sk;
}
