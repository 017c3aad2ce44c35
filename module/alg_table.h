/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bitsec: the algorithm table, as data with no kernel dependency so
 * that bitsec.ko and bitskey (which checks key lengths before any request
 * reaches the kernel, and in -n mode without one) share one source of truth.
 *
 * Include it with BITSEC_ALG(name, crypto, kind, kmin, kmax, kstep, salt,
 * icv, iv, block) defined; it has no include guard on purpose.
 *
 * Columns: name as setkey/bitskey spell it, crypto API name, kind (ENC,
 * AUTH, AEAD: enum bitsec_alg_kind without its prefix), key bits min, max
 * and step (salt included), salt bits at the end of the key, ICV bits on the
 * wire, explicit IV bytes per packet, cipher block bytes the payload is
 * padded to.
 *
 * ICVs are the truncations of RFC 2403/2404/4868/3566: the SHA-2 HMACs
 * carry half the hash (RFC 4868), not the 96 bits of an old draft that
 * ipsec-tools documents.  The salts are RFC 3686's, 4106's and 7634's.
 */
BITSEC_ALG("hmac-md5", "hmac(md5)", AUTH, 128, 128, 0, 0, 96, 0, 0)
BITSEC_ALG("hmac-sha1", "hmac(sha1)", AUTH, 160, 160, 0, 0, 96, 0, 0)
BITSEC_ALG("hmac-sha2-256", "hmac(sha256)", AUTH, 256, 256, 0, 0, 128, 0, 0)
BITSEC_ALG("hmac-sha2-384", "hmac(sha384)", AUTH, 384, 384, 0, 0, 192, 0, 0)
BITSEC_ALG("hmac-sha2-512", "hmac(sha512)", AUTH, 512, 512, 0, 0, 256, 0, 0)
BITSEC_ALG("aes-xcbc-mac", "xcbc(aes)", AUTH, 128, 128, 0, 0, 96, 0, 0)
BITSEC_ALG("null", "digest_null", AUTH, 0, 0, 0, 0, 0, 0, 0)
BITSEC_ALG("des-cbc", "cbc(des)", ENC, 64, 64, 0, 0, 0, 8, 8)
BITSEC_ALG("3des-cbc", "cbc(des3_ede)", ENC, 192, 192, 0, 0, 0, 8, 8)
BITSEC_ALG("aes-cbc", "cbc(aes)", ENC, 128, 256, 64, 0, 0, 16, 16)
BITSEC_ALG("aes-ctr", "rfc3686(ctr(aes))", ENC, 160, 288, 64, 32, 0, 8, 1)
BITSEC_ALG("null", "ecb(cipher_null)", ENC, 0, 0, 0, 0, 0, 0, 1)
BITSEC_ALG("aes-gcm-16", "rfc4106(gcm(aes))", AEAD, 160, 288, 64, 32, 128, 8, 1)
BITSEC_ALG("chacha20-poly1305", "rfc7539esp(chacha20,poly1305)", AEAD, 288, 288, 0, 32, 128, 8, 1)
