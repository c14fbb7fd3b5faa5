// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl: netlink attributes into struct vs_obj, and the names of the
 * ABI's enum values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "obj.h"
#include "vswapctl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The attributes of replies and events (include/uapi/linux/vswap.h,
 * docs/netlink/vswap.yaml) and their types: genlmsg_parse() checks each
 * one's length (and a string's NUL) before obj_parse() reads it.  Those
 * left NLA_UNSPEC (the pad, request-only flags) are not read.
 */
static const struct nla_policy policy[VSWAP_A_MAX + 1] = {
	[VSWAP_A_DEV_ID]		= { .type = NLA_U32 },
	[VSWAP_A_DEV_NAME]		= { .type = NLA_STRING },
	[VSWAP_A_DEV_SIZE]		= { .type = NLA_U64 },
	[VSWAP_A_DEV_IN_USE]		= { .type = NLA_U8 },
	[VSWAP_A_DEV_META_BYTES]	= { .type = NLA_U64 },
	[VSWAP_A_DEV_STATS]		= { .type = NLA_NESTED },
	[VSWAP_A_TIER_ID]		= { .type = NLA_U32 },
	[VSWAP_A_TIER_NAME]		= { .type = NLA_STRING },
	[VSWAP_A_TIER_KIND]		= { .type = NLA_U32 },
	[VSWAP_A_TIER_CLASS]		= { .type = NLA_U32 },
	[VSWAP_A_TIER_STATE]		= { .type = NLA_U32 },
	[VSWAP_A_TIER_ALGO]		= { .type = NLA_U32 },
	[VSWAP_A_TIER_LEVEL]		= { .type = NLA_U32 },
	[VSWAP_A_TIER_LIMIT]		= { .type = NLA_U64 },
	[VSWAP_A_TIER_PATH]		= { .type = NLA_STRING },
	[VSWAP_A_TIER_CAPACITY]		= { .type = NLA_U64 },
	[VSWAP_A_TIER_HIGH_WMARK]	= { .type = NLA_U32 },
	[VSWAP_A_TIER_LOW_WMARK]	= { .type = NLA_U32 },
	[VSWAP_A_TIER_IDLE_AGE]		= { .type = NLA_U32 },
	[VSWAP_A_TIER_PRIORITY]		= { .type = NLA_U32 },
	[VSWAP_A_TIER_DRAIN]		= { .type = NLA_FLAG },
	[VSWAP_A_TIER_LIMIT_AUTO]	= { .type = NLA_U64 },
	[VSWAP_A_TIER_STATS]		= { .type = NLA_NESTED },
	[VSWAP_A_MIGRATE_FROM]		= { .type = NLA_U32 },
	[VSWAP_A_MIGRATE_TO]		= { .type = NLA_U32 },
	[VSWAP_A_MIGRATE_IDLE]		= { .type = NLA_U32 },
	[VSWAP_A_MIGRATE_MAX_BYTES]	= { .type = NLA_U64 },
	[VSWAP_A_MIGRATE_STATE]		= { .type = NLA_U32 },
	[VSWAP_A_MIGRATE_MOVED_BYTES]	= { .type = NLA_U64 },
	[VSWAP_A_MIGRATE_TOTAL_BYTES]	= { .type = NLA_U64 },
	[VSWAP_A_WMARK]			= { .type = NLA_U32 },
	[VSWAP_A_IO_OP]			= { .type = NLA_U32 },
	[VSWAP_A_ERRNO]			= { .type = NLA_U32 },
	[VSWAP_A_ERROR_COUNT]		= { .type = NLA_U64 },
};

/* Every counter of a dev-stats or tier-stats nest is a u64. */
static const struct nla_policy stats_policy[VSWAP_STATS_A_MAX + 1] = {
	[VSWAP_STATS_A_PAGES ... VSWAP_STATS_A_MAX] = { .type = NLA_U64 },
};

/* The YNL names, for messages: those of the attributes read above. */
static const char *const attr_names[VSWAP_A_MAX + 1] = {
	[VSWAP_A_DEV_ID]		= "dev-id",
	[VSWAP_A_DEV_NAME]		= "dev-name",
	[VSWAP_A_DEV_SIZE]		= "dev-size",
	[VSWAP_A_DEV_IN_USE]		= "dev-in-use",
	[VSWAP_A_DEV_META_BYTES]	= "dev-meta-bytes",
	[VSWAP_A_DEV_STATS]		= "dev-stats",
	[VSWAP_A_TIER_ID]		= "tier-id",
	[VSWAP_A_TIER_NAME]		= "tier-name",
	[VSWAP_A_TIER_KIND]		= "tier-kind",
	[VSWAP_A_TIER_CLASS]		= "tier-class",
	[VSWAP_A_TIER_STATE]		= "tier-state",
	[VSWAP_A_TIER_ALGO]		= "tier-algo",
	[VSWAP_A_TIER_LEVEL]		= "tier-level",
	[VSWAP_A_TIER_LIMIT]		= "tier-limit",
	[VSWAP_A_TIER_PATH]		= "tier-path",
	[VSWAP_A_TIER_CAPACITY]		= "tier-capacity",
	[VSWAP_A_TIER_HIGH_WMARK]	= "tier-high-wmark",
	[VSWAP_A_TIER_LOW_WMARK]	= "tier-low-wmark",
	[VSWAP_A_TIER_IDLE_AGE]		= "tier-idle-age",
	[VSWAP_A_TIER_PRIORITY]		= "tier-priority",
	[VSWAP_A_TIER_DRAIN]		= "tier-drain",
	[VSWAP_A_TIER_LIMIT_AUTO]	= "tier-limit-auto",
	[VSWAP_A_TIER_STATS]		= "tier-stats",
	[VSWAP_A_MIGRATE_FROM]		= "migrate-from",
	[VSWAP_A_MIGRATE_TO]		= "migrate-to",
	[VSWAP_A_MIGRATE_IDLE]		= "migrate-idle",
	[VSWAP_A_MIGRATE_MAX_BYTES]	= "migrate-max-bytes",
	[VSWAP_A_MIGRATE_STATE]		= "migrate-state",
	[VSWAP_A_MIGRATE_MOVED_BYTES]	= "migrate-moved-bytes",
	[VSWAP_A_MIGRATE_TOTAL_BYTES]	= "migrate-total-bytes",
	[VSWAP_A_WMARK]			= "wmark",
	[VSWAP_A_IO_OP]			= "io-op",
	[VSWAP_A_ERRNO]			= "errno",
	[VSWAP_A_ERROR_COUNT]		= "error-count",
};

const char *attr_name(int attr)
{
	if (attr <= 0 || attr > VSWAP_A_MAX)
		return NULL;
	return attr_names[attr];
}

static int parse_stats(struct nlattr *nest, struct vs_stats *st)
{
	struct nlattr *tb[VSWAP_STATS_A_MAX + 1];
	int ret = nla_parse_nested(tb, VSWAP_STATS_A_MAX, nest, stats_policy);

	if (ret < 0)
		return ret;
	for (int type = VSWAP_STATS_A_PAGES; type <= VSWAP_STATS_A_MAX; type++) {
		if (!tb[type])
			continue;
		st->has[type] = true;
		st->v[type] = nla_get_u64(tb[type]);
	}
	return 0;
}

/* The first attribute of the message that its policy refuses, or 0. */
static int bad_attr(struct nlmsghdr *nlh)
{
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0), rem) {
		int type = nla_type(a);

		if (type <= 0 || type > VSWAP_A_MAX)
			continue;
		if (nla_validate(a, a->nla_len, VSWAP_A_MAX, policy) < 0)
			return type;
		if (policy[type].type == NLA_NESTED &&
		    nla_validate(nla_data(a), nla_len(a), VSWAP_STATS_A_MAX, stats_policy) < 0)
			return type;
	}
	return 0;
}

static int parse_error(struct nlmsghdr *nlh, int ret, char *err, size_t errlen)
{
	int attr = ret == -NLE_MSG_TOOSHORT ? 0 : bad_attr(nlh);

	if (attr && attr_name(attr))
		snprintf(err, errlen, "attribute %s: %s", attr_name(attr), nl_geterror(ret));
	else if (attr)
		snprintf(err, errlen, "attribute %d: %s", attr, nl_geterror(ret));
	else
		snprintf(err, errlen, "%s", nl_geterror(ret));
	return ret;
}

/*
 * Unknown attributes (a newer kernel) are skipped; a known one of the
 * wrong size fails the whole message, with err naming it.
 */
int obj_parse(struct nl_msg *msg, struct vs_obj *o, char *err, size_t errlen)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[VSWAP_A_MAX + 1];
	int ret;

	memset(o, 0, sizeof(*o));
	ret = genlmsg_parse(nlh, 0, tb, VSWAP_A_MAX, policy);
	if (ret < 0)
		return parse_error(nlh, ret, err, errlen);
	o->cmd = genlmsg_hdr(nlh)->cmd;
	for (int type = 1; type <= VSWAP_A_MAX; type++) {
		struct nlattr *a = tb[type];

		if (!a)
			continue;
		switch (policy[type].type) {
		case NLA_U8:
			o->v[type] = nla_get_u8(a);
			break;
		case NLA_U32:
			o->v[type] = nla_get_u32(a);
			break;
		case NLA_U64:
			o->v[type] = nla_get_u64(a);
			break;
		case NLA_STRING:
			if (type == VSWAP_A_DEV_NAME)
				nla_strlcpy(o->dev_name, a, sizeof(o->dev_name));
			else if (type == VSWAP_A_TIER_NAME)
				nla_strlcpy(o->tier_name, a, sizeof(o->tier_name));
			else
				nla_strlcpy(o->tier_path, a, sizeof(o->tier_path));
			break;
		case NLA_NESTED:
			ret = parse_stats(a, type == VSWAP_A_DEV_STATS ?
					  &o->dev_stats : &o->tier_stats);
			if (ret < 0)
				return parse_error(nlh, ret, err, errlen);
			break;
		case NLA_FLAG:
			o->v[type] = 1;
			break;
		default:
			continue;
		}
		o->has[type] = true;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Lists. */

void list_push(struct vs_list *l, const struct vs_obj *o)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 8;
		l->o = realloc(l->o, l->alloc * sizeof(*l->o));
		if (!l->o)
			abort();
	}
	l->o[l->n++] = *o;
}

void list_free(struct vs_list *l)
{
	free(l->o);
	memset(l, 0, sizeof(*l));
}

static int obj_cmp(const void *a, const void *b)
{
	const struct vs_obj *x = a, *y = b;
	uint64_t kx[2] = { obj_get(x, VSWAP_A_DEV_ID), obj_get(x, VSWAP_A_TIER_ID) };
	uint64_t ky[2] = { obj_get(y, VSWAP_A_DEV_ID), obj_get(y, VSWAP_A_TIER_ID) };

	for (int i = 0; i < 2; i++)
		if (kx[i] != ky[i])
			return kx[i] < ky[i] ? -1 : 1;
	return 0;
}

void list_sort(struct vs_list *l)
{
	if (l->n > 1)
		qsort(l->o, l->n, sizeof(*l->o), obj_cmp);
}

/* ------------------------------------------------------------------ */
/* Enum names: the YNL spec's, which are also the JSON values. */

#define NAME_FN(fn, ...)					\
const char *fn(uint32_t v)					\
{								\
	static const char *const names[] = { __VA_ARGS__ };	\
	return v < ARRAY_SIZE(names) ? names[v] : NULL;		\
}

NAME_FN(kind_name, NULL, "zero", "ram", "block")
NAME_FN(class_name, NULL, "fast", "slow")
NAME_FN(state_name, NULL, "active", "draining", "degraded", "full")
NAME_FN(algo_name, NULL, "lz4", "lz4hc", "zstd")
NAME_FN(mstate_name, NULL, "running", "done", "cancelled", "failed")
NAME_FN(wmark_name, NULL, "high", "low")
NAME_FN(io_op_name, NULL, "read", "write")

const char *event_name(uint8_t cmd)
{
	switch (cmd) {
	case VSWAP_CMD_DEV_ADD_NTF:		return "dev-add";
	case VSWAP_CMD_DEV_DEL_NTF:		return "dev-del";
	case VSWAP_CMD_TIER_ADD_NTF:		return "tier-add";
	case VSWAP_CMD_TIER_DEL_NTF:		return "tier-del";
	case VSWAP_CMD_TIER_DRAINED_NTF:	return "tier-drained";
	case VSWAP_CMD_MIGRATE_NTF:		return "migrate";
	case VSWAP_CMD_WMARK_NTF:		return "wmark";
	case VSWAP_CMD_IO_ERROR_NTF:		return "io-error";
	case VSWAP_CMD_TIER_STATE_NTF:		return "tier-state";
	default:				return NULL;
	}
}

static int name_parse(const char *s, const char *(*fn)(uint32_t))
{
	for (uint32_t v = 1; fn(v); v++)
		if (!strcasecmp(s, fn(v)))
			return (int)v;
	return -1;
}

int algo_parse(const char *s)
{
	return name_parse(s, algo_name);
}

int class_parse(const char *s)
{
	return name_parse(s, class_name);
}
