#!/usr/bin/env bash
# Per-call overhead of Tessel kernels called from Python (bench/python/overhead.py),
# pinned to one CPU. Builds the package first if needed.
#
#   bench/python/run.sh [--calls N] [--rounds N]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/scripts/setup.sh"
tessel_build TesselPython
cpu=$(( $(nproc) - 1 ))
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 PYTHONPATH="$TESSEL_BUILD_DIR/python_packages" \
  taskset -c "$cpu" /usr/bin/python3 "$root/bench/python/overhead.py" "$@"
