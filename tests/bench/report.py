#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the bench VM's console log into results.md and results.json.

Usage: report.py CONSOLE_LOG OUTDIR [LANE=CONSOLE_LOG...] [spill:LANE=LOG...]

The first log is the primary kernel's run; each LANE=LOG after it is a
secondary kernel's run (the swap section only, usually), reported in
its own table; each spill:LANE=LOG is a spill VM's run (report_spill.py).  Devices named vswap-NAME are variants (module
parameters, see guest.sh): a table per variant set gives each against
zram next to the defaults.

Reads the 'BENCH info|sample ...' lines tests/bench/guest.sh prints,
takes medians per (row, device) and the ratio of medians of vswap over
the row's baseline: zram in the main table; in the backing-tier table
zram, or raw dd on the tier's own device for the demotion rows.
No thresholds: the ratio's meaning depends on the row's direction.
"""
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys

from report_spill import LINE, fmt, spill_report

# row key -> (label, unit, better).  Order is the table's order.
ROWS = {
    "randwrite": ("fio 4k randwrite, 2 jobs", "IOPS", "higher"),
    "randread": ("fio 4k randread, 2 jobs", "IOPS", "higher"),
    "randrw": ("fio 4k randrw 70/30, 2 jobs (r+w)", "IOPS", "higher"),
    "randwrite_aio": ("fio 4k randwrite, libaio qd1, 2 jobs (diagnostic)", "IOPS", "higher"),
    "swap_wall_s": ("swap_stress in memcg, wall time", "s", "lower"),
    "swapin_ram_p50": ("swap-in latency from RAM (no backing tier), median", "us", "lower"),
    "swapin_ram_p99": ("swap-in latency from RAM (no backing tier), p99", "us", "lower"),
    "swapin_ram_majflt": ("  of which swap-in faults (must be 100)", "%", "higher"),
    "pool_mib": ("compressed pool after fio prefill", "MiB", "lower"),
    "meta_64G_meminfo": ("metadata, 64 GiB device (MemFree delta)", "B/slot", "lower"),
    "meta_1T_meminfo": ("metadata, 1 TiB device (MemFree delta)", "B/slot", "lower"),
    "meta_64G_driver": ("metadata, 64 GiB device (vswap meta_bytes; zram table)", "B/slot", "lower"),
    "meta_1T_driver": ("metadata, 1 TiB device (vswap meta_bytes; zram table)", "B/slot", "lower"),
    # Diagnostics: ~0 when the driver completes in the submitter's
    # context, ~2 when each I/O is handed to a worker and back.
    "randwrite_cs": ("context switches per I/O, psync randwrite (approx.)", "cs/IO", "lower"),
    "randread_cs": ("context switches per I/O, psync randread (approx.)", "cs/IO", "lower"),
    "randwrite_aio_cs": ("context switches per I/O, libaio randwrite (approx.)", "cs/IO", "lower"),
}
# The backing-tier rows (guest-tiers.sh): key -> (label, unit, better,
# baseline device or None, the baseline's description).
TIER_ROWS = {
    "demote_fast": ("demotion RAM -> fast (NVMe), vswapctl migrate --wait",
                    "MiB/s", "higher", "dd", "raw dd 1M direct, same NVMe"),
    "demote_slow": ("demotion fast -> slow (throttled disk), vswapctl migrate --wait",
                    "MiB/s", "higher", "dd", "raw dd 1M direct, same disk"),
    "lat_ram_p50": ("swap-in latency, RAM tier, median", "us", "lower", "zram", "zram"),
    "lat_ram_p99": ("swap-in latency, RAM tier, p99", "us", "lower", "zram", "zram"),
    "lat_fast_p50": ("swap-in latency, fast tier (NVMe), median", "us", "lower",
                     "zram", "zram writeback on the same NVMe"),
    "lat_fast_p99": ("swap-in latency, fast tier (NVMe), p99", "us", "lower",
                     "zram", "zram writeback on the same NVMe"),
    "lat_slow_p50": ("swap-in latency, slow tier (throttled disk), median", "us",
                     "lower", None, "none (zram has one backing device)"),
    "lat_slow_p99": ("swap-in latency, slow tier (throttled disk), p99", "us",
                     "lower", None, "none (zram has one backing device)"),
    "tier_swap_wall_s": ("swap_stress in memcg over RAM + fast + slow, wall time",
                         "s", "lower", "zram", "zram + idle writeback to the NVMe"),
    "tier_swap_backing_mib": ("written to backing devices during that run", "MiB",
                              "lower", "zram", "zram bd_writes"),
    "tier_swap_backing_read_mib": ("read from backing devices during that run", "MiB",
                                   "lower", "zram", "zram bd_reads"),
}
DEVS = ("vswap", "zram")


def read_opt(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def plot_tiers(tops, outdir):
    """Plot the first rep's samples: (png, rep, data file), or None."""
    reps = sorted(r for r, v in tops.items() if v)
    if not reps:
        return None
    rep = reps[0]
    samples = [x for x in tops[rep] if x.get("devices")]
    names = []
    for x in samples:
        for t in x["devices"][0]["tiers"]:
            if t["name"] not in names:
                names.append(t["name"])
    t0 = samples[0]["time"]
    dat = f"{outdir}/tiers-timeline.dat"
    mib = 4096 / 1048576
    with open(dat, "w") as f:
        f.write("# seconds, per tier: data held (MiB), then per tier: migrated "
                "in (MiB/s); tiers: " + " ".join(names) + "\n")
        for x in samples:
            tiers = {t["name"]: t for t in x["devices"][0]["tiers"]}
            held = [tiers[n]["pages"] * mib if n in tiers else "NaN" for n in names]
            rate = [(tiers[n]["mig_in_per_s"] or 0) * mib if n in tiers else "NaN"
                    for n in names]
            f.write(" ".join(str(v) for v in [round(x["time"] - t0, 2)] + held + rate) + "\n")
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("report.py: gnuplot not found (tests/vm/host-deps.sh): no plot", file=sys.stderr)
        return None
    png = f"{outdir}/tiers.png"
    n = len(names)
    # A tier keeps its colour in both panels.
    held = ", ".join(f"'{dat}' using 1:{2 + i} with lines lw 2 lc {i + 1} title '{name}'"
                     for i, name in enumerate(names))
    rate = ", ".join(f"'{dat}' using 1:{2 + n + i} with lines lw 2 lc {i + 1} title '{name}'"
                     for i, name in enumerate(names) if name != "zero")
    script = f"""set terminal pngcairo size 1000,700 font ',10' noenhanced
set output '{png}'
set multiplot layout 2,1 title 'vswap tiers during swap_stress (rep {rep})'
set grid
set key outside right
set ylabel 'data held (MiB)'
plot {held}
set xlabel 'seconds'
set ylabel 'migrated in (MiB/s)'
plot {rate}
unset multiplot
"""
    r = subprocess.run([gnuplot], input=script, text=True, capture_output=True)
    if r.returncode or not os.path.exists(png):
        print(f"report.py: gnuplot failed: {r.stderr.strip()}", file=sys.stderr)
        return None
    return png, rep, dat


def parse(console):
    """(samples, info, tops) of one console log."""
    samples = {}      # row -> dev -> [(rep, value)]
    info = []         # [key, values...]
    tops = {}         # rep -> [vswapctl -j top samples] of the tiered swap run
    with open(console, "rb") as f:
        for raw in f:
            line = raw.decode("utf-8", "replace").strip().replace("\r", "")
            m = LINE.match(line)
            if not m:
                continue
            if m.group(1) == "top":
                # "BENCH top REP {vswapctl -j top sample}"
                rep, _, js = m.group(2).partition(" ")
                try:
                    tops.setdefault(int(rep), []).append(json.loads(js))
                except ValueError:
                    pass    # a line the console cut or interleaved
                continue
            kind, rest = m.group(1), m.group(2).split()
            if kind == "sample" and len(rest) == 4:
                row, dev, rep, val = rest
                samples.setdefault(row, {}).setdefault(dev, []).append(
                    (int(rep), float(val)))
            elif kind == "info" and rest:
                info.append(rest)
    return samples, info, tops


def main():
    console, outdir = sys.argv[1], sys.argv[2]
    others = [a.split("=", 1) for a in sys.argv[3:] if not a.startswith("spill:")]
    spills = [a[len("spill:"):].split("=", 1) for a in sys.argv[3:]
              if a.startswith("spill:")]
    samples, info, tops = parse(console)

    def info_value(key):
        for i in info:
            if i[0] == key:
                return " ".join(i[1:])
        return None

    def make_row(table, key, label, unit, better, base, base_label, dev="vswap",
                 samples=samples):
        per_dev = samples.get(key, {})
        if not per_dev or dev not in per_dev:
            return None
        devs = (dev, base) if base else (dev,)
        med = {d: statistics.median(v for _, v in per_dev[d]) if per_dev.get(d) else None
               for d in devs}
        ratio = None
        if base and med[dev] is not None and med[base]:
            ratio = med[dev] / med[base]
        # Same-rep pairs ran back to back: their ratio cancels most of
        # the host's slow drift, so its median is the steadier figure.
        z = dict(per_dev.get(base, [])) if base else {}
        pairs = [v / z[rep] for rep, v in sorted(per_dev.get(dev, []))
                 if z.get(rep)]
        row = {
            "table": table, "row": key, "label": label, "unit": unit, "better": better,
            "device": dev,
            "baseline": base, "baseline_label": base_label,
            "samples": {d: [v for _, v in sorted(per_dev.get(d, []))] for d in devs},
            "median": med, "ratio_vswap_over_baseline": ratio,
            "paired_ratios": pairs,
            "paired_ratio_median": statistics.median(pairs) if pairs else None,
        }
        if base == "zram":
            row["ratio_vswap_over_zram"] = ratio
        return row

    rows = [r for r in (make_row("main", k, *v, "zram", "zram") for k, v in ROWS.items()) if r]
    tier_rows = [r for r in (make_row("tiers", k, *v) for k, v in TIER_ROWS.items()) if r]
    variants = sorted({d for per_dev in samples.values() for d in per_dev
                       if d.startswith("vswap-")})
    variant_rows = [r for r in (make_row("variants", k, *v, "zram", "zram", dev=d)
                                for k, v in ROWS.items() for d in ["vswap"] + variants)
                    if r] if variants else []
    kernel_rows = []
    for lane, log in others:
        if not os.path.exists(log):
            continue
        s2, i2, _ = parse(log)
        rel = next((" ".join(i[1:]) for i in i2 if i[0] == "kernel"), lane)
        for r in (make_row("kernels", k, *v, "zram", "zram", samples=s2)
                  for k, v in ROWS.items()):
            if r:
                r["lane"], r["kernel"] = lane, rel
                kernel_rows.append(r)
    skipped = read_opt(f"{outdir}/kernels-skipped")

    computed = [i for i in info if i[0] == "zram_1t_computed"]
    kernel = info_value("kernel") or "unknown"
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "kernel": kernel,
        "vswap_version": info_value("vswap_version"),
        "fio": info_value("fio"),
        "guest_cpus": info_value("cpus"),
        "guest_mem_kb": info_value("mem_kb"),
        "params": info_value("params"),
        "zram_1t_meta": "extrapolated from 64 GiB (table did not fit)" if computed
        else "measured",
        "host_loadavg": {w: read_opt(f"{outdir}/host-load.{w}") for w in ("before", "after")},
        "rows": rows,
        "tier_devices": read_opt(f"{outdir}/devices"),
        "tier_params": info_value("tiers"),
        "tier_rows": tier_rows,
        "variants": {d: next((i[1] for i in info if i[0] == "variants"), None)
                     for d in variants},
        "variant_rows": variant_rows,
        "kernel_rows": kernel_rows,
        "kernels_skipped": skipped,
        "info": info,
    }
    spill_md, result["spill"] = spill_report(spills, outdir)
    with open(f"{outdir}/results.json", "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")

    reps = max((len(s) for r in rows + tier_rows for s in r["samples"].values()),
               default=0)
    md = [
        f"# vswap vs zram (lz4), {reps} reps, medians",
        "",
        f"Kernel {kernel}, {info_value('cpus')} vCPUs (QEMU TCG), "
        f"{result['date']}; params: {info_value('params')}.",
        "ratio = vswap median / zram median; paired = median over reps of "
        "vswap/zram within the rep (the two ran back to back). 'better' says "
        "which way is good for that row: for 'lower' rows a ratio below 1 "
        "favours vswap.",
    ]
    if rows:
        md += [
            "",
            "| row | vswap | zram | ratio | paired | unit | better |",
            "|---|---:|---:|---:|---:|---|---|",
        ]
    for r in rows:
        # Rows measured fewer times than the rest say so (zram's 1 TiB).
        n = {d: len(r["samples"][d]) for d in DEVS}
        label = r["label"]
        if min(n.values()) < reps:
            label += " (n: " + ", ".join(f"{d} {n[d]}" for d in DEVS) + ")"
        md.append(f"| {label} | {fmt(r['median']['vswap'])} | "
                  f"{fmt(r['median']['zram'])} | "
                  f"{fmt(r['ratio_vswap_over_zram'])} | "
                  f"{fmt(r['paired_ratio_median'])} | {r['unit']} | {r['better']} |")
    if computed:
        md += ["", "zram's 1 TiB MemFree figure is extrapolated from its 64 GiB "
               "measurement: the table did not fit in the guest's RAM."]
    if variant_rows:
        md += [
            "",
            "## Variants",
            "",
            f"Module parameters per variant: {info_value('variants')}; vswap is "
            "the defaults.  Each against zram of the same run (ratio of medians, "
            "paired = median of per-rep ratios).",
            "",
            "| row | device | median | zram | ratio | paired | unit | better |",
            "|---|---|---:|---:|---:|---:|---|---|",
        ]
        for r in variant_rows:
            d = r["device"]
            md.append(f"| {r['label']} | {d} | {fmt(r['median'][d])} | "
                      f"{fmt(r['median']['zram'])} | "
                      f"{fmt(r['ratio_vswap_over_zram'])} | "
                      f"{fmt(r['paired_ratio_median'])} | {r['unit']} | {r['better']} |")
    if kernel_rows or skipped:
        md += [
            "",
            "## Other kernels",
            "",
            "Secondary kernels of the run (BENCH_KERNELS), each in its own VM, "
            "vswap (its defaults) against zram on that kernel.",
        ]
        if kernel_rows:
            md += [
                "",
                "| kernel | row | vswap | zram | ratio | paired | unit | better |",
                "|---|---|---:|---:|---:|---:|---|---|",
            ]
        for r in kernel_rows:
            md.append(f"| {r['kernel']} | {r['label']} | {fmt(r['median']['vswap'])} | "
                      f"{fmt(r['median']['zram'])} | "
                      f"{fmt(r['ratio_vswap_over_zram'])} | "
                      f"{fmt(r['paired_ratio_median'])} | {r['unit']} | {r['better']} |")
        if skipped:
            md += ["", f"Skipped: {skipped}"]
    if tier_rows:
        md += [
            "",
            "## Backing tiers",
            "",
            f"Devices: {result['tier_devices'] or 'unknown'}; "
            f"params: {result['tier_params'] or 'unknown'}.",
            "ratio = vswap median / baseline median; paired = median over reps "
            "of the same ratio within the rep.  Targets, reported and never "
            "asserted: demotion ratio >= 0.8, tiered swap_stress faster than zram.",
            "",
            "| row | vswap | baseline | vs | ratio | paired | unit | better |",
            "|---|---:|---:|---|---:|---:|---|---|",
        ]
        for r in tier_rows:
            base = r["baseline"]
            n = {d: len(v) for d, v in r["samples"].items()}
            label = r["label"]
            if min(n.values()) < reps:
                label += " (n: " + ", ".join(f"{d} {n[d]}" for d in n) + ")"
            md.append(f"| {label} | {fmt(r['median']['vswap'])} | "
                      f"{fmt(r['median'][base]) if base else 'n/a'} | "
                      f"{r['baseline_label']} | "
                      f"{fmt(r['ratio_vswap_over_baseline'])} | "
                      f"{fmt(r['paired_ratio_median'])} | {r['unit']} | {r['better']} |")
    plot = plot_tiers(tops, outdir)
    if plot:
        md += ["", f"Tier occupancy and migration rate during the tiered swap_stress run "
               f"(rep {plot[1]}, sampled every second with `vswapctl -j top`; "
               f"data: {os.path.basename(plot[2])}):", "",
               f"![tier occupancy and migration rate]({os.path.basename(plot[0])})"]
    if not rows and not tier_rows and not variant_rows:
        md = ["# vswap benchmarks"]
    md += spill_md
    md.append("")
    with open(f"{outdir}/results.md", "w") as f:
        f.write("\n".join(md))

    if not rows and not tier_rows and not spill_md:
        print("report.py: no samples in the console log", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
