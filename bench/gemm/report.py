#!/usr/bin/python3
"""Turn bench/gemm's results.csv into results.md (tables) and results.png.

  report.py --csv results.csv --env environment.txt --md results.md --png results.png

Each library's column shows its best variant that takes B as stored (the
same contract as Tessel's kernels); oneDNN with B reordered ahead of time
gets its own column. Ratios compare numbers measured in the same run.
"""
import argparse
import csv
import os
import re
from collections import OrderedDict

LIBS = ["Tessel", "Tessel dynamic", "OpenBLAS", "BLIS", "oneDNN", "Eigen", "MLIR plain"]
# Tessel's own kernels, not peers: the dynamic one is the same product on
# memref<?x?xf32>, compared with the static one.
OURS = ["Tessel", "Tessel dynamic"]
PREPACKED = "oneDNN prepacked B"  # pseudo-library for the extra column


def load(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def size_label(r):
    layout = " (B N×K)" if r["b_layout"] == "nk" else ""
    return f"{r['dtype']} {r['M']}×{r['K']}×{r['N']}{layout}"


class Cell:
    def __init__(self):
        self.best = None      # (gflops, variant)
        self.ok_variants = 0
        self.wrong = []       # variants that failed the check
        self.skipped = []     # (variant, why)

    def text(self):
        if self.best:
            g, v = self.best
            s = f"{g:.1f}" if g >= 10 else f"{g:.2f}"
            return f"{s} ({v})" if self.ok_variants > 1 and v else s
        if self.wrong:
            return "✗ wrong"
        return "–"


def collect(rows):
    """{threads: {workload: {lib: Cell}}} plus workload labels in file order."""
    table, labels = OrderedDict(), OrderedDict()
    for r in rows:
        t = int(r["threads"])
        labels.setdefault(r["workload"], size_label(r))
        lib = r["library"]
        if lib == "oneDNN" and "prepacked" in r["variant"]:
            lib = PREPACKED
        cell = table.setdefault(t, OrderedDict()).setdefault(r["workload"], {}).setdefault(lib, Cell())
        if r["status"] == "ok":
            g = float(r["gflops"])
            cell.ok_variants += 1
            if cell.best is None or g > cell.best[0]:
                cell.best = (g, r["variant"])
        elif r["status"] == "wrong":
            cell.wrong.append(r["variant"])
        else:
            cell.skipped.append((r["variant"], r["note"]))
    return table, labels


def gflops(cells, lib):
    c = cells.get(lib)
    return c.best[0] if c and c.best else None


def best_peer(cells):
    best = None
    for lib in LIBS:
        if lib in OURS:
            continue
        g = gflops(cells, lib)
        if g is not None and (best is None or g > best[0]):
            best = (g, lib)
    return best


def fmt_ratio(x):
    return f"{x:.2f}×"


def markdown(table, labels, env_lines, rows):
    have_tessel = any(r["library"] == "Tessel" for r in rows)
    have_prepacked = any(PREPACKED in cells for t in table.values() for cells in t.values())
    out = ["# GEMM benchmark", "",
           "GFLOP/s (higher is better), best of several samples after warm-up, every result checked against a "
           "double-precision reference. Sizes are M×K×N for C[M,N] = A[M,K]·B[K,N], row-major, B stored K×N "
           "unless marked N×K. A library's cell is its best entry point taking B as stored (the entry point is "
           "named when it has several); \"–\" means it has none for that case, \"✗ wrong\" a failed check.", ""]
    for line in env_lines:
        if line.startswith("Tessel:"):
            out += [f"**{line}: no Tessel columns in this run.**", ""]
    busy = {}
    for line in env_lines:
        m = re.match(r"threads (\d+), ([^,:]+): host busy before start: (\d+)%", line)
        if m:
            busy[(int(m.group(1)), m.group(2))] = int(m.group(3))
    if busy and max(busy.values()) > 25:
        out += [f"**Warning: other processes kept up to {max(busy.values())}% of the cores busy just before "
                f"some measurements (column \"busy\"); numbers from such rows are unreliable, ratios less so "
                f"since each workload's libraries run back to back.**", ""]
    out += ["```"] + [l for l in env_lines if "host busy before start" not in l] + ["```", ""]
    ran = {r["library"] for r in rows}
    libs = [l for l in LIBS if l in ran]
    for t, work in table.items():
        out += [f"## {t} thread{'s' if t > 1 else ''}"
                f" (`taskset -c {'1' if t == 1 else '0,1'}`)", ""]
        head = ["workload"] + libs + ([PREPACKED] if have_prepacked else []) + ["best peer"]
        have_dynamic = "Tessel dynamic" in libs
        if have_tessel:
            head.append("Tessel ÷ best peer")
        if have_tessel and have_dynamic:
            head.append("dynamic ÷ static")
        if busy:
            head.append("busy")
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
        for w, cells in work.items():
            line = [labels[w]] + [cells[l].text() if l in cells else "–" for l in libs]
            if have_prepacked:
                line.append(cells[PREPACKED].text() if PREPACKED in cells else "–")
            bp = best_peer(cells)
            line.append(f"{bp[1]} {bp[0]:.1f}" if bp else "–")
            if have_tessel:
                tg = gflops(cells, "Tessel")
                line.append(fmt_ratio(tg / bp[0]) if tg is not None and bp else "–")
            if have_tessel and have_dynamic:
                tg, dg = gflops(cells, "Tessel"), gflops(cells, "Tessel dynamic")
                line.append(fmt_ratio(dg / tg) if tg and dg else "–")
            if busy:
                line.append(f"{busy[(t, w)]}%" if (t, w) in busy else "?")
            out.append("| " + " | ".join(line) + " |")
        out.append("")
        if have_tessel and len(libs) > 1:
            out += [f"Tessel ÷ each peer, {t} thread{'s' if t > 1 else ''}:", ""]
            peers = [l for l in libs if l not in OURS] + ([PREPACKED] if have_prepacked else [])
            out.append("| workload | " + " | ".join(peers) + " |")
            out.append("|" + "|".join(["---"] + ["---:"] * len(peers)) + "|")
            for w, cells in work.items():
                tg = gflops(cells, "Tessel")
                vals = []
                for p in peers:
                    pg = gflops(cells, p)
                    vals.append(fmt_ratio(tg / pg) if tg is not None and pg else "–")
                out.append(f"| {labels[w]} | " + " | ".join(vals) + " |")
            out.append("")
    if 1 in table and 2 in table:
        out += ["## Scaling: 2 threads ÷ 1 thread", ""]
        scal = [l for l in libs if l != "MLIR plain"]
        out.append("| workload | " + " | ".join(scal) + " |")
        out.append("|" + "|".join(["---"] + ["---:"] * len(scal)) + "|")
        for w in table[2]:
            vals = []
            for l in scal:
                a, b = gflops(table[1].get(w, {}), l), gflops(table[2][w], l)
                vals.append(fmt_ratio(b / a) if a and b else "–")
            out.append(f"| {labels[w]} | " + " | ".join(vals) + " |")
        out.append("")
    # Why cells are empty or wrong.
    notes = OrderedDict()
    for r in rows:
        if r["status"] == "skipped" and r["note"]:
            notes.setdefault(f"{r['library']}{' ' + r['variant'] if r['variant'] else ''}: {r['note']}", []).append(
                r["workload"])
        elif r["status"] == "wrong":
            notes.setdefault(f"{r['library']} {r['variant']}: WRONG RESULT ({r['note']}, max rel err "
                             f"{r['max_rel_err']} > {r['tolerance']})", []).append(f"{r['workload']} t{r['threads']}")
    if notes:
        out += ["## Notes", ""]
        for text, ws in notes.items():
            uniq = list(OrderedDict.fromkeys(ws))
            out.append(f"- {text} — {', '.join(uniq)}")
        out.append("")
    out += ["Vector-matrix cases rotate over copies of B that together exceed twice the last-level cache "
            "(column `b_copies` in results.csv), so B streams from memory as in inference. Errors are "
            "|C − ref| / Σ|a||b| (double reference); tolerance K·2⁻²³. The MLIR plain lowering is serial and is "
            "measured at 1 thread only. \"busy\": share of the cores other processes used in the half second before "
            "the workload's measurements started.", ""]
    return "\n".join(out)


def plot(table, labels, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = [l for l in LIBS] + [PREPACKED]
    colors = {"Tessel": "#d62728", "Tessel dynamic": "#e377c2", "OpenBLAS": "#1f77b4", "BLIS": "#2ca02c", "oneDNN": "#9467bd",
              "Eigen": "#ff7f0e", "MLIR plain": "#7f7f7f", PREPACKED: "#c5b0d5"}
    threads = list(table.keys())
    fig, axes = plt.subplots(len(threads), 1, figsize=(15, 5.2 * len(threads)), squeeze=False)
    for ax, t in zip(axes[:, 0], threads):
        work = table[t]
        present = [s for s in series if any(gflops(c, s) is not None for c in work.values())]
        names = list(work.keys())
        width = 0.8 / max(1, len(present))
        for si, s in enumerate(present):
            xs, ys = [], []
            for wi, w in enumerate(names):
                g = gflops(work[w], s)
                if g is not None:
                    xs.append(wi - 0.4 + width * (si + 0.5))
                    ys.append(g)
            ax.bar(xs, ys, width, label=s, color=colors.get(s))
        ax.set_yscale("log")
        ax.set_ylabel("GFLOP/s (log scale)")
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels([labels[w].replace(" (B N×K)", "\nB N×K") for w in names], rotation=30, ha="right",
                           fontsize=8)
        ax.set_title(f"GEMM, {t} thread{'s' if t > 1 else ''} (higher is better)")
        ax.grid(axis="y", which="both", alpha=0.3)
        if present:
            ax.legend(ncol=len(present), fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.28))
        else:
            ax.text(0.5, 0.5, "no result passed the check", transform=ax.transAxes, ha="center")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", required=True)
    ap.add_argument("--env", default="")
    ap.add_argument("--md", required=True)
    ap.add_argument("--png", required=True)
    args = ap.parse_args()
    rows = load(args.csv)
    table, labels = collect(rows)
    env_lines = []
    if args.env and os.path.exists(args.env):
        env_lines = open(args.env).read().splitlines()
    with open(args.md, "w") as f:
        f.write(markdown(table, labels, env_lines, rows))
    if table:
        plot(table, labels, args.png)


if __name__ == "__main__":
    main()
