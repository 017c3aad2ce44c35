// SPDX-License-Identifier: GPL-2.0
/*
 * bitskey: the generic-netlink conversation with the module, through
 * libnl-3.  Kernel refusals come back with their extack message, which is
 * what the user sees.
 */
#include <errno.h>
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
};

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

/* Send one request and run @parse on each reply until the ack or an error. */
static int bk_nl_request(struct bk_nl *nl, uint8_t cmd, int flags,
			 int (*parse)(struct nlmsghdr *, void *, char *, size_t),
			 void *arg, char *err, size_t errlen)
{
	struct bk_req req = { parse, arg, err, errlen, 0, false };
	struct nl_msg *msg;
	struct nl_cb *cb;
	int e;

	msg = nlmsg_alloc();
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!msg || !cb) {
		snprintf(err, errlen, "out of memory");
		e = -1;
		goto out;
	}
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 flags | NLM_F_ACK, cmd, BITSEC_GENL_VERSION)) {
		snprintf(err, errlen, "cannot build the request");
		e = -1;
		goto out;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &req);
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, &req);

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
	nlmsg_free(msg);
	return e;
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
