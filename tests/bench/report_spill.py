# SPDX-License-Identifier: GPL-2.0
"""The spill section of results.md/json (tests/bench/guest-spill.sh).

report.py calls spill_report() with the spill VMs' console logs, one per
kernel lane.  Per workload and metric: the median of each system over the
reps, vswap/zswap and vswap/zram as ratios of medians and as the median
of the per-rep ratios (paired: the systems ran minutes apart in the same
VM), and a plot of where the swapped pages were during the first rep of
the phase-change run, for each system.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys

LINE = re.compile(r"^BENCH (\S+) ?(.*)$")
# metric -> (label, unit, better)
METRICS = {
    "aps": ("accesses/s", "1/s", "higher"),
    "aps1": ("accesses/s, first half", "1/s", "higher"),
    "aps2": ("accesses/s, second half", "1/s", "higher"),
    "access_s": ("access phase, wall time", "s", "lower"),
    "fill_s": ("fill time", "s", "lower"),
    "nvme_wr_mib": ("written to the NVMe", "MiB", "lower"),
    "nvme_rd_mib": ("read from the NVMe", "MiB", "lower"),
    "get_rps": ("GET requests/s", "1/s", "higher"),
    "swap_mib": ("swap in use afterwards", "MiB", "lower"),
}
WORKLOADS = ("uniform", "skewed", "phase", "redis")
# Which metrics each workload reports, in table order.
WL_METRICS = {
    "uniform": ("aps", "nvme_wr_mib", "nvme_rd_mib", "fill_s"),
    "skewed": ("aps", "nvme_wr_mib", "nvme_rd_mib", "fill_s"),
    "phase": ("aps", "aps1", "aps2", "nvme_wr_mib", "nvme_rd_mib", "fill_s"),
    "redis": ("get_rps", "fill_s", "swap_mib", "nvme_wr_mib"),
}
BASES = ("zswap", "zram")


def fmt(v):
    if v is None:
        return "n/a"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 1:
        return f"{v:.2f}"
    return f"{v:.3g}"


def parse(console):
    """(samples, info, tops): samples[(wl, metric)][sys] = {rep: value}."""
    samples, info, tops = {}, [], {}
    with open(console, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "replace").strip().replace("\r", "")
            m = LINE.match(line)
            if not m:
                continue
            kind, rest = m.group(1), m.group(2).split()
            if kind == "sample" and len(rest) == 4:
                row, sys_, rep, val = rest
                if row.startswith("spill_"):
                    wl, _, metric = row[len("spill_"):].partition("_")
                elif row.startswith("redis_"):
                    wl, metric = "redis", row[len("redis_"):]
                else:
                    continue
                if metric in METRICS:
                    try:
                        samples.setdefault((wl, metric), {}).setdefault(
                            sys_, {})[int(rep)] = float(val)
                    except ValueError:
                        pass
            elif kind == "spilltop" and len(rest) == 7:
                sys_, wl, rep = rest[:3]
                try:
                    vals = [float(x) for x in rest[3:]]
                except ValueError:
                    continue    # a line the console cut
                tops.setdefault((wl, int(rep)), {}).setdefault(sys_, []).append(vals)
            elif kind == "info" and rest:
                info.append(rest)
    return samples, info, tops


def ratio_row(per_sys, dev, base):
    """(ratio of medians, median of per-rep ratios) of dev over base."""
    if dev not in per_sys or base not in per_sys:
        return None, None
    md, mb = (statistics.median(per_sys[d].values()) for d in (dev, base))
    pairs = [v / per_sys[base][r] for r, v in per_sys[dev].items()
             if per_sys[base].get(r)]
    return (md / mb if mb else None), (statistics.median(pairs) if pairs else None)


def plot(tops, outdir, lane):
    """The phase run's first rep: pages in compressed RAM and on the NVMe."""
    reps = sorted(r for (wl, r) in tops if wl == "phase")
    if not reps or not shutil.which("gnuplot"):
        return None
    per_sys = tops[("phase", reps[0])]
    systems = sorted(per_sys)
    dat = f"{outdir}/spill-phase-{lane}.dat"
    png = f"{outdir}/spill-phase-{lane}.png"
    mib = 4096 / 1048576
    with open(dat, "w") as f:
        f.write("# one block per system (" + " ".join(systems) + "): seconds, "
                "MiB of swapped pages in compressed RAM, on the NVMe, pool MiB\n")
        for s in systems:
            f.write(f"# {s}\n")
            for t, ram, disk, pool in per_sys[s]:
                f.write(f"{t} {ram * mib:.1f} {disk * mib:.1f} {pool / 1048576:.1f}\n")
            f.write("\n\n")
    panels = []
    for col, what in ((2, "in compressed RAM (MiB of pages)"),
                      (3, "on the NVMe (MiB of pages)")):
        lines = ", ".join(f"'{dat}' index {i} using 1:{col} with lines lw 2 "
                          f"lc {i + 1} title '{s}'" for i, s in enumerate(systems))
        panels.append(f"set ylabel '{what}'\nplot {lines}")
    script = (f"set terminal pngcairo size 1000,700 font ',10' noenhanced\n"
              f"set output '{png}'\n"
              f"set multiplot layout 2,1 title 'phase-change run, rep {reps[0]} "
              f"({lane}): where the swapped pages are'\n"
              f"set grid\nset key outside right\n{panels[0]}\n"
              f"set xlabel 'seconds'\n{panels[1]}\nunset multiplot\n")
    r = subprocess.run(["gnuplot"], input=script, text=True, capture_output=True)
    if r.returncode or not os.path.exists(png):
        print(f"report_spill.py: gnuplot failed: {r.stderr.strip()}", file=sys.stderr)
        return None
    return png, reps[0], dat


def spill_report(lanes, outdir):
    """lanes: [(lane, console)].  Returns (markdown lines, json object)."""
    md, out = [], []
    for lane, console in lanes:
        if not os.path.exists(console):
            continue
        samples, info, tops = parse(console)
        head = next((i for i in info if i[0] == "spill"), [])
        kv = dict(zip(head[1::2], head[2::2]))
        systems = kv.get("systems", "vswap,zswap,zram").split(",")
        zdef = {i[1]: i[2] for i in info if i[0] == "zswap_default" and len(i) > 2}
        variants = [s for s in systems if s.startswith("vswap-")]
        rows = []
        for wl in WORKLOADS:
            for metric in WL_METRICS[wl]:
                per_sys = samples.get((wl, metric))
                if not per_sys:
                    continue
                label, unit, better = METRICS[metric]
                row = {"lane": lane, "kernel": kv.get("kernel"), "workload": wl,
                       "metric": metric, "label": label, "unit": unit,
                       "better": better,
                       "samples": {s: [v for _, v in sorted(d.items())]
                                   for s, d in per_sys.items()},
                       "median": {s: statistics.median(d.values())
                                  for s, d in per_sys.items()}}
                for dev in ["vswap"] + variants:
                    for base in BASES + (("vswap",) if dev != "vswap" else ()):
                        r, p = ratio_row(per_sys, dev, base)
                        row[f"{dev}/{base}"] = r
                        row[f"{dev}/{base} paired"] = p
                rows.append(row)
        if not rows:
            continue
        reps = max(len(v) for r in rows for v in r["samples"].values())
        out.append({"lane": lane, "kernel": kv.get("kernel"), "params": kv,
                    "zswap_defaults": zdef, "rows": rows})
        cols = [s for s in systems if s in {"vswap", "zswap", "zram"} | set(variants)]
        md += ["", f"## Spill: compressed RAM in front of the NVMe ({kv.get('kernel', lane)})",
               "",
               f"A {int(kv.get('mem_kib', 0)) // 1024} MiB VM (2 vCPUs, TCG), global "
               f"memory pressure; tierload's working set {kv.get('set_mib')} MiB, "
               f"{kv.get('accesses')} accesses per thread (2 threads); {reps} reps, "
               "systems alternated.  Compressed RAM capped at "
               f"{int(kv.get('pool_bytes', 0)) // 1048576} MiB on each: zswap "
               f"(set to lz4, zsmalloc, max_pool_percent {kv.get('pool_pct', 20)}; "
               f"accept_threshold_percent {zdef.get('accept_threshold_percent', '?')} and "
               f"shrinker_enabled {zdef.get('shrinker_enabled', '?')} as the kernel "
               f"defaults them; its default compressor is {zdef.get('compressor', '?')}) "
               "in front of the NVMe as its swap partition; vswap's RAM "
               "tier (lz4) limited to the same bytes, the NVMe as its fast tier; zram "
               "(lz4) with that mem_limit, the NVMe as backing_dev and idle writeback "
               "on a timer.",
               "Ratios: of medians, then (in brackets) the median of per-rep ratios.",
               "",
               "| workload | metric | " + " | ".join(cols) + " | vswap/zswap | vswap/zram | better |",
               "|---|---|" + "---:|" * len(cols) + "---:|---:|---|"]
        for r in rows:
            cells = [fmt(r["median"].get(s)) for s in cols]
            rz = f"{fmt(r['vswap/zswap'])} ({fmt(r['vswap/zswap paired'])})"
            rr = f"{fmt(r['vswap/zram'])} ({fmt(r['vswap/zram paired'])})"
            md.append(f"| {r['workload']} | {r['label']} ({r['unit']}) | "
                      + " | ".join(cells) + f" | {rz} | {rr} | {r['better']} |")
        for v in variants:
            md += ["", f"{v} against vswap (same run): "
                   + "; ".join(f"{r['workload']} {r['label']} "
                               f"{fmt(r[f'{v}/vswap'])} ({fmt(r[f'{v}/vswap paired'])})"
                               for r in rows if r.get(f"{v}/vswap") is not None)]
        p = plot(tops, outdir, lane)
        if p:
            md += ["", f"Where the swapped pages were during the phase-change run "
                   f"(rep {p[1]}, sampled every second; data: {os.path.basename(p[2])}):",
                   "", f"![spill phase run]({os.path.basename(p[0])})"]
    return md, out
