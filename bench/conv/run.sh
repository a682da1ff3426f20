#!/bin/bash
# Convolution benchmark: Tessel against oneDNN (Debian's libdnnl-dev) on the
# ResNet-50 layer set (bench/conv/workloads.txt), one and two threads,
# pinned with taskset, best of several samples, every result checked
# against a double-precision reference.
#
#   bench/conv/run.sh [--threads 1|2|both] [--samples N] [--rounds N]
#                     [--out DIR] [--only NAME:DTYPE,...] [--tessel BIN]
#                     [--no-install]
#
# Columns: Tessel (spec.conv2d, NHWC image and output, HWCF filters as
# stored, zero padding stated in the spec), oneDNN given the same NHWC image and output (filters reordered
# once outside the timed region, as inference does), and oneDNN with every
# layout its own choice (the image reordered outside the timed region too).
# --rounds N (default 3) runs the libraries in turn N times and keeps each
# one's best: a slow spell of the machine then hits one round, not one
# library.
# Writes DIR/results.md and DIR/results.csv (DIR defaults to
# bench/conv/out). Never part of the test suite; see docs/benchmarking.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
threads=both
samples=7
rounds=3
out="$here/out"
only=""
tessel="$root/build/bin/tessel"
install=1
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=${2:?--threads needs 1, 2 or both}; shift ;;
    --samples) samples=${2:?}; shift ;;
    --rounds) rounds=${2:?}; shift ;;
    --out) out=${2:?}; shift ;;
    --only) only=${2:?}; shift ;;
    --tessel) tessel=${2:?}; shift ;;
    --no-install) install=0 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$threads" in
  1) thread_list="1" ;; 2) thread_list="2" ;; both) thread_list="1 2" ;;
  *) echo "run.sh: --threads takes 1, 2 or both" >&2; exit 2 ;;
esac
say() { echo "== $*" >&2; }

packages="clang-22 libomp-22-dev libdnnl-dev"
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

say "oneDNN harness"
$CXX -DBENCH_ONEDNN "$here/harness.cpp" -ldnnl -o "$bld/bench_onednn"

# Tessel: one padded spec.conv2d per workload, compiled by
# `tessel compile` for each thread count, and a registry of them.
for t in $thread_list; do
  dir="$bld/tessel-t$t"
  mkdir -p "$dir"
  say "Tessel: compiling kernels for $t thread(s)"
  objs=()
  registry="$dir/registry.c"
  {
    echo "typedef void (*ConvFn)(const void *, const void *, float *);"
    echo "struct TesselKernel { const char *name, *dtype; ConvFn fn; };"
  } > "$registry"
  entries=""
  i=0
  while read -r name dtype n h w c f r s stride pad kind; do
    case "$name" in ''|'#'*) continue ;; esac
    if [ ${#only_args[@]} -gt 0 ] && [[ ! " ${only_args[*]} " == *" $name:$dtype "* ]]; then continue; fi
    oh=$(((h + 2 * pad - r) / stride + 1)); ow=$(((w + 2 * pad - s) / stride + 1))
    fn="conv_$i"
    x="memref<${n}x${h}x${w}x${c}x${dtype}>"; k="memref<${r}x${s}x${c}x${f}x${dtype}>"; o="memref<${n}x${oh}x${ow}x${f}xf32>"
    format=nhwc_hwcf
    if [ "$kind" = depthwise ]; then format=nhwc_hwc; k="memref<${r}x${s}x${c}x${dtype}>"; fi
    cat > "$dir/$fn.mlir" <<MLIR
func.func @$fn(%x: $x, %w: $k, %o: $o) {
  spec.conv2d %o = conv(%x, %w) {format = "$format", strides = array<i64: $stride, $stride>, padding = array<i64: $pad, $pad>} : $x, $k -> $o
  return
}
MLIR
    start=$(date +%s.%N)
    if "$tessel" compile "$dir/$fn.mlir" -o "$dir/$fn.o" --threads="$t" --db="$out/memo-t$t.db" 2> "$dir/$fn.log"; then
      echo "  $name $dtype: compiled in $(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)") s" >&2
      echo "void $fn(const void *, const void *, float *);" >> "$registry"
      entries="$entries  {\"$name\", \"$dtype\", (ConvFn)$fn},\n"
      objs+=("$dir/$fn.o")
    else
      echo "  $name $dtype: tessel compile failed (see $dir/$fn.log)" >&2
    fi
    i=$((i + 1))
  done < "$here/workloads.txt"
  {
    echo "const struct TesselKernel tessel_kernels[] = {"
    printf "%b" "$entries"
    echo "  {0, 0, 0}};"
    echo "const int tessel_kernel_count = ${#objs[@]};"
  } >> "$registry"
  clang-22 -O2 -c "$registry" -o "$dir/registry.o"
  $CXX -DBENCH_TESSEL "$here/harness.cpp" "$dir/registry.o" "${objs[@]}" -fopenmp=libomp -o "$bld/bench_tessel_t$t"
done

csv="$out/results.csv"
echo "workload,dtype,threads,library,status,gflops,best_ms,max_rel_err,tolerance,note" > "$csv"
for round in $(seq "$rounds"); do
  for t in $thread_list; do
    cpus=$(seq -s, 0 $((t - 1)))
    say "round $round: measuring on $t thread(s) (taskset -c $cpus)"
    OMP_NUM_THREADS=$t taskset -c "$cpus" "$bld/bench_tessel_t$t" "$here/workloads.txt" "$t" "$samples" ${only_args[@]+"${only_args[@]}"} >> "$csv"
    OMP_NUM_THREADS=$t taskset -c "$cpus" "$bld/bench_onednn" "$here/workloads.txt" "$t" "$samples" ${only_args[@]+"${only_args[@]}"} >> "$csv"
  done
done
/usr/bin/python3 "$here/report.py" "$csv" > "$out/results.md"
cat "$out/results.md"
