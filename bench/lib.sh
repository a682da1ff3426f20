# Shell helpers the benchmarks share (sourced by bench/*/run.sh).

# OpenBLAS 0.3.21 falls back to its generic Prescott (SSE3) kernels on CPUs
# it does not know (e.g. Emerald Rapids). Given the core name OpenBLAS
# reports, exports OPENBLAS_CORETYPE as the closest core it has (unless the
# caller chose one) and prints a line saying so; prints nothing otherwise.
openblas_fix_coretype() { # core
  [ -n "${OPENBLAS_CORETYPE:-}" ] && return 0
  case "$1" in
    Prescott|Core2|Nehalem|Katmai|Coppermine|Northwood|Banias|Atom|Dunnington)
      if grep -q avx512_bf16 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Cooperlake
      elif grep -q avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
      elif grep -q avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell; fi
      echo "OpenBLAS: detected core '$1' (generic fallback); set OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-} for this run" ;;
  esac
}
