#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=512M smp=2 timeout=300
# debug-lane: skip test_fio_01 with lz4hc; the compressors run under ASan in tests/unit
#
# test_fio_01.sh with comp=lz4hc.
FIO_COMP=lz4hc
. "$(dirname "$0")/test_fio_01.sh"
