/* SPDX-License-Identifier: GPL-2.0 */
/* bitsec KUnit suites, gathered into bitsec_kunit.ko by kunit/main.c. */
#ifndef _BITSEC_KUNIT_TESTS_H
#define _BITSEC_KUNIT_TESTS_H

#include <kunit/test.h>

extern struct kunit_suite bitsec_netns_suite;
extern struct kunit_suite bitsec_algs_suite;
extern struct kunit_suite bitsec_netlink_suite;
extern struct kunit_suite bitsec_sad_suite;
extern struct kunit_suite bitsec_spd_suite;
extern struct kunit_suite bitsec_esp_suite;

#endif
