#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm: mem=512M smp=2 timeout=300
# debug-lane: skip test_fio_01 with zstd; the compressors run under ASan in tests/unit
#
# test_fio_01.sh with comp=zstd.
FIO_COMP=zstd
. "$(dirname "$0")/test_fio_01.sh"
