// SPDX-License-Identifier: GPL-2.0
/*
 * vswap_nl_fuzz: throw malformed and random generic netlink messages at
 * the vswap family over a raw AF_NETLINK socket (no libnl), and a raw
 * one-message sender for tests that need requests vswapctl cannot make.
 *
 *   vswap_nl_fuzz [-n COUNT] [-s SEED] [-t SECONDS] [-c EVERY] [-q] [-F FAMILY]
 *   vswap_nl_fuzz --send CMD [--dump] [ATTR[=VALUE]]...
 *   vswap_nl_fuzz --listen [SECONDS]
 *
 * Fuzz mode resolves the family id with CTRL_CMD_GETFAMILY, then sends
 * COUNT messages (default 100000; fewer if -t SECONDS runs out first),
 * seeded by SEED (default: the time; printed, so a run can be repeated).
 * Messages mix known commands (notifications and out-of-range ones too),
 * known attributes with right and wrong payloads, random and out-of-range
 * attribute types, nests of random depth, lying nla_len / nlmsg_len,
 * truncation, missing padding, unterminated and over-long strings, huge
 * u64 values, valid-looking device and tier ids, NLM_F_DUMP, NLM_F_ACK,
 * several messages per datagram.  Replies are drained without blocking
 * after every send (a dump continues as it is read), checked for
 * well-formedness, and counted: acks, errors by errno, extack messages,
 * data replies, dumps.  As root it reaches the mutating handlers, so it
 * may add and delete devices and tiers: every EVERY messages (default
 * 2000, 0 never) and at the end it deletes the devices it created, so
 * they do not pile up.  Exits 0 when the socket still works afterwards
 * (a ctrl and a vswap request answered) and every reply was well formed.
 * The summary line starts "fuzz: sent N messages".  -F fuzzes another
 * generic netlink family with the same messages (to develop the fuzzer
 * where vswap has no netlink yet; in a VM only).
 *
 * Send mode sends one request (NLM_F_ACK, NLM_F_DUMP with --dump) and
 * prints every reply: data as "reply CMD name=value ...", the outcome as
 * "ok" or "error ENAME (-N): EXTACK".  ATTR is an attribute name of the
 * vswap set (dev-id=0, dev-size=67108864, tier-name=ram, tier-drain) or a
 * raw one, TYPE:FORMAT=VALUE with FORMAT u8, u32, u64, str (with the NUL),
 * nstr (without), hex or flag, e.g. 9:nstr=ram or 200:u32=1.  CMD is a
 * command name (tier-add, TIER_ADD) or number.
 * Exit status: 0 acknowledged, 2 refused by the kernel, 1 usage or I/O.
 *
 * Listen mode joins the "events" multicast group and prints every
 * notification as "event CMD name=value ..." (line-buffered) until
 * SECONDS pass (default: until killed).  "listening" is printed once the
 * group is joined.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vswap.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NLM_F_ACK_TLVS
#define NLM_F_ACK_TLVS 0x200
#endif
#ifndef NLM_F_CAPPED
#define NLM_F_CAPPED 0x100
#endif

#define RXBUF	(256 * 1024)
#define TXBUF	(64 * 1024)
#define MSGMAX	8192

enum atype { AT_NONE, AT_U8, AT_U32, AT_U64, AT_STR, AT_FLAG, AT_NEST, AT_PAD };

struct attr_desc {
	const char *name;
	enum atype type;
};

static const struct attr_desc vattrs[VSWAP_A_MAX + 1] = {
	[VSWAP_A_PAD] = { "pad", AT_PAD },
	[VSWAP_A_DEV_ID] = { "dev-id", AT_U32 },
	[VSWAP_A_DEV_NAME] = { "dev-name", AT_STR },
	[VSWAP_A_DEV_SIZE] = { "dev-size", AT_U64 },
	[VSWAP_A_DEV_IN_USE] = { "dev-in-use", AT_U8 },
	[VSWAP_A_DEV_META_BYTES] = { "dev-meta-bytes", AT_U64 },
	[VSWAP_A_DEV_STATS] = { "dev-stats", AT_NEST },
	[VSWAP_A_TIER_ID] = { "tier-id", AT_U32 },
	[VSWAP_A_TIER_NAME] = { "tier-name", AT_STR },
	[VSWAP_A_TIER_KIND] = { "tier-kind", AT_U32 },
	[VSWAP_A_TIER_CLASS] = { "tier-class", AT_U32 },
	[VSWAP_A_TIER_STATE] = { "tier-state", AT_U32 },
	[VSWAP_A_TIER_ALGO] = { "tier-algo", AT_U32 },
	[VSWAP_A_TIER_LEVEL] = { "tier-level", AT_U32 },
	[VSWAP_A_TIER_LIMIT] = { "tier-limit", AT_U64 },
	[VSWAP_A_TIER_PATH] = { "tier-path", AT_STR },
	[VSWAP_A_TIER_CAPACITY] = { "tier-capacity", AT_U64 },
	[VSWAP_A_TIER_HIGH_WMARK] = { "tier-high-wmark", AT_U32 },
	[VSWAP_A_TIER_LOW_WMARK] = { "tier-low-wmark", AT_U32 },
	[VSWAP_A_TIER_IDLE_AGE] = { "tier-idle-age", AT_U32 },
	[VSWAP_A_TIER_PRIORITY] = { "tier-priority", AT_U32 },
	[VSWAP_A_TIER_DRAIN] = { "tier-drain", AT_FLAG },
	[VSWAP_A_TIER_STATS] = { "tier-stats", AT_NEST },
	[VSWAP_A_MIGRATE_FROM] = { "migrate-from", AT_U32 },
	[VSWAP_A_MIGRATE_TO] = { "migrate-to", AT_U32 },
	[VSWAP_A_MIGRATE_IDLE] = { "migrate-idle", AT_U32 },
	[VSWAP_A_MIGRATE_MAX_BYTES] = { "migrate-max-bytes", AT_U64 },
	[VSWAP_A_MIGRATE_STATE] = { "migrate-state", AT_U32 },
	[VSWAP_A_MIGRATE_MOVED_BYTES] = { "migrate-moved-bytes", AT_U64 },
	[VSWAP_A_MIGRATE_TOTAL_BYTES] = { "migrate-total-bytes", AT_U64 },
	[VSWAP_A_WMARK] = { "wmark", AT_U32 },
	[VSWAP_A_IO_OP] = { "io-op", AT_U32 },
	[VSWAP_A_ERRNO] = { "errno", AT_U32 },
	[VSWAP_A_ERROR_COUNT] = { "error-count", AT_U64 },
	[VSWAP_A_TIER_CANCEL] = { "tier-cancel", AT_FLAG },
};

static const char *const stat_names[VSWAP_STATS_A_MAX + 1] = {
	[VSWAP_STATS_A_PAD] = "pad",
	[VSWAP_STATS_A_PAGES] = "pages",
	[VSWAP_STATS_A_ORIG_BYTES] = "orig-bytes",
	[VSWAP_STATS_A_STORED_BYTES] = "stored-bytes",
	[VSWAP_STATS_A_READS] = "reads",
	[VSWAP_STATS_A_WRITES] = "writes",
	[VSWAP_STATS_A_DISCARDS] = "discards",
	[VSWAP_STATS_A_FREES] = "frees",
	[VSWAP_STATS_A_FAILED_READS] = "failed-reads",
	[VSWAP_STATS_A_FAILED_WRITES] = "failed-writes",
	[VSWAP_STATS_A_HUGE_PAGES] = "huge-pages",
	[VSWAP_STATS_A_MIGRATED_IN] = "migrated-in",
	[VSWAP_STATS_A_MIGRATED_OUT] = "migrated-out",
	[VSWAP_STATS_A_PROMOTIONS] = "promotions",
	[VSWAP_STATS_A_DEMOTIONS] = "demotions",
	[VSWAP_STATS_A_IO_ERRORS] = "io-errors",
	[VSWAP_STATS_A_BUDGET_USED] = "budget-used",
};

static const char *const cmd_names[VSWAP_CMD_MAX + 1] = {
	[VSWAP_CMD_UNSPEC] = "unspec",
	[VSWAP_CMD_DEV_GET] = "dev-get",
	[VSWAP_CMD_DEV_ADD] = "dev-add",
	[VSWAP_CMD_DEV_DEL] = "dev-del",
	[VSWAP_CMD_TIER_GET] = "tier-get",
	[VSWAP_CMD_TIER_ADD] = "tier-add",
	[VSWAP_CMD_TIER_SET] = "tier-set",
	[VSWAP_CMD_TIER_DEL] = "tier-del",
	[VSWAP_CMD_MIGRATE] = "migrate",
	[VSWAP_CMD_DEV_ADD_NTF] = "dev-add-ntf",
	[VSWAP_CMD_DEV_DEL_NTF] = "dev-del-ntf",
	[VSWAP_CMD_TIER_ADD_NTF] = "tier-add-ntf",
	[VSWAP_CMD_TIER_DEL_NTF] = "tier-del-ntf",
	[VSWAP_CMD_TIER_DRAINED_NTF] = "tier-drained-ntf",
	[VSWAP_CMD_MIGRATE_NTF] = "migrate-ntf",
	[VSWAP_CMD_WMARK_NTF] = "wmark-ntf",
	[VSWAP_CMD_IO_ERROR_NTF] = "io-error-ntf",
	[VSWAP_CMD_TIER_STATE_NTF] = "tier-state-ntf",
};

static const struct {
	int err;
	const char *name;
} errnames[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
	{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" },
	{ EBADF, "EBADF" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { ENOTBLK, "ENOTBLK" },
	{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },
	{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" }, { EINVAL, "EINVAL" },
	{ ENFILE, "ENFILE" }, { EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" },
	{ EFBIG, "EFBIG" }, { ENOSPC, "ENOSPC" }, { EROFS, "EROFS" },
	{ EDOM, "EDOM" }, { ERANGE, "ERANGE" }, { ENAMETOOLONG, "ENAMETOOLONG" },
	{ ENOSYS, "ENOSYS" }, { ENODATA, "ENODATA" }, { EOVERFLOW, "EOVERFLOW" },
	{ EBADMSG, "EBADMSG" }, { EMSGSIZE, "EMSGSIZE" }, { EPROTO, "EPROTO" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ENOBUFS, "ENOBUFS" },
	{ EALREADY, "EALREADY" }, { EINPROGRESS, "EINPROGRESS" },
	{ ECANCELED, "ECANCELED" }, { ETIMEDOUT, "ETIMEDOUT" },
	{ 524, "ENOTSUPP" },
};

static const char *errname(int err)
{
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

/* ------------------------------------------------------------------------
 * Socket
 */

static int nl_fd = -1;
static uint16_t family_id;
static uint32_t mcgrp_events;
static uint32_t seq = 1;

static void nl_open(void)
{
	int one = 1, sz = 4 << 20;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl_fd < 0) {
		perror("vswap_nl_fuzz: socket");
		exit(1);
	}
	setsockopt(nl_fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(nl_fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(nl_fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(nl_fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("vswap_nl_fuzz: bind");
		exit(1);
	}
}

static int nl_send(const void *buf, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	return sendto(nl_fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa));
}

/* Wait up to ms for a datagram; returns its length, 0 on timeout, -errno. */
static int nl_recv_wait(void *buf, size_t len, int ms)
{
	struct pollfd pfd = { .fd = nl_fd, .events = POLLIN };
	int r;

	r = poll(&pfd, 1, ms);
	if (r <= 0)
		return r < 0 ? -errno : 0;
	r = recv(nl_fd, buf, len, MSG_DONTWAIT);
	return r < 0 ? -errno : r;
}

/* Message building */

struct msg {
	unsigned char *b;
	size_t len, room;
};

static void *msg_put(struct msg *m, const void *data, size_t len)
{
	void *at = m->b + m->len;

	if (m->len + len > m->room)
		return NULL;
	if (data)
		memcpy(at, data, len);
	else
		memset(at, 0, len);
	m->len += len;
	return at;
}

static void msg_align(struct msg *m)
{
	size_t pad = NLA_ALIGN(m->len) - m->len;

	if (pad)
		msg_put(m, NULL, pad);
}

static struct nlmsghdr *msg_start(struct msg *m, uint16_t type, uint16_t flags,
				  uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = msg_put(m, NULL, NLMSG_HDRLEN);
	struct genlmsghdr *g = msg_put(m, NULL, GENL_HDRLEN);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq++;
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

static int attr_put(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a;

	if (m->len + NLA_HDRLEN + NLA_ALIGN(len) > m->room)
		return -1;
	a = msg_put(m, NULL, NLA_HDRLEN);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	msg_put(m, data, len);
	msg_align(m);
	return 0;
}

/* Reply checking */

struct stats {
	unsigned long sent, bytes, datagrams, send_err[4096];
	unsigned long acks, errs[4096], data, dumps, dump_err, overruns;
	unsigned long other, bad, truncated, ctrl;
	unsigned long cleanups, cleaned;
} st;

#define NEXTACK 48
static struct {
	char msg[96];
	unsigned long n;
} extacks[NEXTACK];

static void note_extack(const char *raw, size_t max)
{
	char s[sizeof(extacks[0].msg)];
	size_t len = 0, i;

	/* Messages may quote what was sent: keep them on one printable line. */
	for (i = 0; i < max && raw[i] && len + 5 < sizeof(s); i++) {
		unsigned char c = raw[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			s[len++] = c;
		else
			len += snprintf(s + len, sizeof(s) - len, "\\x%02x", c);
	}
	s[len] = '\0';
	for (i = 0; i < NEXTACK; i++) {
		if (!extacks[i].n) {
			memcpy(extacks[i].msg, s, len);
			extacks[i].msg[len] = '\0';
			extacks[i].n = 1;
			return;
		}
		if (strlen(extacks[i].msg) == len && !memcmp(extacks[i].msg, s, len)) {
			extacks[i].n++;
			return;
		}
	}
}

/* Attributes in [p, p + len) are well formed (recursing into known nests). */
static int attrs_ok(const unsigned char *p, size_t len, int depth)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		size_t alen = a->nla_len;
		int type = a->nla_type & NLA_TYPE_MASK;

		if (alen < NLA_HDRLEN || alen > len)
			return 0;
		if (depth == 0 && (type == VSWAP_A_DEV_STATS || type == VSWAP_A_TIER_STATS) &&
		    !attrs_ok(p + NLA_HDRLEN, alen - NLA_HDRLEN, 1))
			return 0;
		if (NLA_ALIGN(alen) >= len)
			return 1;
		p += NLA_ALIGN(alen);
		len -= NLA_ALIGN(alen);
	}
	return len == 0;
}

static const char *extack_of(const struct nlmsghdr *nlh, const struct nlmsgerr *e)
{
	const unsigned char *p, *end = (const unsigned char *)nlh + nlh->nlmsg_len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	p = (const unsigned char *)(e + 1);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		p += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	while (p + NLA_HDRLEN <= end) {
		const struct nlattr *a = (const void *)p;

		if (a->nla_len < NLA_HDRLEN || p + a->nla_len > end)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG && a->nla_len > NLA_HDRLEN)
			return (const char *)(a + 1);
		p += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

/* Account for one received datagram. */
static void account(const unsigned char *buf, int len)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	int left = len;

	for (; NLMSG_OK(nlh, left); nlh = NLMSG_NEXT(nlh, left)) {
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(nlh);
			const char *x;

			if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
				st.bad++;
				continue;
			}
			if (!e->error) {
				st.acks++;
				continue;
			}
			if (e->error > 0 || e->error <= -4096) {
				st.bad++;
				continue;
			}
			st.errs[-e->error]++;
			x = extack_of(nlh, e);
			if (x)
				note_extack(x, (const char *)nlh + nlh->nlmsg_len - x);
		} else if (nlh->nlmsg_type == NLMSG_DONE) {
			st.dumps++;
			if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) &&
			    *(const int *)NLMSG_DATA(nlh) < 0) {
				int err = -*(const int *)NLMSG_DATA(nlh);

				st.dump_err++;
				if (err < 4096)
					st.errs[err]++;
			}
		} else if (nlh->nlmsg_type == family_id) {
			if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN) ||
			    !attrs_ok((const unsigned char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
				      nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN), 0))
				st.bad++;
			else
				st.data++;
		} else if (nlh->nlmsg_type == GENL_ID_CTRL) {
			st.ctrl++;
		} else {
			st.other++;
		}
	}
	if (left > 0 && left >= (int)NLMSG_HDRLEN)
		st.bad++;
}

/* Read whatever is queued, without blocking; dumps go on as they are read. */
static void drain(void)
{
	static unsigned char buf[RXBUF];
	int r;

	for (;;) {
		r = recv(nl_fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
		if (r < 0) {
			if (errno == ENOBUFS) {
				st.overruns++;
				continue;
			}
			if (errno == EINTR)
				continue;
			return;	/* EAGAIN: nothing more */
		}
		if (r > (int)sizeof(buf)) {
			st.truncated++;
			r = sizeof(buf);
		}
		account(buf, r);
	}
}

/* ------------------------------------------------------------------------
 * Family resolution and well-formed requests
 */

/* CTRL_ATTR_MCAST_GROUPS: remember the id of VSWAP_MCGRP_EVENTS. */
static void find_mcgrp(const struct nlattr *groups)
{
	const unsigned char *p = (const unsigned char *)(groups + 1);
	int left = groups->nla_len - NLA_HDRLEN;

	while (left >= NLA_HDRLEN) {
		const struct nlattr *g = (const void *)p;
		const unsigned char *q = (const unsigned char *)(g + 1);
		int ql = g->nla_len - NLA_HDRLEN, match = 0;
		uint32_t id = 0;

		if (g->nla_len < NLA_HDRLEN || g->nla_len > left)
			return;
		while (ql >= NLA_HDRLEN) {
			const struct nlattr *a = (const void *)q;

			if (a->nla_len < NLA_HDRLEN || a->nla_len > ql)
				break;
			if (a->nla_type == CTRL_ATTR_MCAST_GRP_NAME &&
			    !strncmp((const char *)(a + 1), VSWAP_MCGRP_EVENTS, a->nla_len - NLA_HDRLEN))
				match = 1;
			if (a->nla_type == CTRL_ATTR_MCAST_GRP_ID)
				id = *(const uint32_t *)(a + 1);
			q += NLA_ALIGN(a->nla_len);
			ql -= NLA_ALIGN(a->nla_len);
		}
		if (match)
			mcgrp_events = id;
		p += NLA_ALIGN(g->nla_len);
		left -= NLA_ALIGN(g->nla_len);
	}
}

static int resolve_family(const char *name)
{
	static unsigned char buf[RXBUF];
	unsigned char tx[256];
	struct msg m = { tx, 0, sizeof(tx) };
	struct nlmsghdr *nlh;
	int r, i, id = -1;

	nlh = msg_start(&m, GENL_ID_CTRL, NLM_F_REQUEST, CTRL_CMD_GETFAMILY, 1);
	attr_put(&m, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
	nlh->nlmsg_len = m.len;
	if (nl_send(tx, m.len) < 0)
		return -errno;
	for (i = 0; i < 50; i++) {
		const struct nlmsghdr *h = (const void *)buf;

		r = nl_recv_wait(buf, sizeof(buf), 200);
		if (r == -ENOBUFS)
			continue;
		if (r < 0)
			return r;
		if (!r)
			continue;
		for (; NLMSG_OK(h, r); h = NLMSG_NEXT(h, r)) {
			const unsigned char *p;
			int left;

			if (h->nlmsg_seq != nlh->nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((const struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (h->nlmsg_type != GENL_ID_CTRL)
				continue;
			p = (const unsigned char *)NLMSG_DATA(h) + GENL_HDRLEN;
			left = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			while (left >= NLA_HDRLEN) {
				const struct nlattr *a = (const void *)p;

				if (a->nla_len < NLA_HDRLEN || a->nla_len > left)
					break;
				if (a->nla_type == CTRL_ATTR_FAMILY_ID)
					id = *(const uint16_t *)(a + 1);
				if (a->nla_type == CTRL_ATTR_MCAST_GROUPS)
					find_mcgrp(a);
				p += NLA_ALIGN(a->nla_len);
				left -= NLA_ALIGN(a->nla_len);
			}
			if (id >= 0)
				return id;
		}
	}
	return -ETIMEDOUT;
}

/*
 * One well-formed request, waiting for its outcome.  Data replies are
 * passed to cb.  Returns 0 (acked or dump done), a negative errno, or
 * -ETIMEDOUT.
 */
typedef void (*reply_cb)(const struct nlmsghdr *nlh, void *arg);

static const char *last_extack;
static char last_extack_buf[256];

static int request(struct msg *m, reply_cb cb, void *arg)
{
	static unsigned char buf[RXBUF];
	struct nlmsghdr *req = (void *)m->b;
	int dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	int r, idle = 0;

	last_extack = NULL;
	drain();	/* fuzz leftovers */
	req->nlmsg_len = m->len;
	if (nl_send(m->b, m->len) < 0)
		return -errno;
	while (idle < 50) {
		const struct nlmsghdr *h = (const void *)buf;

		r = nl_recv_wait(buf, sizeof(buf), 200);
		if (r == -ENOBUFS) {
			st.overruns++;
			continue;
		}
		if (r < 0)
			return r;
		if (!r) {
			idle++;
			continue;
		}
		for (; NLMSG_OK(h, r); h = NLMSG_NEXT(h, r)) {
			if (h->nlmsg_seq != req->nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				const char *x = extack_of(h, e);

				if (x) {
					snprintf(last_extack_buf, sizeof(last_extack_buf), "%.*s",
						 (int)((const char *)h + h->nlmsg_len - x), x);
					last_extack = last_extack_buf;
				}
				if (e->error || !dump)
					return e->error;
			} else if (h->nlmsg_type == NLMSG_DONE) {
				if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) &&
				    *(const int *)NLMSG_DATA(h) < 0)
					return *(const int *)NLMSG_DATA(h);
				return 0;
			} else if (cb) {
				cb(h, arg);
			}
		}
	}
	return -ETIMEDOUT;
}

static uint32_t get_u32(const struct nlattr *a)
{
	return a->nla_len >= NLA_HDRLEN + 4 ? *(const uint32_t *)(a + 1) : 0;
}

static const struct nlattr *find_attr(const struct nlmsghdr *nlh, int type)
{
	const unsigned char *p = (const unsigned char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	int left = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	while (left >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > left)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		p += NLA_ALIGN(a->nla_len);
		left -= NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

/* Device ids present: a bitmap of the first 1024. */
static unsigned char initial_devs[128];
static int have_initial;

static void dev_cb(const struct nlmsghdr *nlh, void *arg)
{
	unsigned char *bm = arg;
	const struct nlattr *a = find_attr(nlh, VSWAP_A_DEV_ID);
	uint32_t id;

	if (!a)
		return;
	id = get_u32(a);
	if (id < 1024)
		bm[id / 8] |= 1 << (id % 8);
}

static int list_devs(unsigned char *bm)
{
	unsigned char tx[64];
	struct msg m = { tx, 0, sizeof(tx) };

	memset(bm, 0, 128);
	msg_start(&m, family_id, NLM_F_REQUEST | NLM_F_DUMP, VSWAP_CMD_DEV_GET,
		  VSWAP_GENL_VERSION);
	return request(&m, dev_cb, bm);
}

/* Delete the devices the fuzzer created (not there when it started). */
static void cleanup_devs(void)
{
	unsigned char now[128], tx[64];
	uint32_t id;

	if (!have_initial || list_devs(now))
		return;
	st.cleanups++;
	for (id = 0; id < 1024; id++) {
		struct msg m = { tx, 0, sizeof(tx) };

		if (!(now[id / 8] & (1 << (id % 8))) || (initial_devs[id / 8] & (1 << (id % 8))))
			continue;
		msg_start(&m, family_id, NLM_F_REQUEST | NLM_F_ACK, VSWAP_CMD_DEV_DEL,
			  VSWAP_GENL_VERSION);
		attr_put(&m, VSWAP_A_DEV_ID, &id, sizeof(id));
		if (!request(&m, NULL, NULL))
			st.cleaned++;
	}
}

/* ------------------------------------------------------------------------
 * Random messages
 */

static uint64_t rs;

static uint64_t rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return rs * 0x2545F4914F6CDD1DULL;
}

static uint32_t rn(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static int chance(int percent)
{
	return rn(100) < (uint32_t)percent;
}

#define PICK(arr) ((arr)[rn(sizeof(arr) / sizeof((arr)[0]))])

static uint32_t dev_id_val(void)
{
	static const uint32_t v[] = { 0, 0, 0, 1, 1, 2, 3, 31, 32, 0x7fffffff, 0xffffffff };

	return chance(10) ? (uint32_t)rnd() : PICK(v);
}

static uint32_t tier_id_val(void)
{
	static const uint32_t v[] = { 0, 0, 1, 1, 1, 2, 3, 7, 8, 255, 0xffffffff };

	return chance(10) ? (uint32_t)rnd() : PICK(v);
}

static uint32_t u32_val(void)
{
	static const uint32_t v[] = { 0, 1, 2, 3, 4, 5, 9, 15, 16, 17, 22, 23, 50, 64, 65,
				      99, 100, 101, 255, 256, 3600, 0x7fffffff, 0x80000000,
				      0xfffffffe, 0xffffffff };

	return chance(15) ? (uint32_t)rnd() : PICK(v);
}

/* dev_add: sizes a DEV_ADD may carry; valid ones stay small (a 16 TiB
 * device costs tens of MiB of cluster pointers, and the VM has 1 GiB). */
static uint64_t u64_val(int dev_add)
{
	static const uint64_t any[] = { 0, 1, 4095, 4096, 1 << 20, (1 << 20) - 1, (1 << 20) + 1,
					16ULL << 40, (16ULL << 40) + 4096, (16ULL << 40) - 1,
					~0ULL, 1ULL << 63, 64 << 20, 1ULL << 32, 4ULL << 30 };
	static const uint64_t add[] = { 0, 1, 4095, 4096, 1 << 20, (1 << 20) - 1, (1 << 20) + 1,
					(1 << 20) + 4096, 2 << 20, 8 << 20, 64 << 20,
					(16ULL << 40) + 4096, (16ULL << 40) + 1, ~0ULL,
					1ULL << 63, (1ULL << 63) + 4096, ~0ULL - 4095 };

	if (dev_add)
		return PICK(add);
	return chance(15) ? rnd() : PICK(any);
}

static size_t str_val(char *out, size_t room, int *terminate)
{
	static const char *const v[] = {
		"", "vswap0", "vswap1", "vswap2", "vswap7", "vswap31", "vswap32", "vswap",
		"vswap-1", "vswap01", "vswap4294967295", "vswapx", "zero", "ram", "same",
		"block", "fast0", "t", "/dev/null", "/dev/vswap0", "/dev/vswap1",
		"/dev/nvme0n1", "/dev/vda", "/nonexistent", "/dev/../dev/null", "/proc/self/fd/0",
		"relative/path", "ram\n", "r%sa%nm", "vswap5\n", "vswap+1", "vswap 1",
		"vswap1x", "VSWAP1",
	};
	size_t len, i;

	*terminate = !chance(15);
	switch (rn(6)) {
	case 0:	/* long: around the 16 and 256 limits */
		len = PICK(((const size_t[]){ 14, 15, 16, 17, 31, 32, 33, 254, 255, 256, 257, 1000 }));
		if (len > room - 1)
			len = room - 1;
		for (i = 0; i < len; i++)
			out[i] = 'a' + i % 26;
		break;
	case 1:	/* random bytes, NULs and high bytes included */
		len = rn(40);
		for (i = 0; i < len; i++)
			out[i] = rnd();
		break;
	default: {
		const char *pick = PICK(v);

		len = strlen(pick);
		memcpy(out, pick, len);
		break;
	}
	}
	if (*terminate)
		out[len++] = '\0';
	return len;
}

static void gen_attrs(struct msg *m, int depth, int set, int cmd);

/* Attribute TYPE of the vswap set (set 0) or of the stats set (set 1). */
static void gen_typed(struct msg *m, int depth, int set, int cmd, int type)
{
	unsigned char pay[1100];
	size_t len = 0;
	int term;
	enum atype at;

	if (set)
		at = type == VSWAP_STATS_A_PAD ? AT_PAD : AT_U64;
	else
		at = vattrs[type].type;
	if (chance(8)) {	/* wrong payload size for the type */
		len = PICK(((const size_t[]){ 0, 1, 2, 3, 5, 7, 9, 12, 16, 64 }));
		for (size_t i = 0; i < len; i++)
			pay[i] = rnd();
		attr_put(m, type, pay, len);
		return;
	}
	switch (at) {
	case AT_U8:
		pay[0] = chance(50) ? rn(3) : rnd();
		len = 1;
		break;
	case AT_U32: {
		uint32_t v;

		if (set)
			v = u32_val();
		else if (type == VSWAP_A_DEV_ID)
			v = dev_id_val();
		else if (type == VSWAP_A_TIER_ID || type == VSWAP_A_MIGRATE_FROM ||
			 type == VSWAP_A_MIGRATE_TO)
			v = tier_id_val();
		else if ((type == VSWAP_A_TIER_KIND || type == VSWAP_A_TIER_CLASS ||
			  type == VSWAP_A_TIER_STATE || type == VSWAP_A_TIER_ALGO ||
			  type == VSWAP_A_MIGRATE_STATE || type == VSWAP_A_WMARK ||
			  type == VSWAP_A_IO_OP) && chance(80))
			v = rn(6);
		else
			v = u32_val();
		memcpy(pay, &v, 4);
		len = 4;
		break;
	}
	case AT_U64: {
		uint64_t v = u64_val(!set && type == VSWAP_A_DEV_SIZE && cmd == VSWAP_CMD_DEV_ADD);

		memcpy(pay, &v, 8);
		len = 8;
		break;
	}
	case AT_STR:
		len = str_val((char *)pay, sizeof(pay), &term);
		break;
	case AT_FLAG:
		len = chance(90) ? 0 : rn(8);
		break;
	case AT_PAD:
		len = PICK(((const size_t[]){ 0, 0, 4, 8 }));
		memset(pay, 0, len);
		break;
	case AT_NEST: {
		struct nlattr *a;
		size_t at_off = m->len;

		if (attr_put(m, type | (chance(80) ? NLA_F_NESTED : 0), NULL, 0))
			return;
		gen_attrs(m, depth + 1, 1, cmd);
		a = (void *)(m->b + at_off);
		a->nla_len = m->len - at_off;
		return;
	}
	default:
		len = rn(16);
		for (size_t i = 0; i < len; i++)
			pay[i] = rnd();
	}
	attr_put(m, type | (chance(3) ? NLA_F_NET_BYTEORDER : 0), pay, len);
}

/* A random known attribute of the vswap set (set 0) or the stats set (1). */
static void gen_known(struct msg *m, int depth, int set, int cmd)
{
	gen_typed(m, depth, set, cmd,
		  set ? 1 + (int)rn(VSWAP_STATS_A_MAX) : 1 + (int)rn(VSWAP_A_MAX));
}

/* The attributes each command takes (docs/netlink/vswap.yaml), 0-ended. */
static const uint8_t cmd_attrs[VSWAP_CMD_MAX + 1][16] = {
	[VSWAP_CMD_DEV_GET] = { VSWAP_A_DEV_ID },
	[VSWAP_CMD_DEV_ADD] = { VSWAP_A_DEV_SIZE, VSWAP_A_DEV_NAME, VSWAP_A_TIER_ALGO,
				VSWAP_A_TIER_LEVEL },
	[VSWAP_CMD_DEV_DEL] = { VSWAP_A_DEV_ID },
	[VSWAP_CMD_TIER_GET] = { VSWAP_A_DEV_ID, VSWAP_A_TIER_ID, VSWAP_A_TIER_NAME },
	[VSWAP_CMD_TIER_ADD] = { VSWAP_A_DEV_ID, VSWAP_A_TIER_KIND, VSWAP_A_TIER_NAME,
				 VSWAP_A_TIER_CLASS, VSWAP_A_TIER_ALGO, VSWAP_A_TIER_LEVEL,
				 VSWAP_A_TIER_LIMIT, VSWAP_A_TIER_PATH,
				 VSWAP_A_TIER_HIGH_WMARK, VSWAP_A_TIER_LOW_WMARK,
				 VSWAP_A_TIER_IDLE_AGE, VSWAP_A_TIER_PRIORITY },
	[VSWAP_CMD_TIER_SET] = { VSWAP_A_DEV_ID, VSWAP_A_TIER_ID, VSWAP_A_TIER_NAME,
				 VSWAP_A_TIER_ALGO, VSWAP_A_TIER_LEVEL, VSWAP_A_TIER_LIMIT,
				 VSWAP_A_TIER_HIGH_WMARK, VSWAP_A_TIER_LOW_WMARK,
				 VSWAP_A_TIER_IDLE_AGE, VSWAP_A_TIER_PRIORITY,
				 VSWAP_A_TIER_STATE },
	[VSWAP_CMD_TIER_DEL] = { VSWAP_A_DEV_ID, VSWAP_A_TIER_ID, VSWAP_A_TIER_NAME,
				 VSWAP_A_TIER_DRAIN, VSWAP_A_TIER_CANCEL },
	[VSWAP_CMD_MIGRATE] = { VSWAP_A_DEV_ID, VSWAP_A_MIGRATE_FROM, VSWAP_A_MIGRATE_TO,
				VSWAP_A_MIGRATE_IDLE, VSWAP_A_MIGRATE_MAX_BYTES },
};

/* Mostly valid-looking: the command's own attributes, each maybe. */
static void gen_targeted(struct msg *m, int cmd)
{
	const uint8_t *a = cmd_attrs[cmd];
	int i;

	for (i = 0; i < 16 && a[i]; i++)
		if (chance(i == 0 ? 85 : 55))
			gen_typed(m, 0, 0, cmd, a[i]);
	if (chance(10))
		gen_known(m, 0, 0, cmd);
}

static void gen_attrs(struct msg *m, int depth, int set, int cmd)
{
	int n = rn(depth ? 5 : 9), i;

	for (i = 0; i < n && m->len + 64 < m->room; i++) {
		int r = rn(100);

		if (r < 70) {
			gen_known(m, depth, set, cmd);
		} else if (r < 85 || depth >= 8) {
			/* random type, out of range mostly; random payload */
			unsigned char pay[48];
			size_t len = rn(sizeof(pay)), k;
			uint16_t type = chance(50) ? rn(VSWAP_A_MAX + 8) : rnd() & NLA_TYPE_MASK;

			for (k = 0; k < len; k++)
				pay[k] = rnd();
			attr_put(m, type | (chance(10) ? NLA_F_NET_BYTEORDER : 0), pay, len);
		} else {
			/* a nest: of a known type or not, flagged or not */
			size_t at_off = m->len;
			struct nlattr *a;
			uint16_t type = chance(50) ? 1 + rn(VSWAP_A_MAX) : rnd() & NLA_TYPE_MASK;

			if (attr_put(m, type | (chance(70) ? NLA_F_NESTED : 0), NULL, 0))
				return;
			gen_attrs(m, depth + 1, chance(50), cmd);
			a = (void *)(m->b + at_off);
			a->nla_len = m->len - at_off;
		}
	}
}

/* Break a well-formed message in one of many ways. */
static void corrupt(struct msg *m, size_t start)
{
	struct nlmsghdr *nlh = (void *)(m->b + start);
	size_t body = m->len - start;
	size_t off, k;

	switch (rn(10)) {
	case 0:	/* nlmsg_len too small */
		nlh->nlmsg_len = PICK(((const uint32_t[]){ 0, 1, NLMSG_HDRLEN - 1, NLMSG_HDRLEN,
							    NLMSG_HDRLEN + 1, NLMSG_HDRLEN + 3 }));
		break;
	case 1:	/* nlmsg_len beyond the datagram */
		nlh->nlmsg_len = body + 4 + rn(4096);
		break;
	case 2:	/* nlmsg_len shorter than the attributes: cuts one */
		if (body > NLMSG_HDRLEN + GENL_HDRLEN)
			nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN +
					 rn(body - NLMSG_HDRLEN - GENL_HDRLEN);
		break;
	case 3:	/* an nla_len that lies */
	case 4:
		off = start + NLMSG_HDRLEN + GENL_HDRLEN;
		while (off + NLA_HDRLEN <= m->len) {
			struct nlattr *a = (void *)(m->b + off);
			size_t alen = a->nla_len;

			if (chance(40) || off + NLA_ALIGN(alen) >= m->len || alen < NLA_HDRLEN) {
				a->nla_len = PICK(((const uint16_t[]){ 0, 1, 3, 4, 5, 7, 0xffff }));
				if (chance(30))
					a->nla_len = m->len - off + 1 + rn(64);
				break;
			}
			off += NLA_ALIGN(alen);
		}
		break;
	case 5:	/* random bytes over the attributes */
		for (k = start + NLMSG_HDRLEN + GENL_HDRLEN; k < m->len; k++)
			if (chance(10))
				m->b[k] = rnd();
		break;
	case 6:	/* odd length and no padding: a 1..3 byte tail */
		k = 1 + rn(3);
		if (m->len + k <= m->room) {
			memset(m->b + m->len, 0xff, k);
			m->len += k;
			nlh->nlmsg_len = m->len - start;
		}
		break;
	case 7:	/* genl header: bad version, reserved bits */
		((struct genlmsghdr *)NLMSG_DATA(nlh))->version = rnd();
		((struct genlmsghdr *)NLMSG_DATA(nlh))->reserved = rnd();
		break;
	case 8:	/* truncated genl header */
		nlh->nlmsg_len = NLMSG_HDRLEN + rn(GENL_HDRLEN);
		break;
	default:	/* garbage in the whole payload */
		for (k = start + NLMSG_HDRLEN; k < m->len; k++)
			m->b[k] = rnd();
		break;
	}
}

static size_t gen_message(struct msg *m)
{
	size_t start = m->len;
	struct nlmsghdr *nlh;
	uint16_t flags = 0, type = family_id;
	int cmd, r;

	r = rn(100);
	if (r < 80)
		cmd = 1 + rn(VSWAP_CMD_MAX);	/* known, ntf ones too */
	else if (r < 85)
		cmd = 0;
	else
		cmd = rnd() & 0xff;
	if (chance(97))
		flags |= NLM_F_REQUEST;
	if (chance(70))
		flags |= NLM_F_ACK;
	if (chance(25))
		flags |= NLM_F_DUMP;
	if (chance(5))
		flags |= rnd() & 0xffff;
	if (chance(2))
		type = PICK(((const uint16_t[]){ NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE,
						 NLMSG_OVERRUN, family_id + 1, 0xffff }));
	nlh = msg_start(m, type, flags, cmd, chance(95) ? VSWAP_GENL_VERSION : rnd());
	if (!nlh)
		return 0;
	if (cmd <= VSWAP_CMD_MAX && cmd_attrs[cmd][0] && chance(50))
		gen_targeted(m, cmd);
	else
		gen_attrs(m, 0, 0, cmd);
	nlh = (void *)(m->b + start);
	nlh->nlmsg_len = m->len - start;
	if (chance(45))
		corrupt(m, start);
	st.bytes += m->len - start;
	return m->len - start;
}

static void fuzz(unsigned long count, int seconds, unsigned long every, int quiet)
{
	static unsigned char tx[TXBUF];
	time_t t0 = time(NULL);
	unsigned long next_report = 20000, next_clean = every;
	int i;

	while (st.sent < count) {
		struct msg m = { tx, 0, TXBUF };
		int nmsg = chance(75) ? 1 : 2 + rn(5), r;

		for (i = 0; i < nmsg && st.sent < count; i++) {
			size_t before = m.len;

			m.room = before + MSGMAX <= TXBUF ? before + MSGMAX : TXBUF;
			if (!gen_message(&m))
				break;
			st.sent++;
			msg_align(&m);
		}
		if (chance(3) && m.len > 1)	/* the datagram itself cut short */
			m.len = 1 + rn(m.len - 1);
		r = nl_send(tx, m.len);
		st.datagrams++;
		if (r < 0) {
			if (errno == ENOBUFS || errno == EAGAIN)
				drain();
			st.send_err[errno < 4096 ? errno : 0]++;
		}
		drain();
		if (every && st.sent >= next_clean) {
			cleanup_devs();
			next_clean += every;
		}
		if (st.sent >= next_report) {
			if (!quiet)
				fprintf(stderr, "# fuzz: %lu sent, %lu acks, %lu s\n",
					st.sent, st.acks, (unsigned long)(time(NULL) - t0));
			next_report += 20000;
		}
		if (seconds && time(NULL) - t0 >= seconds) {
			fprintf(stderr, "# fuzz: time limit (%d s) after %lu messages\n",
				seconds, st.sent);
			break;
		}
	}
	/* Let the last dumps finish. */
	for (i = 0; i < 20; i++) {
		usleep(10000);
		drain();
	}
}

/* ------------------------------------------------------------------------
 * Send mode
 */

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || !*s || *end ? -1 : 0;
}

static int put_typed(struct msg *m, int type, const char *fmt, const char *val)
{
	unsigned char pay[1024];
	uint64_t v = 0;
	size_t len = 0;

	if (strcmp(fmt, "flag") && !val)
		return -1;
	if (!strcmp(fmt, "u8") || !strcmp(fmt, "u32") || !strcmp(fmt, "u64")) {
		if (parse_u64(val, &v))
			return -1;
		len = fmt[1] == '8' ? 1 : fmt[1] == '3' ? 4 : 8;
		if (len == 1)
			pay[0] = v;
		else if (len == 4)
			*(uint32_t *)pay = v;
		else
			memcpy(pay, &v, 8);
	} else if (!strcmp(fmt, "str") || !strcmp(fmt, "nstr")) {
		len = strlen(val);
		if (len + 1 > sizeof(pay))
			return -1;
		memcpy(pay, val, len + 1);
		if (fmt[0] == 's')
			len++;
	} else if (!strcmp(fmt, "hex")) {
		while (val[0] && val[1] && len < sizeof(pay)) {
			unsigned int b;

			if (sscanf(val, "%2x", &b) != 1)
				return -1;
			pay[len++] = b;
			val += 2;
		}
	} else if (strcmp(fmt, "flag")) {
		return -1;
	}
	return attr_put(m, type, pay, len);
}

static void print_reply(const struct nlmsghdr *nlh, void *arg)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	const unsigned char *p = (const unsigned char *)g + GENL_HDRLEN;
	int left = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	printf("%s %s", arg ? (const char *)arg : "reply",
	       g->cmd <= VSWAP_CMD_MAX ? cmd_names[g->cmd] : "?");
	while (left >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		int type = a->nla_type & NLA_TYPE_MASK, plen = a->nla_len - NLA_HDRLEN;
		const void *d = a + 1;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > left)
			break;
		if (type > VSWAP_A_MAX || !vattrs[type].name) {
			printf(" %d:len=%d", type, plen);
		} else if (vattrs[type].type == AT_NEST) {
			const unsigned char *q = d;
			int ql = plen;

			while (ql >= NLA_HDRLEN) {
				const struct nlattr *s = (const void *)q;
				int t = s->nla_type & NLA_TYPE_MASK;

				if (s->nla_len < NLA_HDRLEN || s->nla_len > ql)
					break;
				if (t <= VSWAP_STATS_A_MAX && stat_names[t] && t != VSWAP_STATS_A_PAD &&
				    s->nla_len == NLA_HDRLEN + 8)
					printf(" %s.%s=%" PRIu64, vattrs[type].name, stat_names[t],
					       *(const uint64_t *)(s + 1));
				q += NLA_ALIGN(s->nla_len);
				ql -= NLA_ALIGN(s->nla_len);
			}
		} else if (vattrs[type].type == AT_STR) {
			printf(" %s=%.*s", vattrs[type].name, (int)strnlen(d, plen), (const char *)d);
		} else if (plen == 1) {
			printf(" %s=%u", vattrs[type].name, *(const uint8_t *)d);
		} else if (plen == 4) {
			printf(" %s=%u", vattrs[type].name, *(const uint32_t *)d);
		} else if (plen == 8) {
			printf(" %s=%" PRIu64, vattrs[type].name, *(const uint64_t *)d);
		} else if (vattrs[type].type != AT_PAD) {
			printf(" %s:len=%d", vattrs[type].name, plen);
		}
		p += NLA_ALIGN(a->nla_len);
		left -= NLA_ALIGN(a->nla_len);
	}
	printf("\n");
}

static int send_mode(int argc, char **argv)
{
	static unsigned char tx[TXBUF];
	struct msg m = { tx, 0, sizeof(tx) };
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	uint64_t v;
	int cmd = -1, i, r;

	if (argc < 1) {
		fprintf(stderr, "vswap_nl_fuzz --send CMD [--dump] [ATTR[=VALUE]]...\n");
		return 1;
	}
	for (i = 0; i <= VSWAP_CMD_MAX; i++) {
		char name[32];
		size_t k;

		snprintf(name, sizeof(name), "%s", cmd_names[i]);
		for (k = 0; name[k]; k++)
			if (name[k] == '-')
				name[k] = '_';
		if (!strcmp(argv[0], cmd_names[i]) || !strcasecmp(argv[0], name))
			cmd = i;
	}
	if (cmd < 0 && !parse_u64(argv[0], &v) && v < 256)
		cmd = v;
	if (cmd < 0) {
		fprintf(stderr, "vswap_nl_fuzz: unknown command '%s'\n", argv[0]);
		return 1;
	}
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--dump"))
			flags |= NLM_F_DUMP;
	msg_start(&m, family_id, flags, cmd, VSWAP_GENL_VERSION);
	for (i = 1; i < argc; i++) {
		char *arg = argv[i], *eq, *colon;
		int type = -1, k, bad;

		if (!strcmp(arg, "--dump"))
			continue;
		eq = strchr(arg, '=');
		if (eq)
			*eq++ = '\0';
		colon = strchr(arg, ':');
		if (colon) {
			*colon++ = '\0';
			bad = parse_u64(arg, &v) || v > NLA_TYPE_MASK;
			bad = bad || put_typed(&m, v, colon, eq);
		} else {
			for (k = 1; k <= VSWAP_A_MAX; k++)
				if (vattrs[k].name && !strcmp(vattrs[k].name, arg))
					type = k;
			bad = type < 0;
			if (!bad) {
				static const char *const fmts[] = {
					[AT_U8] = "u8", [AT_U32] = "u32", [AT_U64] = "u64",
					[AT_STR] = "str", [AT_FLAG] = "flag", [AT_NEST] = "hex",
					[AT_PAD] = "hex",
				};

				bad = put_typed(&m, type, fmts[vattrs[type].type], eq ? eq : "");
				if (vattrs[type].type == AT_FLAG && eq)
					bad = 1;
			}
		}
		if (bad) {
			fprintf(stderr, "vswap_nl_fuzz: bad attribute '%s'\n", argv[i]);
			return 1;
		}
	}
	r = request(&m, print_reply, NULL);
	if (r == -ETIMEDOUT) {
		fprintf(stderr, "vswap_nl_fuzz: no answer\n");
		return 1;
	}
	if (r) {
		printf("error %s (%d): %s\n", errname(-r), r, last_extack ? last_extack : "");
		return 2;
	}
	printf("ok\n");
	return 0;
}

static int listen_mode(int argc, char **argv)
{
	static unsigned char buf[RXBUF];
	int seconds = argc > 0 ? atoi(argv[0]) : 0;
	time_t end = time(NULL) + seconds;

	if (!mcgrp_events) {
		fprintf(stderr, "vswap_nl_fuzz: no \"%s\" multicast group\n", VSWAP_MCGRP_EVENTS);
		return 1;
	}
	if (setsockopt(nl_fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &mcgrp_events,
		       sizeof(mcgrp_events))) {
		perror("vswap_nl_fuzz: NETLINK_ADD_MEMBERSHIP");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("listening\n");
	for (;;) {
		int ms = seconds ? (int)(end - time(NULL)) * 1000 : 1000, r;
		const struct nlmsghdr *h = (const void *)buf;

		if (seconds && ms <= 0)
			return 0;
		r = nl_recv_wait(buf, sizeof(buf), ms);
		if (r == -ENOBUFS) {
			printf("overrun\n");
			continue;
		}
		if (r < 0) {
			fprintf(stderr, "vswap_nl_fuzz: recv: %s\n", strerror(-r));
			return 1;
		}
		for (; r > 0 && NLMSG_OK(h, r); h = NLMSG_NEXT(h, r))
			if (h->nlmsg_type == family_id)
				print_reply(h, "event");
	}
}

/* ------------------------------------------------------------------------ */

static void summary(double secs)
{
	unsigned long nerr = 0;
	int e, i, any = 0;

	for (e = 0; e < 4096; e++)
		nerr += st.errs[e];
	printf("fuzz: sent %lu messages in %lu datagrams (%lu bytes) in %.1f s: "
	       "%lu acks, %lu errors, %lu data replies, %lu dumps done, %lu overruns, "
	       "%lu bad replies, %lu unexpected\n",
	       st.sent, st.datagrams, st.bytes, secs, st.acks, nerr,
	       st.data, st.dumps, st.overruns, st.bad, st.other);
	printf("fuzz: errors by errno:");
	for (e = 1; e < 4096; e++)
		if (st.errs[e]) {
			printf(" %s=%lu", errname(e), st.errs[e]);
			any = 1;
		}
	printf("%s\n", any ? "" : " none");
	any = 0;
	printf("fuzz: send errors:");
	for (e = 0; e < 4096; e++)
		if (st.send_err[e]) {
			printf(" %s=%lu", errname(e), st.send_err[e]);
			any = 1;
		}
	printf("%s\n", any ? "" : " none");
	if (st.cleanups)
		printf("fuzz: %lu cleanups deleted %lu devices the fuzzer made\n",
		       st.cleanups, st.cleaned);
	for (i = 0; i < NEXTACK && extacks[i].n; i++)
		printf("fuzz: extack %6lu x \"%s\"\n", extacks[i].n, extacks[i].msg);
}

int main(int argc, char **argv)
{
	unsigned long count = 100000, every = 2000;
	uint64_t seed = 0;
	int seconds = 0, quiet = 0, i, r;
	struct timespec t0, t1;
	unsigned char now[128];
	const char *family = VSWAP_GENL_NAME;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--send") || !strcmp(argv[i], "--listen"))
			break;
	if (i < argc) {
		nl_open();
		r = resolve_family(VSWAP_GENL_NAME);
		if (r < 0) {
			fprintf(stderr, "vswap_nl_fuzz: family %s: %s\n", VSWAP_GENL_NAME,
				strerror(-r));
			return 1;
		}
		family_id = r;
		if (!strcmp(argv[i], "--listen"))
			return listen_mode(argc - i - 1, argv + i + 1);
		return send_mode(argc - i - 1, argv + i + 1);
	}
	while ((r = getopt(argc, argv, "n:s:t:c:qF:")) != -1) {
		switch (r) {
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			seconds = atoi(optarg);
			break;
		case 'c':
			every = strtoul(optarg, NULL, 0);
			break;
		case 'q':
			quiet = 1;
			break;
		case 'F':
			family = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-n COUNT] [-s SEED] [-t SECONDS] [-c EVERY] [-q]\n"
				"       %s --send CMD [--dump] [ATTR[=VALUE]]...\n", argv[0], argv[0]);
			return 1;
		}
	}
	if (!seed)
		seed = ((uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32)) | 1;
	rs = seed;
	nl_open();
	r = resolve_family(family);
	if (r < 0) {
		fprintf(stderr, "vswap_nl_fuzz: family %s: %s\n", family, strerror(-r));
		return 1;
	}
	family_id = r;
	printf("fuzz: family %s id %u, seed %" PRIu64 ", %lu messages, uid %u\n",
	       family, family_id, seed, count, (unsigned int)getuid());
	fflush(stdout);
	have_initial = list_devs(initial_devs) == 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	fuzz(count, seconds, every, quiet);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cleanup_devs();
	summary(t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9);

	/* Still alive: the ctrl family and ours both answer. */
	r = resolve_family(family);
	if (r != family_id) {
		printf("fuzz: FAIL: the family no longer resolves (%d)\n", r);
		return 1;
	}
	r = strcmp(family, VSWAP_GENL_NAME) ? 0 : list_devs(now);
	if (r) {
		printf("fuzz: FAIL: a device dump after the fuzz failed: %s\n", strerror(-r));
		return 1;
	}
	if (st.bad) {
		printf("fuzz: FAIL: %lu malformed replies from the kernel\n", st.bad);
		return 1;
	}
	printf("fuzz: socket alive, family answers\n");
	return 0;
}
