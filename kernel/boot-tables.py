#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""boot-tables.py: the tables of scripts/kernel-boot.sh's boots (issues 14,
24, 25), from the raw samples the guests printed.

    kernel/boot-tables.py fork RAW PREFIX [key=value...]
        RAW: tree,boot,round,vmas,forks_per_10s (every sample).
        PREFIX-fork.csv/.txt: our tree against the pristine kernel
            (columns as kernel/boot-fork-plot.gp reads them).
        PREFIX-seed.csv/.txt: when the old kernel was booted, the seed's
            table: forks per 10 s of the pre-series dup_mmap() (old) and
            __mt_dup() (new, the pristine kernel), the gain, the seed's
            published gain, and our tree's rate and gain over old.
    kernel/boot-tables.py stress RAW PREFIX [key=value...]
        RAW: tree,boot,stressor,rc,bogo_ops.
        PREFIX-stress.csv/.txt: bogo-ops per stressor, median of the boots,
            each tree against the pristine kernel.

    kernel/boot-tables.py matrix PREFIX [key=value...] VERSION:RUN...
        RUN: the PREFIX of one kernel-boot.sh run (build/kernel,
        build/kernel-7.3), its logs in the folder of that name.
        PREFIX.txt/.csv: scripts/kernel-matrix.sh's table, every build's
            test verdicts and every kernel's fork rate side by side.

Medians and min-max over every sample; a ratio's range pairs the extremes
(worst: the numerator's min over the denominator's max).  The key=value
words (version, clock, boots, rounds) only label the tables.
"""

import csv
import os
import re
import statistics
import sys

# The seed's cover letter (next-20231006 against the series): VMA counts
# and the published gain of __mt_dup() over the per-VMA loop, in percent.
SEED_VMAS = [21, 121, 221, 421, 821, 1621, 3221, 6421, 12821, 25621, 51221]
SEED_GAIN = [2.19, 8.92, 19.88, 34.64, 42.37, 44.64, 48.28, 50.17, 51.68,
             53.74, 52.42]


def die(msg):
    sys.exit("boot-tables: " + msg)


def samples(path, key_cols, value_col):
    """{(tree, key): [values]} of a raw CSV, in file order of the keys."""
    out = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            try:
                v = float(row[value_col])
            except (TypeError, ValueError):
                continue
            k = (row["tree"],) + tuple(row[c] for c in key_cols)
            out.setdefault(k, []).append(v)
    return out


def stat(vals):
    return statistics.median(vals), min(vals), max(vals)


def ratio(num, den):
    """median ratio and its range, or None when a side is missing or 0"""
    if not num or not den:
        return None
    mn, lo_n, hi_n = stat(num)
    md, lo_d, hi_d = stat(den)
    if md <= 0 or lo_d <= 0 or hi_d <= 0:
        return None
    return mn / md, lo_n / hi_d, hi_n / lo_d


def fork_tables(raw, prefix, labels):
    s = samples(raw, ["vmas"], "forks_per_10s")
    trees = []
    for (t, _) in s:
        if t not in trees:
            trees.append(t)
    vmas = sorted({int(v) for (_, v) in s})
    head = ("fork()+exit+wait per 10 s in the guest (%s; %s boot(s) x %s "
            "rounds of each kernel): median [min-max]"
            % (labels.get("clock", "?"), labels.get("boots", "?"),
               labels.get("rounds", "?")))
    ver = labels.get("version", "?")

    if "kernel" in trees and "ours" in trees:
        with open(prefix + "-fork.csv", "w") as c, \
             open(prefix + "-fork.txt", "w") as t:
            c.write("vmas,kernel_median,kernel_min,kernel_max,ours_median,"
                    "ours_min,ours_max,ratio,ratio_min,ratio_max,samples\n")
            t.write(head + "\n")
            t.write("%8s  %-26s %-26s %s\n" % ("VMAs", "Linux %s tree" % ver,
                                              "our tree",
                                              "ours/kernel [range]"))
            for v in vmas:
                k, o = s.get(("kernel", str(v))), s.get(("ours", str(v)))
                r = ratio(o, k)
                if r is None:
                    continue
                km, ko = stat(k), stat(o)
                c.write("%d,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.3f,%.3f,%.3f,%d\n"
                        % ((v,) + km + ko + r + (len(o),)))
                t.write("%8d  %8.0f [%7.0f-%7.0f]  %8.0f [%7.0f-%7.0f]  "
                        "%.3f [%.3f-%.3f]\n" % ((v,) + km + ko + r))

    if "old" in trees and "kernel" in trees:
        seed = dict(zip(SEED_VMAS, SEED_GAIN))
        rows = []
        for v in vmas:
            old, new = s.get(("old", str(v))), s.get(("kernel", str(v)))
            g = ratio(new, old)
            if g is None:
                continue
            ours = s.get(("ours", str(v)))
            rows.append((v, stat(old), stat(new), g, seed.get(v),
                         stat(ours) if ours else None, ratio(ours, old)))
        with open(prefix + "-seed.csv", "w") as c:
            c.write("vmas,old_median,old_min,old_max,new_median,new_min,"
                    "new_max,gain_pct,gain_min_pct,gain_max_pct,seed_gain_pct,"
                    "ours_median,ours_min,ours_max,ours_gain_pct,"
                    "ours_gain_min_pct,ours_gain_max_pct\n")
            for v, o, n, g, sg, ou, og in rows:
                c.write("%d,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.2f,%.2f,%.2f,%s,"
                        % ((v,) + o + n + tuple(100 * (x - 1) for x in g)
                           + ("%.2f" % sg if sg is not None else "",)))
                c.write(("%.0f,%.0f,%.0f," % ou) if ou else ",,,")
                c.write(("%.2f,%.2f,%.2f\n" % tuple(100 * (x - 1) for x in og))
                        if og else ",,\n")
        with open(prefix + "-seed.txt", "w") as t:
            t.write("The seed's table in a booted Linux %s: forks per 10 s, "
                    "median [min-max] of every sample\n" % ver)
            t.write("(%s; %s boot(s) x %s rounds of each kernel)\n"
                    % (labels.get("clock", "?"), labels.get("boots", "?"),
                       labels.get("rounds", "?")))
            t.write("old: dup_mmap() stores every VMA (kernel/old-dup-mmap.py);"
                    " new: pristine, __mt_dup(); gain: new/old - 1\n")
            cols = [r[0] for r in rows]
            fmt = "%-16s" + " %17s" * len(cols) + "\n"
            t.write(fmt % (("VMAs",) + tuple(cols)))
            t.write(fmt % (("old",) + tuple("%.0f [%.0f-%.0f]" % r[1]
                                            for r in rows)))
            t.write(fmt % (("new",) + tuple("%.0f [%.0f-%.0f]" % r[2]
                                            for r in rows)))
            t.write(fmt % (("gain",) + tuple(
                "%.1f%% [%.0f..%.0f]" % tuple(100 * (x - 1) for x in r[3])
                for r in rows)))
            t.write(fmt % (("seed's gain",) + tuple(
                "%.2f%%" % r[4] if r[4] is not None else "-" for r in rows)))
            if any(r[5] for r in rows):
                t.write(fmt % (("ours",) + tuple(
                    "%.0f [%.0f-%.0f]" % r[5] if r[5] else "-" for r in rows)))
                t.write(fmt % (("ours over old",) + tuple(
                    "%.1f%% [%.0f..%.0f]" % tuple(100 * (x - 1) for x in r[6])
                    if r[6] else "-" for r in rows)))


def stress_table(raw, prefix, labels):
    s = samples(raw, ["stressor"], "bogo_ops")
    rcs = {}
    with open(raw) as f:
        for row in csv.DictReader(f):
            rcs.setdefault((row["tree"], row["stressor"]), set()).add(row["rc"])
    trees, names = [], []
    for (t, n) in rcs:
        if t not in trees:
            trees.append(t)
        if n not in names:
            names.append(n)
    others = [t for t in trees if t != "kernel"]
    with open(prefix + "-stress.csv", "w") as c, \
         open(prefix + "-stress.txt", "w") as t:
        c.write("stressor," + ",".join("%s_median,%s_rc" % (x, x) for x in trees)
                + "".join(",%s_over_kernel,%s_over_kernel_min,"
                          "%s_over_kernel_max" % (x, x, x) for x in others)
                + "\n")
        t.write("stress-ng bogo-ops per stressor in the guest (%s; %s "
                "boot(s) of each kernel, one worker): median\n"
                % (labels.get("clock", "?"), labels.get("boots", "?")))
        t.write("%-14s" % "stressor" + "".join("%12s" % x for x in trees)
                + "".join("%24s" % (x + "/kernel [range]") for x in others)
                + "  exit\n")
        for n in names:
            line_c, line_t = [n], ["%-14s" % n]
            for x in trees:
                v = s.get((x, n))
                line_c += ["%.0f" % stat(v)[0] if v else "",
                           "/".join(sorted(rcs.get((x, n), {"-"})))]
                line_t.append("%12s" % ("%.0f" % stat(v)[0] if v else "-"))
            for x in others:
                r = ratio(s.get((x, n)), s.get(("kernel", n)))
                line_c += ["%.3f" % y for y in r] if r else ["", "", ""]
                line_t.append("%24s" % ("%.3f [%.3f-%.3f]" % r if r else "-"))
            exits = sorted({rc for x in trees for rc in rcs.get((x, n), set())})
            line_t.append("  " + "/".join(exits))
            c.write(",".join(line_c) + "\n")
            t.write("".join(line_t) + "\n")


# What a test boot's log says, as the guest's init prints it.
TEST_LINES = [
    ("module", re.compile(r"guest: module: maple_tree: (\d+) of (\d+) tests passed"),
     lambda m: "%s/%s" % (m.group(1), m.group(2))),
    ("torture", re.compile(r"vma-torture: seed \d+: (\d+) operations in [0-9.]+s, (\d+) mismatches"),
     lambda m: "%s ops, %s mism." % (m.group(1), m.group(2))),
    ("verdict", re.compile(r"guest: (\d+) passed, (\d+) failed"),
     lambda m: "%s/%s" % (m.group(1), int(m.group(1)) + int(m.group(2)))),
]
TREE_NAME = {"old": "old", "kernel": "new", "ours": "ours"}


def test_summary(log):
    """the test boot's figures: module, torture, stress-ng, dmesg, verdict"""
    try:
        text = open(log, errors="replace").read()
    except OSError:
        return None
    out = {}
    for key, rx, fmt in TEST_LINES:
        hits = list(rx.finditer(text))
        out[key] = fmt(hits[-1]) if hits else "-"
    sp = len(re.findall(r"guest: PASS stress-ng ", text))
    sf = len(re.findall(r"guest: FAIL stress-ng ", text))
    out["stress"] = "%d/%d" % (sp, sp + sf) if sp + sf else "-"
    if "guest: PASS dmesg" in text:
        out["dmesg"] = "clean"
    elif "guest: FAIL dmesg" in text:
        out["dmesg"] = "SPLATS"
    else:
        out["dmesg"] = "-"
    return out


def matrix(prefix, labels, runs):
    cols = []      # (label, samples of that kernel by vmas)
    tests = []
    for run in runs:
        ver, _, base = run.partition(":")
        raw = base + "-fork-raw.csv"
        s = samples(raw, ["vmas"], "forks_per_10s") if os.path.exists(raw) else {}
        for tree in ("old", "kernel", "ours"):
            by = {int(v): vals for (t, v), vals in s.items() if t == tree}
            summary = test_summary(os.path.join(base, tree + "-test.log"))
            if not by and summary is None:
                continue
            label = "%s %s" % (ver, TREE_NAME[tree])
            cols.append((label, by))
            if summary:
                tests.append((label, summary))
    vmas = sorted({v for _, by in cols for v in by})
    med = {lab: {v: statistics.median(x) for v, x in by.items()}
           for lab, by in cols}
    pairs = [(a, b) for a, b in (("6.12 new", "6.12 old"),
                                 ("6.12 ours", "6.12 new"),
                                 ("7.3 new", "6.12 new"),
                                 ("7.3 ours", "7.3 new"))
             if a in med and b in med]
    with open(prefix + ".csv", "w") as c:
        c.write("vmas," + ",".join(lab.replace(" ", "_") for lab, _ in cols)
                + "".join(",%s/%s" % (a.replace(" ", "_"), b.replace(" ", "_"))
                          for a, b in pairs) + "\n")
        for v in vmas:
            c.write("%d" % v + "".join(
                ",%.0f" % med[lab][v] if v in med[lab] else "," for lab, _ in cols))
            c.write("".join(",%.3f" % (med[a][v] / med[b][v])
                            if v in med[a] and v in med[b] and med[b][v] else ","
                            for a, b in pairs) + "\n")
    with open(prefix + ".txt", "w") as t:
        t.write("kernel-matrix (%s): %ss wall\n\n" % (labels.get("matrix", "?"),
                                                     labels.get("wall", "?")))
        t.write("Test boots (SMP): the kernel's test module, vma-torture, "
                "stress-ng stressors passed, dmesg, the guest's verdict\n")
        t.write("%-10s %-22s %-24s %-9s %-7s %s\n"
                % ("kernel", "module", "torture", "stress-ng", "dmesg", "verdict"))
        for lab, x in tests:
            t.write("%-10s %-22s %-24s %-9s %-7s %s\n"
                    % (lab, x["module"], x["torture"], x["stress"], x["dmesg"],
                       x["verdict"]))
        t.write("\nfork()+exit+wait per 10 s, median of every sample "
                "(the fork boots: one CPU, instruction clock)\n")
        t.write("%8s" % "VMAs" + "".join("%11s" % lab for lab, _ in cols)
                + "".join("%16s" % ("%s/%s" % (a.split()[1], b.split()[1])
                                    if a.split()[0] == b.split()[0] else
                                    "%s/%s" % (a.split()[0], b.split()[0]))
                          for a, b in pairs) + "\n")
        for v in vmas:
            t.write("%8d" % v + "".join(
                "%11.0f" % med[lab][v] if v in med[lab] else "%11s" % "-"
                for lab, _ in cols))
            t.write("".join("%16.3f" % (med[a][v] / med[b][v])
                            if v in med[a] and v in med[b] and med[b][v]
                            else "%16s" % "-" for a, b in pairs) + "\n")
        t.write("\nratios: new/old is the seed's gain + 1 (6.12); ours/new per "
                "version; 7.3/6.12 compares the pristine kernels\n")


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "matrix":
        labels = dict(a.split("=", 1) for a in sys.argv[3:] if "=" in a)
        runs = [a for a in sys.argv[3:] if "=" not in a]
        if not runs:
            die("matrix: no VERSION:RUN given")
        matrix(sys.argv[2], labels, runs)
        return
    if len(sys.argv) < 4 or sys.argv[1] not in ("fork", "stress"):
        die("usage: boot-tables.py fork|stress RAW PREFIX [key=value...]\n"
            "       boot-tables.py matrix PREFIX [key=value...] VERSION:RUN...")
    labels = dict(a.split("=", 1) for a in sys.argv[4:] if "=" in a)
    if sys.argv[1] == "fork":
        fork_tables(sys.argv[2], sys.argv[3], labels)
    else:
        stress_table(sys.argv[2], sys.argv[3], labels)


if __name__ == "__main__":
    main()
