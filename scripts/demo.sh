#!/usr/bin/env bash
# Installs what is missing, builds, and runs Tessel's main job: synthesize a
# 512^3 f32 matmul for this machine, run it, verify it against the reference
# interpreter, and time it beside OpenBLAS in the same run (one core,
# pinned). Then shows the program the search chose.
set -euo pipefail
source "$(dirname "$0")/setup.sh" "$@"
tessel_build tessel-opt tessel TesselPython

tessel="$TESSEL_BUILD_DIR/bin/tessel"
example="$TESSEL_ROOT/examples/gemm512.mlir"
cpu=$(( $(nproc) > 1 ? 1 : 0 ))

echo "== tessel run: synthesize, compile, run on random inputs, check against the reference"
"$tessel" run "$example" --threads=1

# Debian's OpenBLAS 0.3.21 does not recognise recent Xeons and falls back to
# SSE3 kernels; on AVX-512 machines name its AVX-512 kernels unless told.
if [ -z "${OPENBLAS_CORETYPE:-}" ] && grep -qw avx512f /proc/cpuinfo; then
  export OPENBLAS_CORETYPE=SkylakeX
fi

echo
echo "== tessel bench: one core (CPU $cpu), best of 5, beside OpenBLAS (1 thread${OPENBLAS_CORETYPE:+, OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE})"
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \
  "$tessel" bench "$example" --threads=1 --pin="$cpu" --peer=openblas

echo
echo "== tessel explain: the program the search chose (top levels and kernels)"
"$tessel" explain "$example" --threads=1 |
  grep -E '^(spec|Matmul)|^  =>|^      Matmul|kernel' | uniq | head -20
