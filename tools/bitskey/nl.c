// SPDX-License-Identifier: GPL-2.0
/*
 * bitskey: the generic-netlink conversation with the module, through
 * libnl-3.  Kernel refusals come back with their extack message, which is
 * what the user sees.
 */
#include <errno.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>

#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "bitskey.h"

struct bk_nl {
	struct nl_sock *sk;
	int family;
	unsigned int version;
};

struct bk_req {
	int (*parse)(struct nlmsghdr *nlh, void *arg, char *err, size_t errlen);
	void *arg;
	char *err;
	size_t errlen;
	int error;	/* negative errno from the kernel, or -1 on a parse failure */
	bool done;
	uint32_t seq;	/* the request's sequence number */
};

/*
 * Answers belong to the request by its sequence number.  (libnl's own
 * check counts the acks it has seen, and bk_nl_batch() reads its acks
 * itself, so after a batch libnl's count would be behind.)
 */
static int seq_cb(struct nl_msg *msg, void *arg)
{
	const struct bk_req *req = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == req->seq ? NL_OK : NL_SKIP;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct bk_req *req = arg;

	if (req->parse && req->parse(nlmsg_hdr(msg), req->arg, req->err, req->errlen)) {
		req->error = -1;
		return NL_STOP;
	}
	return NL_OK;
}

/* The kernel's NLMSGERR_ATTR_MSG follows the capped error message. */
static int error_cb(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct bk_req *req = arg;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
	int hdr = NLMSG_HDRLEN + sizeof(*e);

	(void)who;
	req->error = e->error;
	req->done = true;
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && (int)nlh->nlmsg_len > hdr)
		nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + hdr),
			  nlh->nlmsg_len - hdr, NULL);
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(req->err, req->errlen, "%s (%s)",
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]), strerror(-e->error));
	else
		snprintf(req->err, req->errlen, "%s", strerror(-e->error));
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct bk_req *req = arg;

	(void)msg;
	req->done = true;
	return NL_STOP;
}

struct bk_nl *bk_nl_open(char *err, size_t errlen)
{
	struct genl_family *fam = NULL;
	struct nl_cache *cache = NULL;
	struct bk_nl *nl;
	int one = 1, e;

	nl = calloc(1, sizeof(*nl));
	if (!nl) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		snprintf(err, errlen, "cannot allocate a netlink socket");
		goto fail;
	}
	e = genl_connect(nl->sk);
	if (e < 0) {
		snprintf(err, errlen, "cannot open a generic netlink socket: %s", nl_geterror(e));
		goto fail;
	}
	/* Room for a whole batch of acks (see apply.c). */
	nl_socket_set_buffer_size(nl->sk, 1 << 20, 1 << 20);
	/* Ask for extack messages, and for error replies without our request. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	e = genl_ctrl_alloc_cache(nl->sk, &cache);
	if (e < 0) {
		snprintf(err, errlen, "cannot list generic netlink families: %s", nl_geterror(e));
		goto fail;
	}
	fam = genl_ctrl_search_by_name(cache, BITSEC_GENL_NAME);
	if (!fam) {
		/* Resolving by name lets the kernel autoload an installed module. */
		e = genl_ctrl_resolve(nl->sk, BITSEC_GENL_NAME);
		if (e >= 0) {
			nl_cache_free(cache);
			cache = NULL;
			genl_ctrl_alloc_cache(nl->sk, &cache);
			fam = cache ? genl_ctrl_search_by_name(cache, BITSEC_GENL_NAME) : NULL;
		}
	}
	if (!fam) {
		snprintf(err, errlen,
			 "the bitsec module is not loaded in this kernel (no generic netlink family '%s'); "
			 "load it with 'modprobe bitsec' or 'insmod bitsec.ko'",
			 BITSEC_GENL_NAME);
		goto fail;
	}
	nl->family = genl_family_get_id(fam);
	nl->version = genl_family_get_version(fam);
	genl_family_put(fam);
	nl_cache_free(cache);
	return nl;
fail:
	if (cache)
		nl_cache_free(cache);
	bk_nl_close(nl);
	return NULL;
}

void bk_nl_close(struct bk_nl *nl)
{
	if (!nl)
		return;
	if (nl->sk)
		nl_socket_free(nl->sk);
	free(nl);
}

unsigned int bk_nl_family_version(const struct bk_nl *nl)
{
	return nl->version;
}

static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct bk_req *req = arg;

	(void)msg;
	req->done = true;
	return NL_STOP;
}

/*
 * Send @msg (built with bk_nl_family_id()) and run @parse on each reply
 * until the ack, the end of a dump, or an error.  Returns 0, the kernel's
 * negative errno with its message in @err, or -1 for a local failure.
 */
int bk_nl_send(struct bk_nl *nl, struct nl_msg *msg,
	       int (*parse)(struct nlmsghdr *, void *, char *, size_t),
	       void *arg, char *err, size_t errlen)
{
	struct bk_req req = { parse, arg, err, errlen, 0, false, 0 };
	struct nl_cb *cb;
	int e;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, &req);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_cb, &req);

	nl_complete_msg(nl->sk, msg);
	req.seq = nlmsg_hdr(msg)->nlmsg_seq;
	e = nl_send_auto(nl->sk, msg);
	if (e < 0) {
		snprintf(err, errlen, "cannot send to the bitsec module: %s", nl_geterror(e));
		e = -1;
		goto out;
	}
	while (!req.done && !req.error) {
		e = nl_recvmsgs(nl->sk, cb);
		if (e < 0 && !req.error) {
			snprintf(err, errlen, "receiving from the bitsec module: %s",
				 nl_geterror(e));
			e = -1;
			goto out;
		}
	}
	e = req.error;
out:
	nl_cb_put(cb);
	return e;
}

int bk_nl_family_id(const struct bk_nl *nl)
{
	return nl->family;
}

static int bk_nl_request(struct bk_nl *nl, uint8_t cmd, int flags,
			 int (*parse)(struct nlmsghdr *, void *, char *, size_t),
			 void *arg, char *err, size_t errlen)
{
	struct nl_msg *msg = nlmsg_alloc();
	int e;

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				 flags | NLM_F_ACK, cmd, BITSEC_GENL_VERSION)) {
		nlmsg_free(msg);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	e = bk_nl_send(nl, msg, parse, arg, err, errlen);
	nlmsg_free(msg);
	return e;
}

/*
 * Batches: many requests in one sendmsg, acks matched by sequence number.
 * Netlink processes every message of a batch even after one fails, so the
 * caller learns each message's own result and decides what to undo.
 */
int bk_nl_batch(struct bk_nl *nl, struct nl_msg **msgs, unsigned int n, int *results,
		char (*errs)[BK_ERR_MAX])
{
	uint32_t base = nl_socket_use_seq(nl->sk);
	unsigned int i, pending = n;
	size_t total = 0, off = 0;
	char *buf, *rbuf;
	int fd = nl_socket_get_fd(nl->sk);
	ssize_t r;

	for (i = 0; i < n; i++) {
		total += NLMSG_ALIGN(nlmsg_hdr(msgs[i])->nlmsg_len);
		results[i] = 1;		/* no answer yet */
		errs[i][0] = '\0';
	}
	/* Later requests take the following sequence numbers. */
	for (i = 1; i < n; i++)
		nl_socket_use_seq(nl->sk);
	buf = malloc(total);
	rbuf = malloc(65536);
	if (!buf || !rbuf) {
		free(buf);
		free(rbuf);
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct nlmsghdr *h = nlmsg_hdr(msgs[i]);

		h->nlmsg_seq = base + i;
		h->nlmsg_pid = nl_socket_get_local_port(nl->sk);
		h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
		memcpy(buf + off, h, h->nlmsg_len);
		off += NLMSG_ALIGN(h->nlmsg_len);
	}
	if (send(fd, buf, total, 0) != (ssize_t)total) {
		free(buf);
		free(rbuf);
		return -1;
	}
	free(buf);
	while (pending) {
		struct nlmsghdr *h;
		int len;

		r = recv(fd, rbuf, 65536, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(rbuf);
			return -1;
		}
		len = r;
		for (h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			struct nlmsgerr *e = NLMSG_DATA(h);
			uint32_t idx = h->nlmsg_seq - base;
			struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
			int hdr = NLMSG_HDRLEN + sizeof(*e);

			if (h->nlmsg_type != NLMSG_ERROR || idx >= n || results[idx] != 1)
				continue;
			results[idx] = e->error;
			pending--;
			if (!e->error)
				continue;
			if ((h->nlmsg_flags & NLM_F_ACK_TLVS) && (int)h->nlmsg_len > hdr)
				nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)h + hdr),
					  h->nlmsg_len - hdr, NULL);
			if (tb[NLMSGERR_ATTR_MSG])
				snprintf(errs[idx], BK_ERR_MAX, "%s (%s)",
					 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]), strerror(-e->error));
			else
				snprintf(errs[idx], BK_ERR_MAX, "%s", strerror(-e->error));
		}
	}
	free(rbuf);
	return 0;
}

/* -x: join the events group and hand each message to @cb until it fails. */
int bk_nl_watch(struct bk_nl *nl, int (*cb)(struct nlmsghdr *, void *), void *arg,
		char *err, size_t errlen)
{
	int grp = genl_ctrl_resolve_grp(nl->sk, BITSEC_GENL_NAME, BITSEC_MCGRP_EVENTS);
	char *buf;
	int fd = nl_socket_get_fd(nl->sk);
	int e;

	if (grp < 0) {
		snprintf(err, errlen, "the module has no '%s' group: %s", BITSEC_MCGRP_EVENTS,
			 nl_geterror(grp));
		return -1;
	}
	e = nl_socket_add_membership(nl->sk, grp);
	if (e < 0) {
		snprintf(err, errlen, "cannot join the events group: %s%s", nl_geterror(e),
			 e == -NLE_PERM ? " (it needs CAP_NET_ADMIN)" : "");
		return -1;
	}
	buf = malloc(65536);
	if (!buf)
		return -1;
	for (;;) {
		struct nlmsghdr *h;
		ssize_t r = recv(fd, buf, 65536, 0);
		int len;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, errlen, "receiving events: %s", strerror(errno));
			free(buf);
			return -1;
		}
		len = r;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
			if (h->nlmsg_type == bk_nl_family_id(nl) && cb(h, arg)) {
				free(buf);
				return 0;
			}
	}
}

struct info_arg {
	struct bk_info *info;
	bool seen;
};

static int parse_info(struct nlmsghdr *nlh, void *arg, char *err, size_t errlen)
{
	struct info_arg *ia = arg;

	if (ia->seen) {
		snprintf(err, errlen, "the module sent two GET_INFO replies");
		return -1;
	}
	ia->seen = true;
	return bk_info_parse(nlh, ia->info, err, errlen);
}

int bk_nl_get_info(struct bk_nl *nl, struct bk_info *info, char *err, size_t errlen)
{
	struct info_arg ia = { info, false };
	int e;

	info->genl_version = nl->version;
	e = bk_nl_request(nl, BITSEC_CMD_GET_INFO, 0, parse_info, &ia, err, errlen);
	if (!e && !ia.seen) {
		snprintf(err, errlen, "the module acknowledged GET_INFO without a reply");
		e = -1;
	}
	return e;
}

struct stats_arg {
	struct bk_stats *st;
	bool seen;
};

static int parse_stats(struct nlmsghdr *nlh, void *arg, char *err, size_t errlen)
{
	struct stats_arg *sa = arg;

	if (sa->seen) {
		snprintf(err, errlen, "the module sent two GET_STATS replies");
		return -1;
	}
	sa->seen = true;
	return bk_stats_parse(nlh, sa->st, err, errlen);
}

int bk_nl_get_stats(struct bk_nl *nl, struct bk_stats *st, char *err, size_t errlen)
{
	struct stats_arg sa = { st, false };
	int e;

	e = bk_nl_request(nl, BITSEC_CMD_GET_STATS, 0, parse_stats, &sa, err, errlen);
	if (!e && !sa.seen) {
		snprintf(err, errlen, "the module acknowledged GET_STATS without a reply");
		e = -1;
	}
	return e;
}
