// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl: netlink attributes into struct vs_obj, and the names of the
 * ABI's enum values.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "obj.h"
#include "vswapctl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum akind { A_NONE, A_U8, A_U32, A_U64, A_STR, A_NEST, A_FLAG };

static const struct {
	const char *name;	/* as in docs/netlink/vswap.yaml */
	enum akind kind;
} attrs[VSWAP_A_MAX + 1] = {
	[VSWAP_A_DEV_ID]		= { "dev-id", A_U32 },
	[VSWAP_A_DEV_NAME]		= { "dev-name", A_STR },
	[VSWAP_A_DEV_SIZE]		= { "dev-size", A_U64 },
	[VSWAP_A_DEV_IN_USE]		= { "dev-in-use", A_U8 },
	[VSWAP_A_DEV_META_BYTES]	= { "dev-meta-bytes", A_U64 },
	[VSWAP_A_DEV_STATS]		= { "dev-stats", A_NEST },
	[VSWAP_A_TIER_ID]		= { "tier-id", A_U32 },
	[VSWAP_A_TIER_NAME]		= { "tier-name", A_STR },
	[VSWAP_A_TIER_KIND]		= { "tier-kind", A_U32 },
	[VSWAP_A_TIER_CLASS]		= { "tier-class", A_U32 },
	[VSWAP_A_TIER_STATE]		= { "tier-state", A_U32 },
	[VSWAP_A_TIER_ALGO]		= { "tier-algo", A_U32 },
	[VSWAP_A_TIER_LEVEL]		= { "tier-level", A_U32 },
	[VSWAP_A_TIER_LIMIT]		= { "tier-limit", A_U64 },
	[VSWAP_A_TIER_PATH]		= { "tier-path", A_STR },
	[VSWAP_A_TIER_CAPACITY]		= { "tier-capacity", A_U64 },
	[VSWAP_A_TIER_HIGH_WMARK]	= { "tier-high-wmark", A_U32 },
	[VSWAP_A_TIER_LOW_WMARK]	= { "tier-low-wmark", A_U32 },
	[VSWAP_A_TIER_IDLE_AGE]		= { "tier-idle-age", A_U32 },
	[VSWAP_A_TIER_PRIORITY]		= { "tier-priority", A_U32 },
	[VSWAP_A_TIER_DRAIN]		= { "tier-drain", A_FLAG },
	[VSWAP_A_TIER_LIMIT_AUTO]	= { "tier-limit-auto", A_U64 },
	[VSWAP_A_TIER_STATS]		= { "tier-stats", A_NEST },
	[VSWAP_A_MIGRATE_FROM]		= { "migrate-from", A_U32 },
	[VSWAP_A_MIGRATE_TO]		= { "migrate-to", A_U32 },
	[VSWAP_A_MIGRATE_IDLE]		= { "migrate-idle", A_U32 },
	[VSWAP_A_MIGRATE_MAX_BYTES]	= { "migrate-max-bytes", A_U64 },
	[VSWAP_A_MIGRATE_STATE]		= { "migrate-state", A_U32 },
	[VSWAP_A_MIGRATE_MOVED_BYTES]	= { "migrate-moved-bytes", A_U64 },
	[VSWAP_A_MIGRATE_TOTAL_BYTES]	= { "migrate-total-bytes", A_U64 },
	[VSWAP_A_WMARK]			= { "wmark", A_U32 },
	[VSWAP_A_IO_OP]			= { "io-op", A_U32 },
	[VSWAP_A_ERRNO]			= { "errno", A_U32 },
	[VSWAP_A_ERROR_COUNT]		= { "error-count", A_U64 },
};

const char *attr_name(int attr)
{
	if (attr <= 0 || attr > VSWAP_A_MAX || !attrs[attr].name)
		return NULL;
	return attrs[attr].name;
}

static void parse_stats(struct nlattr *nest, struct vs_stats *st)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		int type = nla_type(a);

		if (type <= VSWAP_STATS_A_PAD || type > VSWAP_STATS_A_MAX ||
		    nla_len(a) < 8)
			continue;
		st->has[type] = true;
		st->v[type] = nla_get_u64(a);
	}
}

static void copy_str(char *dst, size_t size, struct nlattr *a)
{
	size_t len = (size_t)nla_len(a);
	const char *s = nla_data(a);

	if (len >= size)
		len = size - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/*
 * Unknown attributes (a newer kernel) are skipped; known ones too short
 * for their type are skipped as well, so a malformed reply leaves them
 * absent rather than read out of bounds.
 */
int obj_parse(struct nl_msg *msg, struct vs_obj *o)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *a;
	int rem;

	memset(o, 0, sizeof(*o));
	if (!genlmsg_valid_hdr(nlh, 0))
		return -1;
	o->cmd = gnlh->cmd;
	nla_for_each_attr(a, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0), rem) {
		int type = nla_type(a);
		int len = nla_len(a);

		if (type <= 0 || type > VSWAP_A_MAX)
			continue;
		switch (attrs[type].kind) {
		case A_U8:
			if (len < 1)
				continue;
			o->v[type] = nla_get_u8(a);
			break;
		case A_U32:
			if (len < 4)
				continue;
			o->v[type] = nla_get_u32(a);
			break;
		case A_U64:
			if (len < 8)
				continue;
			o->v[type] = nla_get_u64(a);
			break;
		case A_STR:
			if (type == VSWAP_A_DEV_NAME)
				copy_str(o->dev_name, sizeof(o->dev_name), a);
			else if (type == VSWAP_A_TIER_NAME)
				copy_str(o->tier_name, sizeof(o->tier_name), a);
			else
				copy_str(o->tier_path, sizeof(o->tier_path), a);
			break;
		case A_NEST:
			parse_stats(a, type == VSWAP_A_DEV_STATS ?
				    &o->dev_stats : &o->tier_stats);
			break;
		case A_FLAG:
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
