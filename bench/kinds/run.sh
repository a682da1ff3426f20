#!/bin/bash
# Benchmark of the elementwise and reduction kinds: Tessel against oneDNN
# (binary add with a ReLU post-op, eltwise gelu_erf and exp, reduction
# sum/max, softmax), Eigen and upstream MLIR's lowering of the same linalg, all
# measured in one run, every result checked against a double-precision
# reference; also memcpy on the same bytes, this machine's bandwidth.
#
#   bench/kinds/run.sh [--threads 1|2|both] [--rounds N] [--only W1,W2,...]
#                      [--out DIR] [--tessel BIN] [--no-install]
#
# Writes DIR/results.csv and DIR/results.md (default DIR: bench/kinds/out).
# Workloads: bench/kinds/workloads.txt. Never part of the test suite.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
threads=both
rounds=3
only=""
out="$here/out"
tessel="$root/build/bin/tessel"
install=1
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=${2:?}; shift ;;
    --rounds) rounds=${2:?}; shift ;;
    --only) only=${2:?}; shift ;;
    --out) out=${2:?}; shift ;;
    --tessel) tessel=${2:?}; shift ;;
    --no-install) install=0 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$threads" in
  1) thread_list="1" ;; 2) thread_list="2" ;; both) thread_list="1 2" ;;
  *) echo "run.sh: --threads takes 1, 2 or both" >&2; exit 2 ;;
esac
case "$rounds" in ''|*[!0-9]*|0) echo "run.sh: --rounds takes a positive count" >&2; exit 2 ;; esac
say() { echo "== $*" >&2; }

packages="clang-22 mlir-22-tools libomp-22-dev libdnnl-dev libeigen3-dev"
missing=""
for p in $packages; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  [ "$install" = 1 ] || { echo "run.sh: missing packages:$missing" >&2; exit 1; }
  say "installing:$missing"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi
[ -x "$tessel" ] || { echo "run.sh: $tessel not found (build Tessel first)" >&2; exit 1; }

bld="$out/build"
mkdir -p "$bld"
CXX="clang++-22 -std=c++17 -O3 -march=native -DNDEBUG -Wall"
say "building the harnesses"
$CXX -DBACKEND_ONEDNN "$here/harness.cpp" -ldnnl -o "$bld/bench_onednn"
$CXX -DBACKEND_EIGEN -I/usr/include/eigen3 "$here/harness.cpp" -o "$bld/bench_eigen"
kernels() {  # kind threads dir binary [link flags]
  local objs
  objs=$(/usr/bin/python3 "$here/gen.py" "$1" --workloads "$here/workloads.txt" \
           --out "$3" --tessel "$tessel" --threads "$2")
  clang-22 -O2 -c "$3/registry.c" -o "$3/registry.o"
  # shellcheck disable=SC2086
  $CXX -DBACKEND_KERNELS "$here/harness.cpp" "$3/registry.o" $objs ${5:-} -lm -o "$4"
}
say "upstream MLIR kernels"
kernels mlir 1 "$bld/mlir" "$bld/bench_mlir"
for t in $thread_list; do
  say "Tessel kernels for $t thread(s)"
  kernels tessel "$t" "$bld/tessel-t$t" "$bld/bench_tessel_t$t" "-fopenmp=libomp"
done

csv="$out/results.csv"
echo "workload,library,threads,status,best_ms,gbps,max_rel_err,note" > "$csv"
args=(--workloads "$here/workloads.txt")
[ -n "$only" ] && args+=(--only "$only")
for t in $thread_list; do
  if [ "$t" = 1 ]; then cpus=1; else cpus=0,1; fi
  bins="$bld/bench_tessel_t$t $bld/bench_onednn $bld/bench_eigen"
  [ "$t" = 1 ] && bins="$bins $bld/bench_mlir" # serial code
  for _ in $(seq "$rounds"); do
    for bin in $bins; do
      say "threads $t: $(basename "$bin")"
      env OMP_NUM_THREADS=$t DNNL_NUM_THREADS=$t taskset -c $cpus \
        "$bin" "${args[@]}" --threads "$t" >> "$csv" ||
        echo "run.sh: $(basename "$bin") failed at $t thread(s)" >&2
    done
  done
done
/usr/bin/python3 "$here/report.py" "$csv" > "$out/results.md"
cat "$out/results.md"
