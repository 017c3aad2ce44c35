// SPDX-License-Identifier: GPL-2.0
/*
 * bitsec_kunit.ko: the KUnit suites for bitsec's internals.  Loaded after
 * bitsec.ko, whose internals it reaches through the BITSEC_INTERNAL symbol
 * namespace; results land in the kernel log and in debugfs as KTAP.
 */
#include <linux/module.h>

#include "tests.h"

kunit_test_suites(&bitsec_netns_suite, &bitsec_algs_suite, &bitsec_netlink_suite,
		  &bitsec_sad_suite, &bitsec_spd_suite, &bitsec_esp_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for bitsec");
MODULE_IMPORT_NS(BITSEC_INTERNAL);
