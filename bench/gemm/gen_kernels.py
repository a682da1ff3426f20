#!/usr/bin/env python3
"""Generate and compile one kernel per workload for the GEMM benchmark.

  gen_kernels.py mlir   --workloads F --out DIR
  gen_kernels.py tessel --workloads F --out DIR --tessel BIN --threads N

"mlir" is upstream MLIR's plain lowering: linalg.fill + linalg.matmul on
memrefs, convert-linalg-to-loops and the standard conversions to the llvm
dialect (bare-pointer calling convention), mlir-translate-22, clang-22 -O3
-march=native. "tessel" writes the same product as spec.matmul and calls
`tessel compile`, whose header declares `void f(const T *a, const T *b,
float *c)`. "tessel-dynamic" compiles a zero linalg.fill of C and a
linalg.matmul on memref<?x?xf32> (sizes known at run time only) with
tessel-opt --tessel-import-linalg --tessel-to-llvm, and calls it from a C
wrapper per f32 workload with B stored k x n that passes memref
descriptors.

Writes DIR/<kind>-<workload>.mlir and .o, DIR/registry.c (workload ->
function, or the reason there is none) and prints the objects to link, one a
line. A workload that fails to compile is reported, not fatal.
"""
import argparse
import os
import re
import subprocess
import sys

PIPELINE = ("builtin.module(func.func(convert-linalg-to-loops),convert-scf-to-cf,"
            "expand-strided-metadata,lower-affine,finalize-memref-to-llvm,"
            "convert-arith-to-llvm,convert-cf-to-llvm,"
            "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
            "reconcile-unrealized-casts)")


def read_workloads(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if not line:
                continue
            name, dtype, m, k, n, layout = line
            out.append(dict(name=name, dtype=dtype, m=int(m), k=int(k), n=int(n), layout=layout))
    return out


def types(w):
    dt = w["dtype"]
    a = f"memref<{w['m']}x{w['k']}x{dt}>"
    if w["layout"] == "nk":  # logical K x N, stored N x K
        b = f"memref<{w['k']}x{w['n']}x{dt}, strided<[1, {w['k']}]>>"
    else:
        b = f"memref<{w['k']}x{w['n']}x{dt}>"
    c = f"memref<{w['m']}x{w['n']}xf32>"
    return a, b, c


def symbol(prefix, w):
    return prefix + "_" + re.sub(r"[^A-Za-z0-9_]", "_", w["name"])


def mlir_source(fn, w):
    a, b, c = types(w)
    return (f"// {w['name']}: upstream MLIR's plain lowering of linalg.matmul\n"
            f"func.func @{fn}(%a: {a}, %b: {b}, %c: {c}) {{\n"
            f"  %zero = arith.constant 0.0 : f32\n"
            f"  linalg.fill ins(%zero : f32) outs(%c : {c})\n"
            f"  linalg.matmul ins(%a, %b : {a}, {b}) outs(%c : {c})\n"
            f"  return\n}}\n")


def tessel_source(fn, w):
    a, b, c = types(w)
    return (f"// {w['name']}: C = A * B for the Tessel column of bench/gemm\n"
            f"func.func @{fn}(%a: {a}, %b: {b}, %c: {c}) {{\n"
            f"  spec.matmul %c = %a * %b : {a} * {b} -> {c}\n"
            f"  return\n}}\n")


DYNAMIC_FN = "tessel_dynamic_matmul"
DYNAMIC_SOURCE = f"""// C = A * B for sizes known at run time only (bench/gemm): a zero fill
// and an accumulating product, as frontends write it
func.func @{DYNAMIC_FN}(%a: memref<?x?xf32>, %b: memref<?x?xf32>,
                        %c: memref<?x?xf32>) attributes {{llvm.emit_c_interface}} {{
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<?x?xf32>)
  linalg.matmul ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>)
                outs(%c : memref<?x?xf32>)
  return
}}
"""


def dynamic_wrapper(fn, w):
    """C: call the dynamic kernel on descriptors of A, B, C."""
    m, k, n = w["m"], w["k"], w["n"]
    return (f"static void {fn}(const void *a, const void *b, void *c) {{\n"
            f"  struct gb_memref A = {{(float *)a, (float *)a, 0, {{{m}, {k}}}, {{{k}, 1}}}};\n"
            f"  struct gb_memref B = {{(float *)b, (float *)b, 0, {{{k}, {n}}}, {{{n}, 1}}}};\n"
            f"  struct gb_memref C = {{(float *)c, (float *)c, 0, {{{m}, {n}}}, {{{n}, 1}}}};\n"
            f"  _mlir_ciface_{DYNAMIC_FN}(&A, &B, &C);\n}}\n")


def compile_dynamic(args):
    """The dynamic kernel's object, or (None, reason)."""
    base = os.path.join(args.out, "tessel-dynamic")
    src, obj = base + ".mlir", base + ".o"
    fresh = (os.path.exists(obj) and os.path.exists(src) and open(src).read() == DYNAMIC_SOURCE
             and os.path.getmtime(obj) >= os.path.getmtime(args.tessel_opt))
    if fresh:
        return obj, None
    with open(src, "w") as f:
        f.write(DYNAMIC_SOURCE)
    print("tessel-dynamic: compiling", file=sys.stderr, flush=True)
    llmlir, ll = base + ".llvm.mlir", base + ".ll"
    ok, msg = run([args.tessel_opt, src, "--tessel-import-linalg",
                   f"--tessel-to-llvm=target=host threads={args.threads}", "-o", llmlir], args.timeout)
    if ok:
        ok, msg = run([args.mlir_translate, "--mlir-to-llvmir", llmlir, "-o", ll], args.timeout)
    if ok:
        ok, msg = run([args.clang, "-O3", "-march=native", "-Wno-override-module", "-c", ll, "-o", obj],
                      args.timeout)
    if not ok:
        with open(base + ".log", "w") as f:
            f.write(msg + "\n")
        return None, f"tessel-dynamic compile failed: {first_line(msg)}"
    return obj, None


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, f"timed out after {timeout} s"
    except OSError as e:
        return False, str(e)
    return p.returncode == 0, p.stdout.strip()


def first_line(text):
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return "failed without a message"


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_header(header, fn, w, clang, workdir):
    """The header must declare fn(const T *, const T *, float *)."""
    t = "float" if w["dtype"] == "f32" else "uint16_t"
    probe = os.path.join(workdir, fn + ".probe.c")
    with open(probe, "w") as f:
        f.write(f'#include <stdint.h>\n#include "{os.path.abspath(header)}"\n'
                f"void probe(const {t} *a, const {t} *b, float *c) {{ {fn}(a, b, c); }}\n")
    ok, msg = run([clang, "-fsyntax-only", "-Werror", probe], 60)
    return ok, msg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["mlir", "tessel", "tessel-dynamic"])
    ap.add_argument("--workloads", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", default="")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--tessel", default="build/bin/tessel")
    ap.add_argument("--tessel-opt", default="build/bin/tessel-opt")
    ap.add_argument("--mlir-opt", default="mlir-opt-22")
    ap.add_argument("--mlir-translate", default="mlir-translate-22")
    ap.add_argument("--clang", default="clang-22")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per compile")
    args = ap.parse_args()

    os.makedirs(args.out, exist_ok=True)
    only = set(filter(None, args.only.split(",")))
    entries, objects = [], []
    wrappers = []
    if args.kind == "tessel-dynamic":
        dynamic_obj, dynamic_why = compile_dynamic(args)
        if dynamic_obj:
            objects.append(dynamic_obj)
    for w in read_workloads(args.workloads):
        if only and w["name"] not in only:
            continue
        if args.kind == "tessel-dynamic":
            fn = symbol("tessel_dynamic", w)
            if w["dtype"] != "f32" or w["layout"] != "kn":
                entries.append((w["name"], None, "the dynamic kernel is f32 with B stored k x n"))
            elif not dynamic_obj:
                entries.append((w["name"], None, dynamic_why))
            else:
                wrappers.append(dynamic_wrapper(fn, w))
                entries.append((w["name"], fn, None))
            continue
        fn = symbol("mlir" if args.kind == "mlir" else "tessel", w)
        base = os.path.join(args.out, f"{args.kind}-{w['name']}")
        src, obj = base + ".mlir", base + ".o"
        text = mlir_source(fn, w) if args.kind == "mlir" else tessel_source(fn, w)
        # Rebuild only when the source changed (or the compiler is newer).
        fresh = os.path.exists(obj) and os.path.exists(src) and open(src).read() == text
        if fresh and args.kind == "tessel":
            fresh = os.path.getmtime(obj) >= os.path.getmtime(args.tessel)
        if not fresh:
            with open(src, "w") as f:
                f.write(text)
            if os.path.exists(obj):
                os.remove(obj)
            print(f"{args.kind}: compiling {w['name']}", file=sys.stderr, flush=True)
            if args.kind == "mlir":
                llmlir, ll = base + ".llvm.mlir", base + ".ll"
                ok, msg = run([args.mlir_opt, src, f"--pass-pipeline={PIPELINE}", "-o", llmlir], args.timeout)
                if ok:
                    ok, msg = run([args.mlir_translate, "--mlir-to-llvmir", llmlir, "-o", ll], args.timeout)
                if ok:
                    ok, msg = run([args.clang, "-O3", "-march=native", "-Wno-override-module", "-c", ll, "-o", obj],
                                  args.timeout)
            else:
                header = base + ".h"
                ok, msg = run([args.tessel, "compile", src, "-o", obj, "--header", header, "--target=host",
                               f"--threads={args.threads}"], args.timeout)
                if ok and not os.path.exists(obj):
                    ok, msg = False, "tessel compile wrote no object"
                if ok:
                    hok, hmsg = check_header(header, fn, w, args.clang, args.out)
                    if not hok:
                        print(f"tessel: warning: {header} does not declare {fn}(const T *, const T *, float *) "
                              f"as the contract says: {first_line(hmsg)}", file=sys.stderr)
            if not ok:
                if os.path.exists(obj):
                    os.remove(obj)
                with open(base + ".log", "w") as f:
                    f.write(msg + "\n")
                reason = f"{args.kind} compile failed: {first_line(msg)}"
                print(f"{args.kind}: {w['name']}: {reason} (log: {base}.log)", file=sys.stderr)
                entries.append((w["name"], None, reason))
                continue
        if not os.path.exists(obj):  # an earlier failure with the same source
            log = base + ".log"
            reason = f"{args.kind} compile failed: " + (first_line(open(log).read()) if os.path.exists(log) else "")
            entries.append((w["name"], None, reason))
            continue
        entries.append((w["name"], fn, None))
        objects.append(obj)

    lib = {"mlir": "MLIR plain", "tessel": "Tessel", "tessel-dynamic": "Tessel dynamic"}[args.kind]
    if args.kind == "mlir":
        info = "linalg.matmul -> convert-linalg-to-loops -> llvm; mlir-translate-22; clang-22 -O3 -march=native"
        variant = "linalg-to-loops"
    elif args.kind == "tessel-dynamic":
        info = f"tessel-opt --tessel-import-linalg --tessel-to-llvm (memref<?x?xf32>), threads={args.threads}"
        variant = f"dynamic sizes --threads={args.threads}"
    else:
        info = f"tessel compile --target=host --threads={args.threads}"
        variant = f"compile --threads={args.threads}"
    with open(os.path.join(args.out, "registry.c"), "w") as f:
        f.write("/* generated by bench/gemm/gen_kernels.py */\n#include <stddef.h>\n")
        f.write("struct gb_kernel { const char *workload; void (*fn)(const void *, const void *, void *);"
                " const char *why; };\n")
        if args.kind == "tessel-dynamic":
            f.write("#include <stdint.h>\n#include <string.h>\n"
                    "struct gb_memref { float *allocated, *aligned; int64_t offset, sizes[2], strides[2]; };\n"
                    f"void _mlir_ciface_{DYNAMIC_FN}(struct gb_memref *, struct gb_memref *, "
                    "struct gb_memref *);\n")
            f.writelines(wrappers)
        else:
            for _, fn, _ in entries:
                if fn:
                    f.write(f"void {fn}(const void *, const void *, void *);\n")
        f.write("const struct gb_kernel gb_kernels[] = {\n")
        for name, fn, why in entries:
            f.write(f"  {{{c_string(name)}, {fn if fn else 'NULL'}, {c_string(why or '')}}},\n")
        f.write("  {NULL, NULL, NULL}\n};\n")
        f.write(f"const int gb_num_kernels = {len(entries)};\n")
        f.write(f"const char *const gb_library_name = {c_string(lib)};\n")
        f.write(f"const char *const gb_library_info = {c_string(info)};\n")
        f.write(f"const char *const gb_variant = {c_string(variant)};\n")
    for o in objects:
        print(o)


if __name__ == "__main__":
    main()
