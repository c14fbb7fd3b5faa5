// SPDX-License-Identifier: GPL-2.0
/*
 * vswapctl: the generic netlink session (libnl-genl-3).
 *
 * One request socket with extended acks (NETLINK_EXT_ACK, NETLINK_CAP_ACK)
 * and, for monitor and the --wait options, a second socket joined to the
 * "events" multicast group.  Errors keep the kernel's extack message and,
 * where it names one, the offending or missing attribute.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "obj.h"
#include "vswapctl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static struct nl_sock *req_sk;
static int family = -1;
static struct nl_msg *cur_req;		/* the request being answered */
struct vnl_error vnl_last_error;

static void __attribute__((noreturn)) vnl_fatal(const char *what, int nlerr)
{
	fprintf(stderr, PROG ": %s: %s\n", what, nl_geterror(nlerr));
	exit(EXIT_KERNEL);
}

static void set_ext_ack(struct nl_sock *sk)
{
	int one = 1, fd = nl_socket_get_fd(sk);

	/* Best effort: a kernel without extack still answers. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
}

static struct nl_sock *sock_open(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int ret;

	if (!sk) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(EXIT_KERNEL);
	}
	ret = genl_connect(sk);
	if (ret < 0)
		vnl_fatal("cannot open a generic netlink socket", ret);
	return sk;
}

void vnl_init(void)
{
	if (req_sk)
		return;
	req_sk = sock_open();
	set_ext_ack(req_sk);
	family = genl_ctrl_resolve(req_sk, VSWAP_GENL_NAME);
	if (family == -NLE_OBJ_NOTFOUND) {
		fprintf(stderr, PROG ": the vswap module is not loaded "
			"(generic netlink family '" VSWAP_GENL_NAME "' not found)\n");
		exit(EXIT_KERNEL);
	}
	if (family < 0)
		vnl_fatal("cannot look up the generic netlink family '"
			 VSWAP_GENL_NAME "'", family);
}

struct nl_msg *vnl_req(uint8_t cmd, bool dump)
{
	struct nl_msg *m;

	vnl_init();
	m = nlmsg_alloc();
	if (!m || !genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			       dump ? NLM_F_DUMP : 0, cmd, VSWAP_GENL_VERSION)) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(EXIT_KERNEL);
	}
	return m;
}

static void put_check(int ret)
{
	if (ret < 0) {
		fprintf(stderr, PROG ": cannot build the request: %s\n",
			nl_geterror(ret));
		exit(EXIT_KERNEL);
	}
}

void vnl_put_u8(struct nl_msg *m, int attr, uint8_t v)
{
	put_check(nla_put_u8(m, attr, v));
}

void vnl_put_u32(struct nl_msg *m, int attr, uint32_t v)
{
	put_check(nla_put_u32(m, attr, v));
}

/*
 * No pad attribute in requests: the family's strict policies reject
 * attributes they do not list, and the kernel reads u64s unaligned.
 */
void vnl_put_u64(struct nl_msg *m, int attr, uint64_t v)
{
	put_check(nla_put_u64(m, attr, v));
}

void vnl_put_str(struct nl_msg *m, int attr, const char *s)
{
	put_check(nla_put_string(m, attr, s));
}

void vnl_put_flag(struct nl_msg *m, int attr)
{
	put_check(nla_put_flag(m, attr));
}

/* ------------------------------------------------------------------ */
/* Extended acks. */

/* The request's attribute at byte offset off of its message, or 0. */
static int req_attr_at(uint32_t off)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct nlattr *a;
	int rem;

	if (!cur_req)
		return 0;
	nlh = nlmsg_hdr(cur_req);
	g = nlmsg_data(nlh);
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem) {
		if ((uint32_t)((char *)a - (char *)nlh) == off)
			return nla_type(a);
	}
	return 0;
}

/*
 * The TLVs after an NLMSG_ERROR's struct nlmsgerr (and the echoed request
 * unless NLM_F_CAPPED) or an NLMSG_DONE's int.
 */
static void parse_ext_ack(const struct nlmsghdr *nlh, size_t hlen, int err,
			  bool warning)
{
	static const struct nla_policy ext_ack_policy[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG]		= { .type = NLA_STRING },
		[NLMSGERR_ATTR_OFFS]		= { .type = NLA_U32 },
		[NLMSGERR_ATTR_MISS_TYPE]	= { .type = NLA_U32 },
		[NLMSGERR_ATTR_MISS_NEST]	= { .type = NLA_U32 },
	};
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct nlattr *start;
	int len;

	memset(&vnl_last_error, 0, sizeof(vnl_last_error));
	vnl_last_error.err = err;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	hlen = NLMSG_ALIGN(hlen);
	if (nlh->nlmsg_len < NLMSG_HDRLEN + hlen)
		return;
	start = (struct nlattr *)((char *)NLMSG_DATA(nlh) + hlen);
	len = (int)(nlh->nlmsg_len - NLMSG_HDRLEN - hlen);
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, start, len, ext_ack_policy) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG]) {
		size_t n;

		nla_strlcpy(vnl_last_error.msg, tb[NLMSGERR_ATTR_MSG],
			    sizeof(vnl_last_error.msg));
		/* Drop a trailing newline, if any. */
		n = strlen(vnl_last_error.msg);
		while (n && vnl_last_error.msg[n - 1] == '\n')
			vnl_last_error.msg[--n] = '\0';
	}
	if (tb[NLMSGERR_ATTR_OFFS])
		vnl_last_error.attr = req_attr_at(nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
	if (tb[NLMSGERR_ATTR_MISS_TYPE] && !tb[NLMSGERR_ATTR_MISS_NEST])
		vnl_last_error.miss_attr = (int)nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	if (warning && vnl_last_error.msg[0])
		fprintf(stderr, PROG ": warning: %s\n", vnl_last_error.msg);
}

/*
 * The generic messages of the kernel's attribute validation (lib/nlattr.c)
 * do not say which attribute: for those, name it.  vswap's own messages
 * say what is wrong in words already.
 */
static bool generic_msg(const char *msg)
{
	static const char *const generic[] = {
		"integer out of range", "Unsupported attribute",
		"Unknown attribute type", "invalid attribute length",
		"Attribute failed policy validation", "binary attribute size out of range",
		"NLA_F_NESTED is missing", "NLA_F_NESTED not expected",
		"reserved bit set", "Array element too short",
	};

	if (!msg[0])
		return true;
	for (size_t i = 0; i < sizeof(generic) / sizeof(generic[0]); i++)
		if (!strcmp(msg, generic[i]))
			return true;
	return false;
}

void vnl_die(const char *what, int err)
{
	const struct vnl_error *e = &vnl_last_error;
	char detail[96] = "";

	if (generic_msg(e->msg) && e->attr && attr_name(e->attr))
		snprintf(detail, sizeof(detail), " (attribute %s)", attr_name(e->attr));
	else if (generic_msg(e->msg) && e->miss_attr && attr_name(e->miss_attr))
		snprintf(detail, sizeof(detail), " (missing attribute %s)",
			 attr_name(e->miss_attr));
	fprintf(stderr, PROG ": %s%s: %s\n", e->msg[0] ? e->msg : what, detail,
		strerror(err));
	if (err == EPERM && !e->msg[0])
		fprintf(stderr, PROG ": changing vswap devices needs CAP_SYS_ADMIN (run as root)\n");
	exit(EXIT_KERNEL);
}

/* ------------------------------------------------------------------ */
/* Requests. */

struct req_state {
	bool done;
	bool intr;			/* NLM_F_DUMP_INTR seen */
	int err;			/* positive errno from the kernel */
	struct vs_obj *reply;
	bool got_reply;
	struct vs_list *list;
};

static int cb_valid(struct nl_msg *msg, void *arg)
{
	struct req_state *st = arg;
	struct vs_obj o;
	char err[128];

	if (nlmsg_hdr(msg)->nlmsg_type != family)
		return NL_SKIP;
	if (obj_parse(msg, &o, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": malformed reply from the kernel: %s\n", err);
		exit(EXIT_KERNEL);
	}
	if (st->list) {
		list_push(st->list, &o);
	} else if (st->reply && !st->got_reply) {
		*st->reply = o;
		st->got_reply = true;
	}
	return NL_OK;
}

static int cb_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct req_state *st = arg;
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	size_t hlen = sizeof(*e);

	(void)nla;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		hlen += e->msg.nlmsg_len >= NLMSG_HDRLEN ? e->msg.nlmsg_len - NLMSG_HDRLEN : 0;
	st->err = e->error < 0 ? -e->error : (e->error ? e->error : EIO);
	parse_ext_ack(nlh, hlen, st->err, false);
	st->done = true;
	return NL_STOP;
}

static int cb_ack(struct nl_msg *msg, void *arg)
{
	struct req_state *st = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	/* A success may carry a warning. */
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		parse_ext_ack(nlh, sizeof(struct nlmsgerr), 0, true);
	st->done = true;
	return NL_STOP;
}

static int cb_finish(struct nl_msg *msg, void *arg)
{
	struct req_state *st = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int err = 0;

	/* NLMSG_DONE carries the dump's error, and extack after it. */
	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
		memcpy(&err, nlmsg_data(nlh), sizeof(int));
	if (err < 0) {
		st->err = -err;
		parse_ext_ack(nlh, sizeof(int), st->err, false);
	} else if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		parse_ext_ack(nlh, sizeof(int), 0, true);
	}
	st->done = true;
	return NL_STOP;
}

static int cb_dump_intr(struct nl_msg *msg, void *arg)
{
	struct req_state *st = arg;

	(void)msg;
	st->intr = true;
	return NL_OK;
}

/* Send msg (not freed) and read the answer; 0 or a negative errno. */
static int request(struct nl_msg *msg, struct req_state *st)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb) {
		fprintf(stderr, PROG ": out of memory\n");
		exit(EXIT_KERNEL);
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, cb_valid, st);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, cb_ack, st);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, cb_finish, st);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, cb_dump_intr, st);
	nl_cb_err(cb, NL_CB_CUSTOM, cb_error, st);

	memset(&vnl_last_error, 0, sizeof(vnl_last_error));
	cur_req = msg;
	/* A resend gets a fresh sequence number. */
	nlmsg_hdr(msg)->nlmsg_seq = NL_AUTO_SEQ;
	ret = nl_send_auto(req_sk, msg);
	if (ret < 0)
		vnl_fatal("cannot send the request", ret);
	while (!st->done) {
		ret = nl_recvmsgs(req_sk, cb);
		if (st->err)
			break;
		if (ret < 0)
			vnl_fatal("cannot read the kernel's answer", ret);
	}
	cur_req = NULL;
	nl_cb_put(cb);
	return st->err ? -st->err : 0;
}

int vnl_do(struct nl_msg *msg, struct vs_obj *reply)
{
	struct req_state st = { .reply = reply };
	int ret;

	if (reply)
		memset(reply, 0, sizeof(*reply));
	ret = request(msg, &st);
	nlmsg_free(msg);
	return ret;
}

int vnl_dump(struct nl_msg *msg, struct vs_list *out)
{
	size_t n0 = out->n;
	int ret;

	for (int tries = 0;; tries++) {
		struct req_state st = { .list = out };

		ret = request(msg, &st);
		/* The dump changed under us (NLM_F_DUMP_INTR): start again. */
		if (ret || !st.intr || tries == 4)
			break;
		out->n = n0;
	}
	nlmsg_free(msg);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Events. */

struct ev_state {
	struct nl_sock *sk;
	int (*cb)(const struct vs_obj *ev, void *arg);
	void *arg;
	int stop;
};

/*
 * nlctrl's notifications: when vswap registers again (the module was
 * reloaded), its family id and events group may have changed: follow.
 */
static void ctrl_event(struct nl_sock *sk, struct nl_msg *msg)
{
	static const struct nla_policy ctrl_policy[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID]		= { .type = NLA_U16 },
		[CTRL_ATTR_FAMILY_NAME]		= { .type = NLA_STRING },
		[CTRL_ATTR_MCAST_GROUPS]	= { .type = NLA_NESTED },
	};
	static const struct nla_policy grp_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
		[CTRL_ATTR_MCAST_GRP_NAME]	= { .type = NLA_STRING },
		[CTRL_ATTR_MCAST_GRP_ID]	= { .type = NLA_U32 },
	};
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *g;
	int rem;

	if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, ctrl_policy) < 0 ||
	    (genlmsg_hdr(nlh)->cmd != CTRL_CMD_NEWFAMILY &&
	     genlmsg_hdr(nlh)->cmd != CTRL_CMD_NEWMCAST_GRP) ||
	    !tb[CTRL_ATTR_FAMILY_NAME] ||
	    nla_strcmp(tb[CTRL_ATTR_FAMILY_NAME], VSWAP_GENL_NAME))
		return;
	if (tb[CTRL_ATTR_FAMILY_ID])
		family = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return;
	nla_for_each_nested(g, tb[CTRL_ATTR_MCAST_GROUPS], rem) {
		struct nlattr *gb[CTRL_ATTR_MCAST_GRP_MAX + 1];

		if (nla_parse_nested(gb, CTRL_ATTR_MCAST_GRP_MAX, g, grp_policy) < 0 ||
		    !gb[CTRL_ATTR_MCAST_GRP_NAME] || !gb[CTRL_ATTR_MCAST_GRP_ID] ||
		    nla_strcmp(gb[CTRL_ATTR_MCAST_GRP_NAME], VSWAP_MCGRP_EVENTS))
			continue;
		nl_socket_add_membership(sk, (int)nla_get_u32(gb[CTRL_ATTR_MCAST_GRP_ID]));
	}
}

static int cb_event(struct nl_msg *msg, void *arg)
{
	struct ev_state *st = arg;
	struct vs_obj o;
	char err[128];

	if (nlmsg_hdr(msg)->nlmsg_type == GENL_ID_CTRL) {
		ctrl_event(st->sk, msg);
		return NL_SKIP;
	}
	if (nlmsg_hdr(msg)->nlmsg_type != family)
		return NL_SKIP;
	if (obj_parse(msg, &o, err, sizeof(err)) < 0) {
		/* One bad event does not end monitor or a --wait. */
		fprintf(stderr, PROG ": warning: malformed event skipped: %s\n", err);
		return NL_SKIP;
	}
	if (!event_name(o.cmd))
		return NL_SKIP;
	st->stop = st->cb(&o, st->arg);
	return st->stop ? NL_STOP : NL_OK;
}

struct nl_sock *vnl_events_open(void)
{
	struct nl_sock *sk;
	int grp, ret;

	vnl_init();
	sk = sock_open();
	grp = genl_ctrl_resolve_grp(sk, VSWAP_GENL_NAME, VSWAP_MCGRP_EVENTS);
	if (grp < 0) {
		fprintf(stderr, PROG ": the vswap module has no '" VSWAP_MCGRP_EVENTS
			"' multicast group: %s\n", nl_geterror(grp));
		exit(EXIT_KERNEL);
	}
	nl_socket_disable_seq_check(sk);
	nl_socket_disable_auto_ack(sk);
	ret = nl_socket_add_membership(sk, grp);
	if (ret < 0)
		vnl_fatal("cannot join the vswap events group", ret);
	/* Best effort: family (re)registrations, to follow a module reload. */
	grp = genl_ctrl_resolve_grp(sk, "nlctrl", "notify");
	if (grp >= 0)
		nl_socket_add_membership(sk, grp);
	/* Room for bursts; the kernel caps this at rmem_max. */
	nl_socket_set_buffer_size(sk, 4 << 20, 0);
	return sk;
}

void vnl_events_close(struct nl_sock *sk)
{
	if (sk)
		nl_socket_free(sk);
}

int vnl_events_wait(struct nl_sock *sk, int timeout_ms,
		   int (*cb)(const struct vs_obj *ev, void *arg), void *arg)
{
	struct ev_state st = { .sk = sk, .cb = cb, .arg = arg };
	struct pollfd pfd = { .fd = nl_socket_get_fd(sk), .events = POLLIN };
	struct nl_cb *ncb;
	int ret;

	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return errno == EINTR ? 0 : -errno;
	if (ret == 0)
		return 0;
	ncb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!ncb)
		return -ENOMEM;
	nl_cb_set(ncb, NL_CB_VALID, NL_CB_CUSTOM, cb_event, &st);
	ret = nl_recvmsgs(sk, ncb);
	nl_cb_put(ncb);
	if (st.stop)
		return st.stop;
	if (ret == -NLE_NOMEM)		/* ENOBUFS: the socket overran */
		return -ENOBUFS;
	if (ret < 0)
		return -EIO;
	return 0;
}
