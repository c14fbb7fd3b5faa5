#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Mutation test of check-uapi.py: every mutation of a copy of the spec or
the header must make the checker fail (exit 1) with a message naming the
problem.  The real files are never touched.

  mutate.py [--spec docs/netlink/vswap.yaml] [--header include/uapi/linux/vswap.h]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))

# (what, file, old, new, expected text in the checker's output[, extra
# checker arguments]).  "old" must occur in the file; the first occurrence
# is replaced.  old and new may be lists of replacements, made in order.
MUTATIONS = [
    ("a constant's value", "header",
     "#define VSWAP_NAME_MAX\t\t16", "#define VSWAP_NAME_MAX\t\t17",
     "VSWAP_NAME_MAX is 16 in the spec"),
    ("a 64-bit constant", "header",
     "(16ULL << 40)", "(15ULL << 40)", "VSWAP_DEV_SIZE_MAX"),
    ("the family name", "header",
     '"vswap"', '"vswap2"', "VSWAP_GENL_NAME"),
    ("the family version", "header",
     "VSWAP_GENL_VERSION\t1", "VSWAP_GENL_VERSION\t2", "VSWAP_GENL_VERSION"),
    ("the multicast group name", "spec",
     "      name: events\n", "      name: event\n", "VSWAP_MCGRP_EVENT"),
    ("two attributes swapped", "header",
     "\tVSWAP_A_TIER_ALGO,\t\t/* u32: enum vswap_algo (ram) */\n"
     "\tVSWAP_A_TIER_LEVEL,\t\t/* u32: 0 = algorithm default (ram) */\n",
     "\tVSWAP_A_TIER_LEVEL,\t\t/* u32: 0 = algorithm default (ram) */\n"
     "\tVSWAP_A_TIER_ALGO,\t\t/* u32: enum vswap_algo (ram) */\n",
     "VSWAP_A_TIER_ALGO = 13 in the spec, 14 in the header"),
    ("an attribute only in the header", "header",
     "\t/* add new attributes above here */\n\t__VSWAP_A_MAX,",
     "\tVSWAP_A_EXTRA,\t\t\t/* u32 */\n\n\t/* add new attributes above here */\n\t__VSWAP_A_MAX,",
     "+VSWAP_A_EXTRA"),
    ("a stats attribute only in the spec", "spec",
     "      -\n        name: budget-used\n        type: u64\n",
     "      -\n        name: budget-used\n        type: u64\n      -\n        name: extra\n        type: u64\n",
     "-VSWAP_STATS_A_EXTRA"),
    ("an explicit enum value in the spec", "spec",
     "        name: block\n", "        name: block\n        value: 7\n",
     "VSWAP_TIER_KIND_BLOCK = 7 in the spec, 3 in the header"),
    ("a command renamed", "spec",
     "      name: tier-drained-ntf\n", "      name: tier-drain-ntf\n",
     "VSWAP_CMD_TIER_DRAIN_NTF"),
    ("an enum tag renamed", "header",
     "enum vswap_wmark {", "enum vswap_watermark {", "vswap_wmark"),
    ("an enum only in the header", "header",
     "#endif /* _UAPI_LINUX_VSWAP_H */",
     "enum vswap_extra {\n\tVSWAP_EXTRA_UNSPEC,\n};\n\n#endif /* _UAPI_LINUX_VSWAP_H */",
     "enum vswap_extra (VSWAP_EXTRA_UNSPEC) is not in the spec"),
    ("a define only in the header", "header",
     "#define VSWAP_PATH_MAX", "#define VSWAP_EXTRA_MAX\t4\n#define VSWAP_PATH_MAX",
     "#define VSWAP_EXTRA_MAX is not in the spec"),
    ("an attribute's type comment", "header",
     "VSWAP_A_TIER_LEVEL,\t\t/* u32:", "VSWAP_A_TIER_LEVEL,\t\t/* u64:",
     "VSWAP_A_TIER_LEVEL is 'u64' in its comment, 'u32' in the spec"),
    ("an attribute's enum", "spec",
     "        name: tier-class\n        type: u32\n        enum: tier-class\n",
     "        name: tier-class\n        type: u32\n        enum: tier-state\n",
     "VSWAP_A_TIER_CLASS's comment names enum vswap_tier_class, the spec enum vswap_tier_state"),
    ("an operation naming an unknown attribute", "spec",
     "attributes: [ dev-id, tier-id, tier-name, tier-drain, tier-cancel ]",
     "attributes: [ dev-id, tier-id, tier-name, tier-drainn, tier-cancel ]",
     "attribute 'tier-drainn' is not in set 'vswap'"),
    ("an unknown spec property", "spec",
     "c-family-name: vswap-genl-name\n", "c-family-name: vswap-genl-name\nc-famly: x\n",
     "unknown property 'c-famly'"),
    ("the header no longer standalone (C and C++)", "header",
     "enum vswap_tier_kind {", "struct vswap_probe {\n\tsize_t len;\n};\n\nenum vswap_tier_kind {",
     "C11 (gcc -std=c11) fails"),
    ("the header valid C but not C++", "header",
     "enum vswap_tier_kind {", "struct vswap_probe {\n\tint new;\n};\n\nenum vswap_tier_kind {",
     "C++11 (g++ -std=c++11) fails"),
    # The compile-time layer alone (--compile-only skips the text
    # comparison): it must catch value and name changes by itself.
    ("[compile-only] a value", "header",
     "#define VSWAP_PATH_MAX\t\t256", "#define VSWAP_PATH_MAX\t\t255",
     'static assertion failed: "VSWAP_PATH_MAX == 256"', ["--compile-only"]),
    ("[compile-only] an enumerator renamed", "header",
     "VSWAP_IO_OP_WRITE,", "VSWAP_IO_OP_WRIT,",
     "VSWAP_IO_OP_WRITE' undeclared", ["--compile-only"]),
    ("[compile-only] a string of the same length (C: run-time compare)", "header",
     '#define VSWAP_MCGRP_EVENTS\t"events"', '#define VSWAP_MCGRP_EVENTS\t"evenTs"',
     "C11: a string define differs", ["--compile-only"]),
    ("[compile-only] the same, C++ side (constexpr compare)", "header",
     '#define VSWAP_MCGRP_EVENTS\t"events"', '#define VSWAP_MCGRP_EVENTS\t"evenTs"',
     "static assertion failed: VSWAP_MCGRP_EVENTS", ["--compile-only"]),
    ("[compile-only] an enumerator moved to another enum (C++ only)", "header",
     ["\tVSWAP_WMARK_LOW,", "enum vswap_wmark {"],
     ["\tVSWAP_WMARK_LOW_,",
      "enum vswap_wmark_low {\n\tVSWAP_WMARK_LOW_UNSPEC_,\n\tVSWAP_WMARK_LOW_HIGH_,\n"
      "\tVSWAP_WMARK_LOW,\n};\n\nenum vswap_wmark {"],
     "VSWAP_WMARK_LOW is in enum vswap_wmark", ["--compile-only"]),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spec", default=os.path.join(TOP, "docs/netlink/vswap.yaml"))
    ap.add_argument("--header", default=os.path.join(TOP, "include/uapi/linux/vswap.h"))
    args = ap.parse_args()
    checker = os.path.join(HERE, "check-uapi.py")
    with open(args.spec) as f:
        spec0 = f.read()
    with open(args.header) as f:
        header0 = f.read()
    tmp = tempfile.mkdtemp(prefix="uapi-mutate.")
    failed = 0
    try:
        os.makedirs(os.path.join(tmp, "include/linux"))
        spec = os.path.join(tmp, "vswap.yaml")
        header = os.path.join(tmp, "include/linux/vswap.h")
        for m in MUTATIONS:
            what, target, old, new, expect = m[:5]
            extra = m[5] if len(m) > 5 else []
            s, h = spec0, header0
            olds = old if isinstance(old, list) else [old]
            news = new if isinstance(new, list) else [new]
            ok = True
            for o, n in zip(olds, news):
                if target == "spec":
                    ok = ok and o in s
                    s = s.replace(o, n, 1)
                else:
                    ok = ok and o in h
                    h = h.replace(o, n, 1)
            if not ok:
                print("not ok - %s: the text to mutate is gone from the %s (update mutate.py)" %
                      (what, target))
                failed += 1
                continue
            with open(spec, "w") as f:
                f.write(s)
            with open(header, "w") as f:
                f.write(h)
            p = subprocess.run([sys.executable, checker, "--spec", spec, "--header", header] + extra,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True)
            if p.returncode == 1 and expect in p.stdout:
                first = [l.strip() for l in p.stdout.splitlines() if expect in l][0]
                print("ok - %s: caught (%s)" % (what, first[:150]))
            else:
                print("not ok - %s: checker exit %d, expected 1 with '%s'; output:" %
                      (what, p.returncode, expect))
                print("\n".join("    " + l for l in p.stdout.splitlines()[:30]))
                failed += 1
        # And the unmutated copies pass, so the failures above are the
        # mutations' doing.
        with open(spec, "w") as f:
            f.write(spec0)
        with open(header, "w") as f:
            f.write(header0)
        p = subprocess.run([sys.executable, checker, "--spec", spec, "--header", header],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        if p.returncode == 0:
            print("ok - unmutated copies pass")
        else:
            print("not ok - unmutated copies fail:\n" + p.stdout)
            failed += 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    n = len(MUTATIONS) + 1
    print("mutate: %d of %d passed" % (n - failed, n))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
