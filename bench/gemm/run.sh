#!/bin/bash
# GEMM benchmark: Tessel against OpenBLAS, BLIS, oneDNN, Eigen (Debian's
# packages) and upstream MLIR's plain lowering of linalg.matmul, all measured
# in one run, every result checked against a double-precision reference.
#
#   bench/gemm/run.sh [--quick] [--threads 1|2|both] [--out DIR]
#                     [--only W1,W2,...] [--libs L1,L2,...] [--tessel BIN]
#                     [--rounds N] [--no-install]
#
# Writes DIR/results.md (tables), DIR/results.csv (one row per measurement)
# and DIR/results.png (plot); DIR defaults to bench/gemm/out. Workloads are
# listed in bench/gemm/workloads.txt; --only picks some by name. --libs picks
# from: tessel,tessel-dynamic,openblas,blis,onednn,eigen,mlir (tessel-dynamic:
# the same product on memref<?x?xf32>, sizes known at run time only). --rounds N measures every
# library N times per workload, interleaved, and keeps each one's best (a
# burst of load from a neighbour then hits one round, not one library).
# Never part of the test suite.
# See docs/benchmarking.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
root=$(cd "$here/../.." && pwd)
quick=0
threads=both
out="$here/out"
only=""
libs="tessel,tessel-dynamic,openblas,blis,onednn,eigen,mlir"
tessel="$root/build/bin/tessel"
install=1
rounds=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --threads) threads=${2:?--threads needs 1, 2 or both}; shift ;;
    --out) out=${2:?--out needs a directory}; shift ;;
    --only) only=${2:?}; shift ;;
    --libs) libs=${2:?}; shift ;;
    --tessel) tessel=${2:?}; shift ;;
    --rounds) rounds=${2:?--rounds needs a count}; shift ;;
    --no-install) install=0 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$rounds" in
  ''|*[!0-9]*|0) echo "run.sh: --rounds takes a positive count" >&2; exit 2 ;;
esac
case "$threads" in
  1) thread_list="1" ;;
  2) thread_list="2" ;;
  both) thread_list="1 2" ;;
  *) echo "run.sh: --threads takes 1, 2 or both" >&2; exit 2 ;;
esac
want() { case ",$libs," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
say() { echo "== $*" >&2; }

# --- 1. Packages from Debian's archive ------------------------------------
packages="clang-22 mlir-22-tools libomp-22-dev libopenblas-dev libblis-dev libdnnl-dev libeigen3-dev python3-matplotlib"
missing=""
for p in $packages; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$install" = 0 ]; then
    echo "run.sh: missing packages:$missing (run without --no-install to install them)" >&2
    exit 1
  fi
  say "installing:$missing"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi

# --- 2. Harness binaries (one per library: OpenBLAS and BLIS both export
# cblas_*, oneDNN and BLIS bring libgomp, Tessel's objects libomp) ----------
mkdir -p "$out/build" "$out/cache"
bld="$out/build"
h="$here/harness"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
libdir=/usr/lib/$multiarch
CXX="clang++-22 -std=c++17 -O2 -march=native -Wall"
# Rebuild $1 when it is missing or older than any of the files after it.
stale() {
  local target=$1; shift
  [ -e "$target" ] || return 0
  local f
  for f in "$@"; do [ "$f" -nt "$target" ] && return 0; done
  return 1
}
build() {  # build TARGET "COMMAND" DEPS...
  local target=$1 cmd=$2; shift 2
  if stale "$target" "$@" "$here/run.sh"; then
    say "building $(basename "$target")"
    eval "$cmd"
  fi
}
build "$bld/driver.o" "$CXX -c $h/driver.cpp -o $bld/driver.o" "$h/driver.cpp" "$h/common.h"
obl="$libdir/openblas-pthread"
blis="$libdir/blis-openmp"
[ -d "$blis" ] || blis=$(dirname "$(readlink -f "$libdir/libblis.so")")
blis_inc="/usr/include/$multiarch/$(basename "$blis")"
want openblas && build "$bld/bench_openblas" \
  "$CXX -I/usr/include/$multiarch/openblas-pthread $h/openblas.cpp $bld/driver.o -L$obl -lopenblas -Wl,-rpath,$obl -o $bld/bench_openblas" \
  "$h/openblas.cpp" "$h/common.h" "$bld/driver.o"
want blis && build "$bld/bench_blis" \
  "$CXX -I$blis_inc $h/blis.cpp $bld/driver.o -L$blis -lblis -Wl,-rpath,$blis -o $bld/bench_blis" \
  "$h/blis.cpp" "$h/common.h" "$bld/driver.o"
want onednn && build "$bld/bench_onednn" \
  "$CXX $h/onednn.cpp $bld/driver.o -ldnnl -o $bld/bench_onednn" \
  "$h/onednn.cpp" "$h/common.h" "$bld/driver.o"
want eigen && build "$bld/bench_eigen" \
  "clang++-22 -std=c++17 -O3 -march=native -fopenmp=libomp -DNDEBUG -I/usr/include/eigen3 $h/eigen.cpp $bld/driver.o -o $bld/bench_eigen" \
  "$h/eigen.cpp" "$h/common.h" "$bld/driver.o"

# Compiled-kernel harnesses: gen_kernels.py writes one .mlir per workload,
# compiles it and a registry; we link them with the driver.
kernel_harness() {  # kind threads dir binary [extra link flags]
  local kind=$1 t=$2 dir=$3 bin=$4 extra=${5:-} objs
  objs=$(/usr/bin/python3 "$here/gen_kernels.py" "$kind" --workloads "$here/workloads.txt" --out "$dir" \
           --only "$only" --threads "$t" --tessel "$tessel" --tessel-opt "$(dirname "$tessel")/tessel-opt") || return 1
  clang-22 -O2 -Wall -c "$dir/registry.c" -o "$dir/registry.o" || return 1
  # shellcheck disable=SC2086
  $CXX "$h/kernels.cpp" "$bld/driver.o" "$dir/registry.o" $objs $extra -o "$bin"
}
if want mlir; then
  say "MLIR plain lowering: compiling kernels"
  kernel_harness mlir 1 "$bld/mlir" "$bld/bench_mlir" || { echo "run.sh: MLIR kernels failed" >&2; exit 1; }
fi

# Tessel: needs `tessel compile` (being built); skip its columns until then.
tessel_ok=0
tessel_why=""
if want tessel; then
  if [ ! -x "$tessel" ]; then
    tessel_why="tessel compile not available: $tessel does not exist (build Tessel first)"
  elif ! help=$("$tessel" compile --help 2>&1) || echo "$help" | grep -qi "unknown subcommand"; then
    tessel_why="tessel compile not available: $tessel has no 'compile' subcommand yet"
  else
    tessel_ok=1
  fi
  if [ $tessel_ok = 1 ]; then
    for t in $thread_list; do
      say "Tessel: compiling kernels for $t thread(s)"
      if ! kernel_harness tessel "$t" "$bld/tessel-t$t" "$bld/bench_tessel_t$t" "-fopenmp=libomp"; then
        tessel_ok=0
        tessel_why="tessel kernels for $t thread(s) did not link (see messages above)"
      fi
    done
  fi
  # The same product on memref<?x?xf32>: sizes known at run time only.
  if [ $tessel_ok = 1 ] && want tessel-dynamic; then
    for t in $thread_list; do
      say "Tessel (dynamic sizes): compiling the kernel for $t thread(s)"
      kernel_harness tessel-dynamic "$t" "$bld/tessel-dynamic-t$t" "$bld/bench_tessel_dynamic_t$t" "-fopenmp=libomp" \
        || echo "run.sh: the dynamic-size kernel for $t thread(s) did not link" >&2
    done
  fi
  [ $tessel_ok = 1 ] || echo "run.sh: $tessel_why: Tessel columns skipped" >&2
fi

# --- 3. Measure --------------------------------------------------------------
csv="$out/results.csv"
env_txt="$out/environment.txt"
echo "workload,dtype,M,K,N,b_layout,threads,library,variant,status,gflops,best_ms,median_ms,samples,reps,max_rel_err,tolerance,b_copies,note" > "$csv"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores; L3 $(cat /sys/devices/system/cpu/cpu0/cache/index3/size 2>/dev/null || echo ?))"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "mode: $([ $quick = 1 ] && echo quick || echo full), $rounds round(s)"
} > "$env_txt"
[ -n "$tessel_why" ] && echo "Tessel: $tessel_why" >> "$env_txt"
# Which description target=host used (a calibration of this CPU, or the
# shipped avx512/avx2): docs/targets.md.
if [ $tessel_ok = 1 ] && "$tessel" calibrate --help >/dev/null 2>&1; then
  echo "Tessel target=host: $("$tessel" calibrate --show | head -1 | sed 's/^# target=host on //')" >> "$env_txt"
fi

# A generic OpenBLAS core named after the closest one it has (bench/lib.sh).
if want openblas; then
  core=$("$bld/bench_openblas" --info | sed -n 's/.*; core \([A-Za-z0-9_]*\);.*/\1/p')
  openblas_fix_coretype "$core" >> "$env_txt"
fi

# Share of all cores that other processes kept busy over the last half second,
# measured while we are idle (a shared machine: a compile next door shows).
host_busy() {
  local a b
  a=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  sleep 0.5
  b=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat)
  echo "$a $b" | awk '{d = $4 - $2; printf "%d", (d > 0) ? 100 * ($3 - $1) / d : 0}'
}

common=(--workloads "$here/workloads.txt" --cache "$out/cache")
[ $quick = 1 ] && common+=(--quick)
# Workloads in file order, filtered by --only. Each workload is measured by
# every library back to back, so a ratio compares numbers taken minutes apart
# at most, even on a machine whose load changes.
workloads=$(awk '!/^[[:space:]]*(#|$)/ {print $1}' "$here/workloads.txt")
if [ -n "$only" ]; then
  workloads=$(for w in $workloads; do case ",$only," in *",$w,"*) echo "$w" ;; esac; done)
fi
for t in $thread_list; do
  if [ "$t" = 1 ]; then cpus=1; else cpus=0,1; fi
  runenv=(env OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t BLIS_NUM_THREADS=$t taskset -c $cpus)
  bins=""
  [ $tessel_ok = 1 ] && bins="$bins $bld/bench_tessel_t$t"
  [ $tessel_ok = 1 ] && want tessel-dynamic && [ -x "$bld/bench_tessel_dynamic_t$t" ] \
    && bins="$bins $bld/bench_tessel_dynamic_t$t"
  for lib in openblas blis onednn eigen; do want $lib && bins="$bins $bld/bench_$lib"; done
  # The plain lowering is serial code: measured at 1 thread only.
  [ "$t" = 1 ] && want mlir && bins="$bins $bld/bench_mlir"
  for bin in $bins; do
    info=$("${runenv[@]}" "$bin" --info)
    echo "threads $t, $(basename "$bin"): $info" >> "$env_txt"
  done
  for w in $workloads; do
    busy=$(host_busy)
    echo "threads $t, $w: host busy before start: $busy%" >> "$env_txt"
    say "threads $t: $w (other processes kept $busy% of the cores busy)"
    for _ in $(seq "$rounds"); do
      for bin in $bins; do
        if ! "${runenv[@]}" "$bin" "${common[@]}" --only "$w" --threads "$t" >> "$csv"; then
          echo "run.sh: $(basename "$bin") failed on $w at $t thread(s)" >&2
          echo "threads $t, $w, $(basename "$bin"): FAILED (see the log)" >> "$env_txt"
        fi
      done
    done
  done
done

# --- 4. Report ---------------------------------------------------------------
/usr/bin/python3 "$here/report.py" --csv "$csv" --env "$env_txt" --md "$out/results.md" --png "$out/results.png"
say "wrote $out/results.md, $out/results.csv, $out/results.png"
