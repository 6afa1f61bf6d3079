#!/usr/bin/env python3
"""bench-pair.py: compare mtbench builds in paired rounds.

    scripts/bench-pair.py [-r ROUNDS] [-s SIZES] WORKLOADS NAME=MTBENCH...

Each round runs every workload once per build, one process each, pinned to
CPU 1 when taskset is there; the order of the builds turns by one every
round, so that none always runs first.  For every build after the first it
prints the median time, the median of its per-round ratios to the first
build, and the quartiles of those ratios.  Build the variants first, e.g.

    make mtbench O=build/bench-a KDIR=linux OPT=-O2 DEBUG_TREE=1
    make mtbench O=build/bench-b KDIR=linux OPT=-O2 DEBUG_TREE=1 \\
        EXTRA_CFLAGS=-DMY_CHANGE
    scripts/bench-pair.py -r 21 -s 1000,100000 prealloc_store \\
        base=build/bench-a/mtbench mine=build/bench-b/mtbench

Ratios of one round share the machine's state; medians of whole runs
minutes apart do not (docs/results.md: single pairs here range 0.4-2.9 in
busy spells).
"""
import argparse
import shutil
import statistics
import subprocess
import sys
from collections import defaultdict


def run(binary, sizes, workload, pin):
    """One process: {(workload, entries): ns per operation}."""
    cmd = pin + [binary, "--sizes", sizes, workload]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"bench-pair: {' '.join(cmd)} failed: {out.stderr.strip()}")
    rows = {}
    for line in out.stdout.splitlines():
        fields = line.split(",")
        if len(fields) == 3:
            rows[(fields[0], int(fields[1]))] = float(fields[2])
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-r", "--rounds", type=int, default=11)
    ap.add_argument("-s", "--sizes", default="1000,100000")
    ap.add_argument("workloads", help="comma-separated mtbench workloads")
    ap.add_argument("builds", nargs="+", metavar="NAME=MTBENCH")
    args = ap.parse_args()
    builds = []
    for b in args.builds:
        name, sep, path = b.partition("=")
        if not sep or not shutil.which(path):
            sys.exit(f"bench-pair: {b}: want NAME=path-to-mtbench")
        builds.append((name, path))
    if len(builds) < 2:
        sys.exit("bench-pair: give at least two builds")
    pin = ["taskset", "-c", "1"] if shutil.which("taskset") else []
    times = defaultdict(lambda: defaultdict(list))	# row -> name -> [ns]
    for r in range(args.rounds):
        k = r % len(builds)
        order = builds[k:] + builds[:k]
        for workload in args.workloads.split(","):
            for name, path in order:
                for row, ns in run(path, args.sizes, workload, pin).items():
                    times[row][name].append(ns)
    base = builds[0][0]
    print(f"{args.rounds} paired rounds; ratio: the median of the "
          f"per-round ratios to {base} [quartiles]")
    for row in sorted(times):
        line = f"{row[0]:16s} {row[1]:>8d}  {base} {statistics.median(times[row][base]):9.2f}"
        for name, _ in builds[1:]:
            ratios = sorted(v / b for v, b in zip(times[row][name],
                                                   times[row][base]))
            q = len(ratios) // 4
            line += (f"  {name} {statistics.median(times[row][name]):9.2f}"
                     f" {statistics.median(ratios):.3f}"
                     f" [{ratios[q]:.2f}-{ratios[-1 - q]:.2f}]")
        print(line)


if __name__ == "__main__":
    main()
