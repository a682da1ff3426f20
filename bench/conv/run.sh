#!/bin/bash
# Convolution benchmark: Tessel against oneDNN, XNNPACK, im2col + OpenBLAS
# GEMM and upstream MLIR's lowering (all from Debian) on the ResNet-50
# layer set and MobileNet's depthwise layers (bench/conv/workloads.txt),
# one and two threads, pinned with taskset, best of several samples, every
# result checked against a double-precision reference.
#
#   bench/conv/run.sh [--threads 1|2|both] [--samples N] [--rounds N]
#                     [--out DIR] [--only NAME:DTYPE,...] [--tessel BIN]
#                     [--no-mlir] [--no-install]
#
# Columns: Tessel (spec.conv2d, NHWC image and output, HWCF filters as
# stored, zero padding stated in the spec); oneDNN given the same NHWC
# image and output (filters reordered once outside the timed region, as
# inference does), and oneDNN with every layout its own choice (the image
# reordered outside the timed region too); XNNPACK (f32; filters packed at
# creation); im2col + OpenBLAS sgemm (f32; the im2col inside the timed
# region, serial; not for depthwise); upstream MLIR's plain lowering of the
# linalg op (one thread, one sample; --no-mlir skips it).
# --rounds N (default 3) runs the libraries in turn N times and keeps each
# one's best: a slow spell of the machine then hits one round, not one
# library.
# Writes DIR/results.md, DIR/results.csv and DIR/results.png (DIR defaults
# to bench/conv/out). Never part of the test suite; see
# docs/benchmarking.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/../lib.sh"
threads=both
samples=7
rounds=3
out="$here/out"
only=""
tessel="$root/build/bin/tessel"
install=1
mlir=1
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=${2:?--threads needs 1, 2 or both}; shift ;;
    --samples) samples=${2:?}; shift ;;
    --rounds) rounds=${2:?}; shift ;;
    --out) out=${2:?}; shift ;;
    --only) only=${2:?}; shift ;;
    --tessel) tessel=${2:?}; shift ;;
    --no-install) install=0 ;;
    --no-mlir) mlir=0 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$threads" in
  1) thread_list="1" ;; 2) thread_list="2" ;; both) thread_list="1 2" ;;
  *) echo "run.sh: --threads takes 1, 2 or both" >&2; exit 2 ;;
esac
say() { echo "== $*" >&2; }

packages="clang-22 libomp-22-dev libdnnl-dev libxnnpack-dev libpthreadpool-dev libopenblas-dev mlir-22-tools python3-matplotlib bc"
missing=""
for p in $packages; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  [ "$install" = 1 ] || { echo "run.sh: missing packages:$missing" >&2; exit 1; }
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi
[ -x "$tessel" ] || { echo "run.sh: $tessel does not exist (build Tessel first)" >&2; exit 1; }

bld="$out/build"
mkdir -p "$bld"
CXX="clang++-22 -std=c++17 -O2 -march=native -Wall"
only_args=()
[ -n "$only" ] && IFS=, read -r -a only_args <<< "$only"

say "oneDNN, XNNPACK and OpenBLAS harnesses"
$CXX -DBENCH_ONEDNN "$here/harness.cpp" -ldnnl -o "$bld/bench_onednn"
$CXX -DBENCH_XNNPACK "$here/harness.cpp" -lXNNPACK -lpthreadpool -o "$bld/bench_xnnpack"
obl="/usr/lib/$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)/openblas-pthread"
$CXX -DBENCH_OPENBLAS -I/usr/include/$(basename "$(dirname "$obl")")/openblas-pthread "$here/harness.cpp" \
  -L"$obl" -lopenblas -Wl,-rpath,"$obl" -o "$bld/bench_openblas"

# The source of one workload's kernel `fn` for library $1: Tessel's one
# padded spec.conv2d, or the named linalg op upstream lowers (on a copy of
# the image into a zero-bordered buffer when padded; output zeroed first,
# as linalg convolutions accumulate).
kernel_source() { # lib fn
  local lib=$1 fn=$2 x k o format op
  x="memref<${n}x${h}x${w}x${c}x${dtype}>"; k="memref<${r}x${s}x${c}x${f}x${dtype}>"; o="memref<${n}x${oh}x${ow}x${f}xf32>"
  format=nhwc_hwcf; op=linalg.conv_2d_nhwc_hwcf
  if [ "$kind" = depthwise ]; then
    format=nhwc_hwc; op=linalg.depthwise_conv_2d_nhwc_hwc; k="memref<${r}x${s}x${c}x${dtype}>"
  fi
  echo "func.func @$fn(%x: $x, %w: $k, %o: $o) {"
  if [ "$lib" = tessel ]; then
    echo "  spec.conv2d %o = conv(%x, %w) {format = \"$format\", strides = array<i64: $stride, $stride>, padding = array<i64: $pad, $pad>} : $x, $k -> $o"
  else
    local img=%x it=$x
    echo "  %zf = arith.constant 0.0 : f32"
    if [ "$pad" != 0 ]; then
      # The rows and columns the windows reach, from the padding's first.
      local hp=$(((oh - 1) * stride + r)) wp=$(((ow - 1) * stride + s))
      local hc=$((h < hp - pad ? h : hp - pad)) wc=$((w < wp - pad ? w : wp - pad))
      it="memref<${n}x${hp}x${wp}x${c}x${dtype}>"
      echo "  %z = arith.constant 0.0 : $dtype"
      echo "  %p = memref.alloc() {alignment = 64} : $it"
      echo "  linalg.fill ins(%z : $dtype) outs(%p : $it)"
      echo "  %in = memref.subview %x[0, 0, 0, 0] [$n, $hc, $wc, $c] [1, 1, 1, 1] : $x to memref<${n}x${hc}x${wc}x${c}x${dtype}, strided<[$((h * w * c)), $((w * c)), $c, 1]>>"
      echo "  %at = memref.subview %p[0, $pad, $pad, 0] [$n, $hc, $wc, $c] [1, 1, 1, 1] : $it to memref<${n}x${hc}x${wc}x${c}x${dtype}, strided<[$((hp * wp * c)), $((wp * c)), $c, 1], offset: $(((pad * wp + pad) * c))>>"
      echo "  linalg.copy ins(%in : memref<${n}x${hc}x${wc}x${c}x${dtype}, strided<[$((h * w * c)), $((w * c)), $c, 1]>>) outs(%at : memref<${n}x${hc}x${wc}x${c}x${dtype}, strided<[$((hp * wp * c)), $((wp * c)), $c, 1], offset: $(((pad * wp + pad) * c))>>)"
      img=%p
    fi
    echo "  linalg.fill ins(%zf : f32) outs(%o : $o)"
    echo "  $op {dilations = dense<1> : tensor<2xi64>, strides = dense<$stride> : tensor<2xi64>} ins($img, %w : $it, $k) outs(%o : $o)"
    [ "$pad" != 0 ] && echo "  memref.dealloc %p : $it"
  fi
  echo "  return"
  echo "}"
}

# Upstream MLIR's plain lowering (as bench/gemm's), bare-pointer arguments.
MLIR_PIPELINE="builtin.module(func.func(convert-linalg-to-loops),convert-scf-to-cf,expand-strided-metadata,lower-affine,finalize-memref-to-llvm,convert-arith-to-llvm,convert-cf-to-llvm,convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},reconcile-unrealized-casts)"

# Compiles $3.mlir into $3.o for library $1 at $2 threads (log: $3.log).
compile_one() { # lib threads base
  if [ "$1" = tessel ]; then
    "$tessel" compile "$3.mlir" -o "$3.o" --threads="$2" --db="$out/memo-t$2.db" 2> "$3.log"
  else
    mlir-opt-22 "$3.mlir" --pass-pipeline="$MLIR_PIPELINE" -o "$3.ll.mlir" 2> "$3.log" &&
      mlir-translate-22 --mlir-to-llvmir "$3.ll.mlir" -o "$3.ll" 2>> "$3.log" &&
      clang-22 -O3 -march=native -Wno-override-module -c "$3.ll" -o "$3.o" 2>> "$3.log"
  fi
}

# Compiles every workload's kernel for library $1 (tessel or mlir) and $2
# threads into a harness binary $3 with a registry of them.
compile_kernels() { # lib threads binary
  local lib=$1 t=$2 bin=$3 dir="$bld/$1-t$2" objs=() entries="" i=0 fn start
  mkdir -p "$dir"
  say "$lib: compiling kernels for $t thread(s)"
  while read -r name dtype n h w c f r s stride pad kind; do
    case "$name" in ''|'#'*) continue ;; esac
    if [ ${#only_args[@]} -gt 0 ] && [[ ! " ${only_args[*]} " == *" $name:$dtype "* ]]; then continue; fi
    oh=$(((h + 2 * pad - r) / stride + 1)); ow=$(((w + 2 * pad - s) / stride + 1))
    fn="${lib}_conv_$i"; i=$((i + 1))
    kernel_source "$lib" "$fn" > "$dir/$fn.mlir"
    start=$(date +%s.%N)
    if compile_one "$lib" "$t" "$dir/$fn"; then
      echo "  $name $dtype: compiled in $(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)") s" >&2
      entries="$entries  {\"$name\", \"$dtype\", (ConvFn)$fn},\n"
      objs+=("$dir/$fn.o")
    else
      echo "  $name $dtype: $lib compile failed (see $dir/$fn.log)" >&2
    fi
  done < "$here/workloads.txt"
  {
    echo "typedef void (*ConvFn)(const void *, const void *, float *);"
    echo "struct Kernel { const char *name, *dtype; ConvFn fn; };"
    for o in "${objs[@]}"; do echo "void $(basename "$o" .o)(const void *, const void *, float *);"; done
    echo "const struct Kernel kernels[] = {"
    printf "%b" "$entries"
    echo "  {0, 0, 0}};"
    echo "const int kernel_count = ${#objs[@]};"
  } > "$dir/registry.c"
  clang-22 -O2 -c "$dir/registry.c" -o "$dir/registry.o"
  $CXX -DBENCH_KERNELS="\"$lib\"" "$here/harness.cpp" "$dir/registry.o" "${objs[@]}" -fopenmp=libomp -o "$bin"
}
for t in $thread_list; do compile_kernels tessel "$t" "$bld/bench_tessel_t$t"; done
# (Upstream's loops run on one thread only.)
if [ "$mlir" = 1 ] && [[ " $thread_list " == *" 1 "* ]]; then compile_kernels mlir 1 "$bld/bench_mlir"; fi

# A generic OpenBLAS core named after the closest one it has (bench/lib.sh).
openblas_fix_coretype "$("$bld/bench_openblas" --info)" >&2

csv="$out/results.csv"
echo "workload,dtype,threads,library,status,gflops,best_ms,max_rel_err,tolerance,note" > "$csv"
for round in $(seq "$rounds"); do
  for t in $thread_list; do
    cpus=$(seq -s, 0 $((t - 1)))
    say "round $round: measuring on $t thread(s) (taskset -c $cpus)"
    OMP_NUM_THREADS=$t taskset -c "$cpus" "$bld/bench_tessel_t$t" "$here/workloads.txt" "$t" "$samples" ${only_args[@]+"${only_args[@]}"} >> "$csv"
    for lib in onednn xnnpack openblas; do
      OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t taskset -c "$cpus" "$bld/bench_$lib" "$here/workloads.txt" "$t" "$samples" ${only_args[@]+"${only_args[@]}"} >> "$csv"
    done
    # Upstream's loops are serial: one thread, one sample (seconds each).
    if [ "$t" = 1 ] && [ "$mlir" = 1 ]; then
      taskset -c 0 "$bld/bench_mlir" "$here/workloads.txt" 1 1 ${only_args[@]+"${only_args[@]}"} >> "$csv"
    fi
  done
done
/usr/bin/python3 "$here/report.py" "$csv" --png "$out/results.png" > "$out/results.md"
cat "$out/results.md"
say "wrote $out/results.md, $out/results.csv, $out/results.png"
