/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bitsec: IPsec ESP/AH as a bump in the stack.
 *
 * The generic-netlink ABI shared by the bitsec module and bitskey.
 * Family "bitsec", version 1.  Attribute numbers are never reused or
 * renumbered; new attributes and commands are only ever appended.
 */
#ifndef _UAPI_LINUX_BITSEC_H
#define _UAPI_LINUX_BITSEC_H

#define BITSEC_GENL_NAME	"bitsec"
#define BITSEC_GENL_VERSION	1

/* Longest string attribute the module sends or accepts, NUL included. */
#define BITSEC_NAME_MAX		64

enum bitsec_cmd {
	BITSEC_CMD_UNSPEC,
	/*
	 * Module version, this namespace's identity and every algorithm
	 * the module knows with whether the running kernel's crypto API
	 * can instantiate it.  Needs no privilege: it reveals no keys.
	 */
	BITSEC_CMD_GET_INFO,

	__BITSEC_CMD_MAX,
};
#define BITSEC_CMD_MAX (__BITSEC_CMD_MAX - 1)

/* Top-level attributes. */
enum bitsec_attr {
	BITSEC_A_UNSPEC,
	BITSEC_A_PAD,
	BITSEC_A_VERSION,	/* string: module version, "x.y.z" */
	BITSEC_A_NETNS_COOKIE,	/* u64: cookie of the caller's netns */
	BITSEC_A_ALGS,		/* nest of BITSEC_A_ALG */

	__BITSEC_A_MAX,
};
#define BITSEC_A_MAX (__BITSEC_A_MAX - 1)

/* Inside BITSEC_A_ALGS: one nest per algorithm. */
enum bitsec_algs_attr {
	BITSEC_A_ALGS_UNSPEC,
	BITSEC_A_ALG,		/* nest of enum bitsec_alg_attr */

	__BITSEC_A_ALGS_MAX,
};
#define BITSEC_A_ALGS_MAX (__BITSEC_A_ALGS_MAX - 1)

enum bitsec_alg_kind {
	BITSEC_ALG_KIND_NONE,
	BITSEC_ALG_KIND_ENC,	/* ESP encryption, paired with an integrity alg */
	BITSEC_ALG_KIND_AUTH,	/* integrity: AH, or ESP with an ENC alg */
	BITSEC_ALG_KIND_AEAD,	/* ESP combined mode */
};

enum bitsec_alg_attr {
	BITSEC_A_ALG_UNSPEC,
	BITSEC_A_ALG_NAME,	/* string: name in bitskey, "aes-cbc" */
	BITSEC_A_ALG_KIND,	/* u8: enum bitsec_alg_kind */
	BITSEC_A_ALG_CRYPTO,	/* string: crypto API name, "cbc(aes)" */
	BITSEC_A_ALG_DRIVER,	/* string: driver that instantiated it */
	BITSEC_A_ALG_KEY_MIN,	/* u16: shortest key in bits (salt included) */
	BITSEC_A_ALG_KEY_MAX,	/* u16: longest key in bits */
	BITSEC_A_ALG_KEY_STEP,	/* u16: key sizes go min, min+step ... max */
	BITSEC_A_ALG_ICV_BITS,	/* u16: ICV length on the wire, 0 if none */
	BITSEC_A_ALG_AVAILABLE,	/* u8: 1 if the kernel can instantiate it */

	__BITSEC_A_ALG_MAX,
};
#define BITSEC_A_ALG_MAX (__BITSEC_A_ALG_MAX - 1)

#endif /* _UAPI_LINUX_BITSEC_H */
