#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The asynchronous crypto path: a selection of 60-interop's cases (CBC with
# HMAC, GCM, ChaCha20-Poly1305, AH, ESN, both bundles) with every SA bitsec
# creates wrapped in cryptd, so each packet leaves the hook and comes back
# through a completion callback; then namespaces deleted while packets are
# still with cryptd, and the module unloaded.
export BITSEC_ASYNC=1
export BITSEC_ONLY='^esp transport aes-cbc-128 hmac-sha1$|^esp tunnel aes-gcm-16 256$|^esp tunnel chacha20|^ah tunnel hmac-sha1$|^ah transport hmac-sha2-384$|^esp tunnel aes-cbc-128 hmac-sha1 esn|bundle'
exec bash "$(dirname "$0")/60-interop.sh"
