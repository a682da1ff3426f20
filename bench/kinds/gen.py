#!/usr/bin/env python3
"""Write and compile one kernel per workload of the kinds benchmark.

  gen.py tessel --workloads F --out DIR --tessel BIN --threads N
  gen.py mlir   --workloads F --out DIR

"tessel": spec ops (spec.add + spec.relu, spec.gelu, spec.exp, spec.reduce,
spec.softmax),
`tessel compile`. "mlir": the same computations as linalg generics lowered by
upstream MLIR (linalg to loops, math to libm/LLVM, standard conversions to
the llvm dialect), mlir-translate-22, clang-22 -O3 -march=native (LLVM's own
loop vectorizer). Writes DIR/registry.c and prints the objects to link.
"""
import argparse
import os
import re
import subprocess
import sys

MLIR_PIPELINE = (
    "builtin.module(func.func(convert-linalg-to-loops),convert-math-to-libm,"
    "convert-scf-to-cf,expand-strided-metadata,lower-affine,"
    "finalize-memref-to-llvm,convert-math-to-llvm,convert-arith-to-llvm,"
    "convert-cf-to-llvm,convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
    "reconcile-unrealized-casts)")


def symbol(name):
    return "k_" + re.sub(r"[^A-Za-z0-9_]", "_", name)


def read(path):
    out = []
    for line in open(path):
        f = line.split("#", 1)[0].split()
        if f:
            out.append(dict(name=f[0], op=f[1], m=int(f[2]), n=int(f[3])))
    return out


def tessel_source(w):
    m, n, fn = w["m"], w["n"], symbol(w["name"])
    x = f"memref<{m}x{n}xf32>"
    if w["op"] == "bias_relu":
        b = f"memref<1x{n}xf32>"
        return (f"func.func @{fn}(%x: {x}, %b: {b}, %y: {x}) {{\n"
                f"  spec.add %y = add(%x, %b) : {x}, {b} -> {x}\n"
                f"  spec.relu %y = relu(%y) : {x} -> {x}\n  return\n}}\n")
    if w["op"] in ("gelu", "exp"):
        op = w["op"]
        return (f"func.func @{fn}(%x: {x}, %y: {x}) {{\n"
                f"  spec.{op} %y = {op}(%x) : {x} -> {x}\n  return\n}}\n")
    if w["op"] == "softmax":
        return (f"func.func @{fn}(%x: {x}, %y: {x}) {{\n"
                f"  spec.softmax %y = softmax(%x) along 1 : {x} -> {x}\n"
                f"  return\n}}\n")
    y = f"memref<{m}x1xf32>"
    kind = "sum" if w["op"] == "rowsum" else "max"
    return (f"func.func @{fn}(%x: {x}, %y: {y}) {{\n"
            f"  spec.reduce %y = {kind}(%x) along 1 : {x} -> {y}\n  return\n}}\n")


def mlir_source(w):
    m, n, fn = w["m"], w["n"], symbol(w["name"])
    x = f"memref<{m}x{n}xf32>"
    ident = "affine_map<(i, j) -> (i, j)>"
    par = '["parallel", "parallel"]'
    if w["op"] == "bias_relu":
        b = f"memref<{n}xf32>"
        return (f"func.func @{fn}(%x: {x}, %b: {b}, %y: {x}) {{\n"
                f"  %z = arith.constant 0.0 : f32\n"
                f"  linalg.generic {{indexing_maps = [{ident}, affine_map<(i, j) -> (j)>, {ident}], iterator_types = {par}}}\n"
                f"      ins(%x, %b : {x}, {b}) outs(%y : {x}) {{\n"
                f"  ^bb0(%a: f32, %c: f32, %o: f32):\n"
                f"    %s = arith.addf %a, %c : f32\n"
                f"    %r = arith.maximumf %s, %z : f32\n"
                f"    linalg.yield %r : f32\n  }}\n  return\n}}\n")
    if w["op"] in ("gelu", "exp"):
        body = ("    %r = math.exp %a : f32\n" if w["op"] == "exp" else
                "    %h = arith.constant 0.5 : f32\n    %one = arith.constant 1.0 : f32\n"
                "    %s = arith.constant 0.70710678 : f32\n    %u = arith.mulf %a, %s : f32\n"
                "    %e = math.erf %u : f32\n    %p = arith.addf %e, %one : f32\n"
                "    %q = arith.mulf %a, %h : f32\n    %r = arith.mulf %q, %p : f32\n")
        return (f"func.func @{fn}(%x: {x}, %y: {x}) {{\n"
                f"  linalg.generic {{indexing_maps = [{ident}, {ident}], iterator_types = {par}}}\n"
                f"      ins(%x : {x}) outs(%y : {x}) {{\n"
                f"  ^bb0(%a: f32, %o: f32):\n{body}    linalg.yield %r : f32\n  }}\n  return\n}}\n")
    if w["op"] == "softmax":
        # linalg.softmax on memrefs has no upstream lowering: its
        # decomposition as linalg ops (row max, exp of the difference, row
        # sum, divide).
        r = f"memref<{m}xf32>"
        row = "affine_map<(i, j) -> (i)>"
        return (f"func.func @{fn}(%x: {x}, %y: {x}) {{\n"
                f"  %ninf = arith.constant 0xFF800000 : f32\n"
                f"  %zero = arith.constant 0.0 : f32\n"
                f"  %mx = memref.alloc() : {r}\n  %sm = memref.alloc() : {r}\n"
                f"  linalg.fill ins(%ninf : f32) outs(%mx : {r})\n"
                f"  linalg.reduce ins(%x : {x}) outs(%mx : {r}) dimensions = [1]\n"
                f"    (%a: f32, %acc: f32) {{\n"
                f"      %t = arith.maximumf %acc, %a : f32\n      linalg.yield %t : f32\n    }}\n"
                f"  linalg.generic {{indexing_maps = [{ident}, {row}, {ident}], iterator_types = {par}}}\n"
                f"      ins(%x, %mx : {x}, {r}) outs(%y : {x}) {{\n"
                f"  ^bb0(%a: f32, %m: f32, %o: f32):\n"
                f"    %d = arith.subf %a, %m : f32\n    %e = math.exp %d : f32\n"
                f"    linalg.yield %e : f32\n  }}\n"
                f"  linalg.fill ins(%zero : f32) outs(%sm : {r})\n"
                f"  linalg.reduce ins(%y : {x}) outs(%sm : {r}) dimensions = [1]\n"
                f"    (%a: f32, %acc: f32) {{\n"
                f"      %t = arith.addf %acc, %a : f32\n      linalg.yield %t : f32\n    }}\n"
                f"  linalg.generic {{indexing_maps = [{row}, {ident}], iterator_types = {par}}}\n"
                f"      ins(%sm : {r}) outs(%y : {x}) {{\n"
                f"  ^bb0(%s: f32, %o: f32):\n"
                f"    %q = arith.divf %o, %s : f32\n    linalg.yield %q : f32\n  }}\n"
                f"  memref.dealloc %mx : {r}\n  memref.dealloc %sm : {r}\n"
                f"  return\n}}\n")
    y = f"memref<{m}xf32>"
    init, op = (("0.0", "arith.addf") if w["op"] == "rowsum" else
                ("0xFF800000", "arith.maximumf"))
    return (f"func.func @{fn}(%x: {x}, %y: {y}) {{\n"
            f"  %i = arith.constant {init} : f32\n"
            f"  linalg.fill ins(%i : f32) outs(%y : {y})\n"
            f"  linalg.reduce ins(%x : {x}) outs(%y : {y}) dimensions = [1]\n"
            f"    (%a: f32, %acc: f32) {{\n"
            f"      %r = {op} %acc, %a : f32\n      linalg.yield %r : f32\n    }}\n"
            f"  return\n}}\n")


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode:
        sys.stderr.write(f"gen.py: {' '.join(cmd)} failed:\n{r.stderr}")
    return r


def main():
    p = argparse.ArgumentParser()
    p.add_argument("kind", choices=["tessel", "mlir"])
    p.add_argument("--workloads", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--tessel", default="tessel")
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    objs, entries = [], []
    for w in read(a.workloads):
        base = os.path.join(a.out, f"{a.kind}-{w['name']}")
        src = (tessel_source if a.kind == "tessel" else mlir_source)(w)
        open(base + ".mlir", "w").write(src)
        if a.kind == "tessel":
            r = run([a.tessel, "compile", base + ".mlir", "-o", base + ".o",
                     "--header", base + ".h", f"--threads={a.threads}"])
        else:
            r = run(["mlir-opt-22", base + ".mlir", f"--pass-pipeline={MLIR_PIPELINE}",
                     "-o", base + ".ll.mlir"])
            if not r.returncode:
                r = run(["mlir-translate-22", "--mlir-to-llvmir", base + ".ll.mlir",
                         "-o", base + ".ll"])
            if not r.returncode:
                r = run(["clang-22", "-O3", "-march=native", "-c", base + ".ll",
                         "-o", base + ".o", "-Wno-override-module"])
        if r.returncode:
            continue
        objs.append(base + ".o")
        entries.append((w, symbol(w["name"])))
    with open(os.path.join(a.out, "registry.c"), "w") as f:
        f.write("typedef struct { const char *name; void (*unary)(const float *, float *);\n"
                "  void (*binary)(const float *, const float *, float *); } Entry;\n")
        for w, s in entries:
            if w["op"] == "bias_relu":
                f.write(f"void {s}(const float *, const float *, float *);\n")
            else:
                f.write(f"void {s}(const float *, float *);\n")
        label = "tessel" if a.kind == "tessel" else "mlir"
        f.write(f'const char kernelLibrary[] = "{label}";\n')
        f.write("const Entry kernelRegistry[] = {\n")
        for w, s in entries:
            if w["op"] == "bias_relu":
                f.write(f'  {{"{w["name"]}", 0, {s}}},\n')
            else:
                f.write(f'  {{"{w["name"]}", {s}, 0}},\n')
        f.write("  {0, 0, 0}};\n")
    print(" ".join(objs))


if __name__ == "__main__":
    main()
