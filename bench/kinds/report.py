#!/usr/bin/env python3
"""Tables of the kinds benchmark: per workload and thread count, each
library's best GB/s over the rounds (bytes = x read + y written), Tessel's
ratio to the best peer and to memcpy's bandwidth on the same bytes."""
import csv
import sys
from collections import defaultdict

best = defaultdict(float)
wrong = set()
order = []
for row in csv.DictReader(open(sys.argv[1])):
    key = (row["workload"], int(row["threads"]), row["library"])
    if row["workload"] not in order:
        order.append(row["workload"])
    if row["status"] == "WRONG":
        wrong.add(key)
    if row["status"] in ("ok", "WRONG") and row["gbps"]:
        best[key] = max(best[key], float(row["gbps"]))
peers = ["onednn", "eigen", "mlir"]
for t in sorted({k[1] for k in best}):
    print(f"\n### {t} thread(s), GB/s (best of the rounds)\n")
    print("| workload | Tessel | oneDNN | Eigen | MLIR | memcpy | Tessel / best peer | Tessel / memcpy |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for w in order:
        get = lambda lib: best.get((w, t, lib))
        fmt = lambda lib: ("WRONG " if (w, t, lib) in wrong else "") + (f"{get(lib):.1f}" if get(lib) else "–")
        tessel = get("tessel")
        peer = max((get(p) or 0, p) for p in peers if (w, t, p) not in wrong)
        ratio = f"{tessel / peer[0]:.2f}× ({peer[1]})" if tessel and peer[0] else "–"
        bw = f"{tessel / get('copy'):.2f}" if tessel and get("copy") else "–"
        print(f"| {w} | {fmt('tessel')} | {fmt('onednn')} | {fmt('eigen')} | {fmt('mlir')} | {fmt('copy')} | {ratio} | {bw} |")
