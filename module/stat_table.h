/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bitsec: names of the per-namespace counters (enum bitsec_stat), as data
 * shared by bitsec.ko (/proc/net/bitsec_stat) and bitskey (-s), so both
 * print the same words.  Include it with BITSEC_STAT(ID, name) defined,
 * ID being the enum's suffix; it has no include guard on purpose.
 */
BITSEC_STAT(IN_PACKETS, "in_packets")
BITSEC_STAT(IN_BYTES, "in_bytes")
BITSEC_STAT(IN_MALFORMED, "in_malformed")
BITSEC_STAT(IN_NO_SA, "in_no_sa")
BITSEC_STAT(IN_SA_STATE, "in_sa_state")
BITSEC_STAT(IN_REPLAY, "in_replay")
BITSEC_STAT(IN_TOO_OLD, "in_too_old")
BITSEC_STAT(IN_AUTH, "in_auth_failed")
BITSEC_STAT(IN_PADDING, "in_bad_padding")
BITSEC_STAT(IN_DUMMY, "in_dummy")
BITSEC_STAT(IN_INNER, "in_bad_inner")
BITSEC_STAT(IN_SELECTOR, "in_selector_mismatch")
BITSEC_STAT(IN_CRYPTO, "in_crypto_error")
BITSEC_STAT(IN_NOMEM, "in_nomem")
BITSEC_STAT(IN_POLICY_BLOCK, "in_policy_block")
BITSEC_STAT(IN_UNPROTECTED, "in_unprotected")
BITSEC_STAT(OUT_PACKETS, "out_packets")
BITSEC_STAT(OUT_BYTES, "out_bytes")
BITSEC_STAT(OUT_POLICY_BLOCK, "out_policy_block")
BITSEC_STAT(OUT_NO_SA, "out_no_sa")
BITSEC_STAT(OUT_SA_STATE, "out_sa_state")
BITSEC_STAT(OUT_SEQ_OVERFLOW, "out_seq_overflow")
BITSEC_STAT(OUT_NO_ROUTE, "out_no_route")
BITSEC_STAT(OUT_MALFORMED, "out_malformed")
BITSEC_STAT(OUT_CRYPTO, "out_crypto_error")
BITSEC_STAT(OUT_NOMEM, "out_nomem")
BITSEC_STAT(IN_NATT_KEEPALIVE, "in_natt_keepalive")
BITSEC_STAT(IN_PMTU, "in_pmtu_learned")
BITSEC_STAT(OUT_TOO_BIG, "out_too_big")
BITSEC_STAT(OUT_NATT_KEEPALIVE, "out_natt_keepalive")
BITSEC_STAT(IN_NATT_MAPPING, "in_natt_mapping")
BITSEC_STAT(IN_NO_POLICY, "in_tunnel_no_policy")
