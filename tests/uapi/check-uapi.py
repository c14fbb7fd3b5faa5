#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the YNL spec and the uAPI header describe the same ABI.

  check-uapi.py [--spec docs/netlink/vswap.yaml]
                [--header include/uapi/linux/vswap.h] [--keep DIR] [-v]

1. The spec is checked on its own: known properties for its protocol
   level, references (attribute sets, enums, attributes in operations,
   multicast groups, notify targets) that resolve, no duplicate names or
   values.
2. Every C name the spec renders (by the kernel's genetlink-c rules,
   Documentation/userspace-api/netlink/c-code-gen.rst) is computed with
   its value: family name and version defines, constants, enum entries
   and their max members, attribute and command numbers, the multicast
   group define.  The header is parsed as text, and the two are compared
   both ways, in order: a header enumerator or define the spec does not
   render is an error, as is a spec name the header lacks.  Attribute
   type comments in the header ("u32: ...", "nest: vswap_stats_attr")
   must agree with the spec's types.
3. A C file of static assertions (every value, every name, every enum
   tag, the string defines; in C++ also which enum each enumerator
   belongs to) that includes ONLY <linux/vswap.h> is compiled with
   gcc -std=c11 and g++ -std=c++11, -Wall -Wextra -Werror -pedantic,
   proving both the values and that the header compiles standalone.

Exit status: 0 agree, 1 disagree (a diff on stdout), 2 usage or tools.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    sys.stderr.write("check-uapi: python3-yaml missing (tests/vm/host-deps.sh)\n")
    sys.exit(2)

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

# ---------------------------------------------------------------------------
# Spec structure: the properties each protocol level allows (from the
# kernel's Documentation/netlink/genetlink{,-c,-legacy}.yaml schemas).

LEVELS = ["genetlink", "genetlink-c", "genetlink-legacy"]
KEYS = {
    "top": {
        "genetlink": {"name", "doc", "protocol", "uapi-header", "definitions",
                      "attribute-sets", "operations", "mcast-groups"},
        "genetlink-c": {"c-family-name", "c-version-name", "max-by-define",
                        "cmd-max-name", "cmd-cnt-name"},
        "genetlink-legacy": {"kernel-policy", "version"},
    },
    "definition": {
        "genetlink": {"name", "header", "type", "doc", "value", "value-start",
                      "entries", "render-max"},
        "genetlink-c": {"enum-name", "name-prefix", "enum-cnt-name"},
        "genetlink-legacy": {"members"},
    },
    "entry": {"genetlink": {"name", "value", "doc"}},
    "attribute-set": {
        "genetlink": {"name", "name-prefix", "enum-name", "doc", "subset-of",
                      "attributes"},
        "genetlink-c": {"attr-cnt-name", "attr-max-name"},
    },
    "attribute": {
        "genetlink": {"name", "type", "doc", "value", "multi-attr",
                      "nested-attributes", "enum", "enum-as-flags", "checks",
                      "sub-type", "display-hint"},
        "genetlink-c": {"name-prefix"},
        "genetlink-legacy": {"struct", "byte-order", "type-value"},
    },
    "checks": {"genetlink": {"flags-mask", "min", "max", "min-len", "max-len",
                             "exact-len", "unterminated-ok"}},
    "operations": {
        "genetlink": {"enum-model", "name-prefix", "enum-name", "async-prefix",
                      "async-enum", "list"},
        "genetlink-legacy": {"fixed-header"},
    },
    "operation": {
        "genetlink": {"name", "doc", "value", "attribute-set", "flags",
                      "dont-validate", "config-cond", "do", "dump", "notify",
                      "event", "mcgrp"},
        "genetlink-legacy": {"fixed-header"},
    },
    "subop": {"genetlink": {"request", "reply", "pre", "post"}},
    "msg": {"genetlink": {"attributes"}, "genetlink-legacy": {"value"}},
    "event": {"genetlink": {"attributes"}},
    "mcast-groups": {"genetlink": {"list"}},
    "mcast-group": {"genetlink": {"name", "flags"},
                    "genetlink-c": {"c-define-name"}},
}
ATTR_TYPES = {"unused", "pad", "flag", "binary", "bitfield32", "uint", "sint",
              "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "string",
              "nest", "indexed-array", "nest-type-value"}
DEF_TYPES = {"const", "enum", "flags", "struct"}
OP_FLAGS = {"admin-perm", "uns-admin-perm"}
C_KEYWORDS = {"auto", "break", "case", "char", "const", "continue", "default",
              "do", "double", "else", "enum", "extern", "float", "for", "goto",
              "if", "inline", "int", "long", "register", "return", "short",
              "signed", "sizeof", "static", "struct", "switch", "typedef",
              "union", "unsigned", "void", "volatile", "while"}


class Problems:
    def __init__(self):
        self.items = []

    def add(self, where, what):
        self.items.append("%s: %s" % (where, what))


def c_upper(name):
    out = name.upper().replace("-", "_")
    return out + "_" if out.lower() in C_KEYWORDS else out


def c_lower(name):
    out = name.lower().replace("-", "_")
    return out + "_" if out in C_KEYWORDS else out


def check_keys(obj, kind, level, where, probs):
    if not isinstance(obj, dict):
        probs.add(where, "expected a mapping, got %r" % (obj,))
        return False
    allowed = set()
    for lv in LEVELS[:LEVELS.index(level) + 1]:
        allowed |= KEYS[kind].get(lv, set())
    for k in obj:
        if k not in allowed:
            higher = [lv for lv in LEVELS if k in KEYS[kind].get(lv, set())]
            hint = " (needs protocol: %s)" % higher[0] if higher else ""
            probs.add(where, "unknown property '%s'%s" % (k, hint))
    return True


# ---------------------------------------------------------------------------
# The spec's C rendering: a list of ("define" | "enum", ...) items in
# header order.

class Rendered:
    def __init__(self):
        self.defines = {}          # name -> value (int or str)
        self.enums = []            # (tag or None, [(name, value)], where)
        self.enumerators = {}      # name -> (value, tag)
        self.attr_types = {}       # enumerator -> (spec type, enum C tag, nest C tag)


def render(spec, probs):
    r = Rendered()
    level = spec.get("protocol", "genetlink")
    if level not in LEVELS:
        probs.add("protocol", "unknown level '%s'" % level)
        level = "genetlink-legacy"
    check_keys(spec, "top", level, "spec", probs)
    for req in ("name", "doc", "attribute-sets", "operations"):
        if req not in spec:
            probs.add("spec", "missing required property '%s'" % req)
    fam = spec.get("name", "")
    if not re.match(r"^[0-9a-z-]+$", fam):
        probs.add("name", "family name '%s' must be [0-9a-z-]+" % fam)
    max_by_define = spec.get("max-by-define", False)

    r.defines[c_upper(spec.get("c-family-name", fam + "-family-name"))] = fam
    r.defines[c_upper(spec.get("c-version-name", fam + "-family-version"))] = spec.get("version", 1)

    def add_enum(tag, items, where):
        seen = {}
        for n, v in items:
            if n in r.enumerators or n in r.defines:
                probs.add(where, "C name %s rendered twice" % n)
            r.enumerators[n] = (v, tag)
        for n, v in items:
            if v in seen and not n.endswith("_MAX"):
                probs.add(where, "%s and %s share the value %d" % (seen[v], n, v))
            seen.setdefault(v, n)
        r.enums.append((tag, items, where))

    def add_max(items, cnt_name, max_name, where):
        last = items[-1][1] if items else 0
        items.append((cnt_name, last + 1))
        if max_by_define:
            r.defines[max_name] = last
        else:
            items.append((max_name, last))

    # --- definitions ---
    enums = {}    # spec enum name -> C tag
    consts = {}
    for i, d in enumerate(spec.get("definitions", []) or []):
        where = "definitions[%d]" % i
        if not check_keys(d, "definition", level, where, probs):
            continue
        name, typ = d.get("name"), d.get("type")
        where = "definition '%s'" % name
        if typ not in DEF_TYPES:
            probs.add(where, "unknown type '%s'" % typ)
            continue
        if name in enums or name in consts:
            probs.add(where, "defined twice")
        if typ == "const":
            if "value" not in d:
                probs.add(where, "const without a value")
            consts[name] = d.get("value")
            r.defines[c_upper(fam + "-" + name)] = d.get("value")
            continue
        if typ == "struct":
            probs.add(where, "struct definitions are not rendered by this checker")
            continue
        tag = d.get("enum-name", fam + "-" + name)
        tag = c_lower(tag) if tag else None
        pfx = d.get("name-prefix", fam + "-" + name + "-")
        enums[name] = tag
        items = []
        val = d.get("value-start", 0)
        if isinstance(val, str):
            probs.add(where, "value-start '%s' not supported by this checker" % val)
            val = 0
        if not d.get("entries"):
            probs.add(where, "no entries")
        for j, e in enumerate(d.get("entries", []) or []):
            if isinstance(e, str):
                e = {"name": e}
            elif not check_keys(e, "entry", level, "%s entry %d" % (where, j), probs):
                continue
            if "value" in e:
                val = e["value"]
            v = (1 << val) if typ == "flags" else val
            items.append((c_upper(pfx + e["name"]), v))
            val += 1
        if d.get("render-max", False):
            if typ == "flags":
                mask = 0
                for _, v in items:
                    mask |= v
                items.append((c_upper(pfx + "mask"), mask))
            else:
                add_max(items, c_upper(d.get("enum-cnt-name", "__" + pfx + "max")),
                        c_upper(pfx + "max"), where)
        add_enum(tag, items, where)

    # --- attribute sets ---
    sets = {}
    for i, s in enumerate(spec.get("attribute-sets", []) or []):
        where = "attribute-sets[%d]" % i
        if not check_keys(s, "attribute-set", level, where, probs):
            continue
        sname = s.get("name")
        where = "attribute-set '%s'" % sname
        if sname in sets:
            probs.add(where, "defined twice")
        sets[sname] = s
    for sname, s in sets.items():
        where = "attribute-set '%s'" % sname
        if "subset-of" in s:
            if s["subset-of"] not in sets:
                probs.add(where, "subset-of unknown set '%s'" % s["subset-of"])
            continue
        if sname == fam:
            pfx = s.get("name-prefix", fam + "-a-")
        else:
            pfx = s.get("name-prefix", fam + "-a-" + sname + "-")
        tag = c_lower(s["enum-name"]) if s.get("enum-name") else None
        items = []
        names = set()
        val = 1
        for j, a in enumerate(s.get("attributes", []) or []):
            awhere = "%s attribute %d" % (where, j)
            if not check_keys(a, "attribute", level, awhere, probs):
                continue
            aname = a.get("name")
            awhere = "%s attribute '%s'" % (where, aname)
            if aname in names:
                probs.add(awhere, "defined twice")
            names.add(aname)
            if "value" in a:
                val = a["value"]
            typ = a.get("type")
            if typ not in ATTR_TYPES:
                probs.add(awhere, "unknown type '%s'" % typ)
            cname = c_upper(pfx + aname)
            items.append((cname, val))
            enum_tag = nest_tag = None
            if "enum" in a:
                if a["enum"] not in enums:
                    probs.add(awhere, "unknown enum '%s'" % a["enum"])
                else:
                    enum_tag = enums[a["enum"]]
            if typ == "nest":
                ns = a.get("nested-attributes")
                if ns not in sets:
                    probs.add(awhere, "nest without a known nested-attributes ('%s')" % ns)
                elif sets[ns].get("enum-name"):
                    nest_tag = c_lower(sets[ns]["enum-name"])
            elif "nested-attributes" in a:
                probs.add(awhere, "nested-attributes on a %s attribute" % typ)
            for k in a.get("checks", {}) or {}:
                check_keys(a["checks"], "checks", level, awhere + " checks", probs)
                break
            r.attr_types[cname] = (typ, enum_tag, nest_tag)
            val += 1
        add_max(items, c_upper(s.get("attr-cnt-name", "__" + pfx + "max")),
                c_upper(s.get("attr-max-name", pfx + "max")), where)
        s["_names"] = names
        add_enum(tag, items, where)

    # --- multicast groups ---
    mcgrps = set()
    mc = spec.get("mcast-groups")
    if mc is not None and check_keys(mc, "mcast-groups", level, "mcast-groups", probs):
        for i, g in enumerate(mc.get("list", []) or []):
            if not check_keys(g, "mcast-group", level, "mcast-groups[%d]" % i, probs):
                continue
            mcgrps.add(g["name"])
            r.defines[c_upper(g.get("c-define-name", fam + "-mcgrp-" + g["name"]))] = g["name"]

    # --- operations ---
    ops = spec.get("operations") or {}
    if check_keys(ops, "operations", level, "operations", probs):
        if ops.get("enum-model", "unified") != "unified":
            probs.add("operations", "only the unified enum model is supported")
        pfx = ops.get("name-prefix", fam + "-cmd-")
        tag = c_lower(ops["enum-name"]) if ops.get("enum-name") else None
        items = []
        val = 1
        byname = {}
        for i, o in enumerate(ops.get("list", []) or []):
            where = "operations[%d]" % i
            if not check_keys(o, "operation", level, where, probs):
                continue
            oname = o.get("name")
            where = "operation '%s'" % oname
            if "doc" not in o:
                probs.add(where, "missing doc")
            if oname in byname:
                probs.add(where, "defined twice")
            byname[oname] = o
            if "value" in o:
                val = o["value"]
            items.append((c_upper(pfx + oname), val))
            val += 1
            for f in o.get("flags", []) or []:
                if f not in OP_FLAGS:
                    probs.add(where, "unknown flag '%s'" % f)
            aset = o.get("attribute-set")
            if aset is not None and (aset not in sets or "_names" not in sets[aset]):
                probs.add(where, "unknown attribute-set '%s'" % aset)
                aset = None
            msgs = []
            for mode in ("do", "dump"):
                if mode not in o:
                    continue
                if not check_keys(o[mode], "subop", level, "%s %s" % (where, mode), probs):
                    continue
                for part in ("request", "reply"):
                    if part in o[mode]:
                        m = o[mode][part]
                        if check_keys(m, "msg", level, "%s %s %s" % (where, mode, part), probs):
                            msgs.append(("%s %s" % (mode, part), m.get("attributes", []) or []))
            if "event" in o and check_keys(o["event"], "event", level, where + " event", probs):
                msgs.append(("event", o["event"].get("attributes", []) or []))
            if msgs and aset is None:
                probs.add(where, "lists attributes but has no attribute-set")
            for what, attrs in msgs:
                if aset is None:
                    break
                for an in attrs:
                    if an not in sets[aset]["_names"]:
                        probs.add(where, "%s: attribute '%s' is not in set '%s'" % (what, an, aset))
                if len(set(attrs)) != len(attrs):
                    probs.add(where, "%s lists an attribute twice" % what)
            if ("notify" in o or "event" in o) and "mcgrp" not in o:
                probs.add(where, "notification without an mcgrp")
            if "mcgrp" in o and o["mcgrp"] not in mcgrps:
                probs.add(where, "unknown mcgrp '%s'" % o["mcgrp"])
        for oname, o in byname.items():
            if "notify" in o:
                tgt = byname.get(o["notify"])
                if tgt is None:
                    probs.add("operation '%s'" % oname, "notify: unknown operation '%s'" % o["notify"])
                elif "reply" not in (tgt.get("do") or {}) and "reply" not in (tgt.get("dump") or {}):
                    probs.add("operation '%s'" % oname,
                              "notify: '%s' has no reply to share" % o["notify"])
        add_max(items, c_upper(spec.get("cmd-cnt-name", "__" + pfx + "max")),
                c_upper(spec.get("cmd-max-name", pfx + "max")), "operations")
        add_enum(tag, items, "operations")
    return r


# ---------------------------------------------------------------------------
# The header, as text.

class Header:
    def __init__(self, path):
        with open(path) as f:
            self.text = f.read()
        self.defines = {}     # name -> raw value text
        self.enums = []       # (tag or None, [(name, raw expr or None, comment)])
        self.guard = None
        self._parse()

    def _parse(self):
        text = self.text
        m = re.search(r"#ifndef\s+(\w+)\s*\n\s*#define\s+(\w+)", text)
        if m and m.group(1) == m.group(2):
            self.guard = m.group(1)
        for m in re.finditer(r"^\s*#\s*define\s+(\w+)(?:[ \t]+(.*?))?\s*$", text, re.M):
            if m.group(1) == self.guard:
                continue
            val = re.sub(r"/\*.*?\*/", "", m.group(2) or "").strip()
            self.defines[m.group(1)] = val
        for m in re.finditer(r"\benum\s+(\w+)?\s*\{(.*?)\}\s*;", text, re.S):
            tag, body = m.group(1), m.group(2)
            items = []
            # Split into enumerators, keeping each one's trailing comment
            # (a comment on the same line as the enumerator).
            for line in body.split("\n"):
                comment = ""
                cm = re.search(r"/\*(.*?)\*/", line)
                if cm:
                    comment = cm.group(1).strip()
                code = re.sub(r"/\*.*?\*/", "", line)
                if "/*" in code:
                    code = code[:code.index("/*")]
                for part in code.split(","):
                    part = part.strip()
                    if not part or part.startswith("*"):
                        continue
                    em = re.match(r"^(\w+)\s*(?:=\s*(.+))?$", part)
                    if not em:
                        continue
                    items.append((em.group(1), em.group(2), comment))
            self.enums.append((tag, items))

    def values(self):
        """Evaluate every enumerator and integer define (simple C
        expressions: literals with U/L suffixes, names, + - << >> | ())."""
        env = {}
        out = {}

        def ev(expr):
            e = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", expr)
            if not re.match(r"^[\w\s()+\-<>|*]*$", e):
                raise ValueError(expr)
            return eval(e, {"__builtins__": {}}, env)

        for tag, items in self.enums:
            val = -1
            for name, expr, _ in items:
                val = ev(expr) if expr else val + 1
                env[name] = val
                out[name] = val
        for name, raw in self.defines.items():
            if raw.startswith('"') and raw.endswith('"'):
                out[name] = raw[1:-1]
                continue
            try:
                out[name] = ev(raw)
                env[name] = out[name]
            except Exception:
                out[name] = raw
        return out


# ---------------------------------------------------------------------------
# Comparison

def compare(r, h, probs):
    hv = h.values()
    ok_lines = 0
    # Enums, matched by tag (or, for unnamed ones, by first enumerator).
    henums = {}
    for tag, items in h.enums:
        key = tag or ("<anon %s>" % (items[0][0] if items else "?"))
        henums[key] = items
    sp_keys = set()
    for tag, items, where in r.enums:
        key = tag or ("<anon %s>" % (items[0][0] if items else "?"))
        sp_keys.add(key)
        if key not in henums:
            probs.add(where, "renders enum %s, the header has no such enum" %
                      (tag and "'%s'" % tag or "(unnamed, first %s)" % items[0][0]))
            continue
        hitems = henums[key]
        hnames = [n for n, _, _ in hitems]
        snames = [n for n, _ in items]
        if hnames != snames:
            import difflib
            diff = "\n".join("      " + l for l in difflib.unified_diff(
                snames, hnames, "spec", "header", lineterm="", n=1))
            probs.add(where, "enum %s: enumerators differ (order matters):\n%s" % (tag, diff))
        for n, v in items:
            if n in hv and hv[n] != v:
                probs.add(where, "%s = %s in the spec, %s in the header" % (n, v, hv[n]))
            ok_lines += 1
    for key, items in henums.items():
        if key not in sp_keys:
            probs.add("header", "enum %s (%s) is not in the spec" %
                      (key, ", ".join(n for n, _, _ in items[:4]) + (", ..." if len(items) > 4 else "")))
    # Defines.
    for n, v in r.defines.items():
        if n not in h.defines:
            probs.add("spec", "renders #define %s %r, the header lacks it" % (n, v))
        elif hv.get(n) != v:
            probs.add("spec", "#define %s is %r in the spec, %r (%s) in the header" %
                      (n, v, hv.get(n), h.defines[n]))
    for n in h.defines:
        if n not in r.defines:
            probs.add("header", "#define %s is not in the spec" % n)
    # Attribute type comments.
    for tag, items in h.enums:
        for n, _, comment in items:
            if n not in r.attr_types or not comment:
                continue
            typ, enum_tag, nest_tag = r.attr_types[n]
            word = re.match(r"^(\w+)", comment)
            word = word.group(1) if word else ""
            if word in ATTR_TYPES and word != typ:
                probs.add("header", "%s is '%s' in its comment, '%s' in the spec" % (n, word, typ))
            if typ == "pad" and word != "pad":
                probs.add("header", "%s: the spec's pad attribute is not commented as pad" % n)
            em = re.search(r"enum\s+(\w+)", comment)
            if em and em.group(1) != enum_tag:
                probs.add("header", "%s's comment names enum %s, the spec enum %s" %
                          (n, em.group(1), enum_tag))
            if enum_tag and not em:
                probs.add("header", "%s: the spec says enum %s, its comment does not" % (n, enum_tag))
            if typ == "nest":
                nm = re.match(r"^nest:\s*(\w+)", comment)
                if not nm or nm.group(1) != nest_tag:
                    probs.add("header", "%s: a nest of %s in the spec, comment says '%s'" %
                              (n, nest_tag, comment))
    return ok_lines


# ---------------------------------------------------------------------------
# Compile-time proof

def c_literal(v):
    if isinstance(v, str):
        return '"%s"' % v.replace("\\", "\\\\").replace('"', '\\"')
    return "%dULL" % v if v > 0xffffffff else "%d" % v


def gen_source(r, header_name):
    L = []
    L.append("/* Generated by tests/uapi/check-uapi.py from the YNL spec. */")
    L.append("#include <%s>" % header_name)
    L.append("")
    L.append("#ifdef __cplusplus")
    L.append("#define VSWAP_SA(e, m) static_assert(e, m)")
    L.append("template <typename A, typename B> struct vswap_same { static const bool value = false; };")
    L.append("template <typename A> struct vswap_same<A, A> { static const bool value = true; };")
    L.append("constexpr bool vswap_streq(const char *a, const char *b)")
    L.append("{ return *a == *b && (*a == '\\0' || vswap_streq(a + 1, b + 1)); }")
    L.append("#define VSWAP_SA_STR(d, s) static_assert(vswap_streq(d, s), #d \" == \" #s)")
    L.append("#else")
    L.append("#define VSWAP_SA(e, m) _Static_assert(e, m)")
    L.append("#define VSWAP_SA_STR(d, s) _Static_assert(sizeof(d) == sizeof(s), #d \" has the length of \" #s)")
    L.append("#endif")
    L.append("")
    for name, v in r.defines.items():
        if isinstance(v, str):
            L.append('VSWAP_SA_STR(%s, %s);' % (name, c_literal(v)))
        else:
            L.append('VSWAP_SA(%s == %s, "%s == %s");' % (name, c_literal(v), name, v))
    for tag, items, where in r.enums:
        if tag:
            L.append('VSWAP_SA(sizeof(enum %s) >= sizeof(char), "enum %s exists");' % (tag, tag))
        for name, v in items:
            L.append('VSWAP_SA(%s == %s, "%s == %s");' % (name, c_literal(v), name, v))
            if tag:
                L.append("#ifdef __cplusplus")
                L.append('VSWAP_SA((vswap_same<decltype(%s), enum %s>::value), "%s is in enum %s");'
                         % (name, tag, name, tag))
                L.append("#endif")
    # C cannot compare strings at compile time (C++ does, constexpr above):
    # the C build's main() compares them, and the checker runs it.
    L.append("")
    L.append("#ifndef __cplusplus")
    L.append("static int vswap_strdiff(const char *a, const char *b)")
    L.append("{")
    L.append("\twhile (*a && *a == *b) {")
    L.append("\t\ta++;")
    L.append("\t\tb++;")
    L.append("\t}")
    L.append("\treturn *a != *b;")
    L.append("}")
    L.append("")
    L.append("int main(void)")
    L.append("{")
    L.append("\tint bad = 0;")
    L.append("")
    for name, v in r.defines.items():
        if isinstance(v, str):
            L.append("\tbad |= vswap_strdiff(%s, %s);" % (name, c_literal(v)))
    L.append("\treturn bad;")
    L.append("}")
    L.append("#else")
    L.append("int main() { return 0; }")
    L.append("#endif")
    n = sum(1 for l in L if l.startswith("VSWAP_SA"))
    return "\n".join(L) + "\n", n


def compile_checks(r, header, keep, verbose):
    inc_root = os.path.dirname(os.path.dirname(os.path.abspath(header)))
    header_name = "linux/" + os.path.basename(header)
    if os.path.basename(os.path.dirname(os.path.abspath(header))) != "linux":
        inc_root = os.path.dirname(os.path.abspath(header))
        header_name = os.path.basename(header)
    src, n = gen_source(r, header_name)
    tmp = keep or tempfile.mkdtemp(prefix="check-uapi.")
    os.makedirs(tmp, exist_ok=True)
    errors = []
    try:
        for lang, tool, std, ext in (("C11", os.environ.get("CC", "gcc"), "-std=c11", "c"),
                                     ("C++11", os.environ.get("CXX", "g++"), "-std=c++11", "cc")):
            path = os.path.join(tmp, "uapi_check." + ext)
            with open(path, "w") as f:
                f.write(src)
            exe = os.path.join(tmp, "uapi_check_" + ext)
            cmd = [tool, std, "-Wall", "-Wextra", "-Werror", "-pedantic", "-I", inc_root,
                   "-o", exe, path]
            if verbose:
                print("check-uapi: " + " ".join(cmd))
            if shutil.which(tool) is None:
                errors.append("%s: compiler '%s' not found" % (lang, tool))
                continue
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True, env=dict(os.environ, LC_ALL="C"))
            if p.returncode != 0:
                out = [l for l in p.stdout.splitlines() if "error" in l] or \
                    p.stdout.splitlines()
                errors.append("%s (%s %s) fails:\n%s" % (lang, tool, std,
                              "\n".join("      " + l for l in out[:40])))
                continue
            p = subprocess.run([exe])
            if p.returncode != 0:
                errors.append("%s: a string define differs from the spec (%s exits %d)" %
                              (lang, os.path.basename(exe), p.returncode))
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return errors, n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spec", default=os.path.join(TOP, "docs/netlink/vswap.yaml"))
    ap.add_argument("--header", default=os.path.join(TOP, "include/uapi/linux/vswap.h"))
    ap.add_argument("--keep", metavar="DIR", help="keep the generated sources in DIR")
    ap.add_argument("--compile-only", action="store_true",
                    help="skip the text comparison (to test the compile-time layer alone)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    try:
        with open(args.spec) as f:
            spec = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        print("check-uapi: cannot read the spec: %s" % e)
        return 1
    try:
        h = Header(args.header)
    except OSError as e:
        print("check-uapi: cannot read the header: %s" % e)
        return 1
    probs = Problems()
    r = render(spec, probs)
    nvals = 0 if args.compile_only else compare(r, h, probs)
    errors, nasserts = compile_checks(r, args.header, args.keep, args.verbose)
    rel = lambda p: os.path.relpath(p, TOP) if os.path.abspath(p).startswith(TOP) else p
    if probs.items or errors:
        print("check-uapi: %s and %s DISAGREE:" % (rel(args.spec), rel(args.header)))
        for p in probs.items:
            print("  - " + p)
        for e in errors:
            print("  - " + e)
        return 1
    nenum = sum(1 for _ in r.enums)
    print("check-uapi: %s and %s agree: %d enums, %d enumerators, %d defines; "
          "%d static assertions pass in C11 and C++11 (header standalone, "
          "-Wall -Wextra -Werror -pedantic)" %
          (rel(args.spec), rel(args.header), nenum, nvals, len(r.defines), nasserts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
