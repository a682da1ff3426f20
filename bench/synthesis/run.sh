#!/bin/sh
# Synthesis benchmark: cold synthesis time and memo size for f32 matmuls on
# the AVX-512 target, 1 and 2 threads, with and without branch-and-bound.
# Prints a markdown table on stdout; the chosen programs go to stderr with
# --show-program.
#
#   bench/synthesis/run.sh [BUILD_DIR] [extra tessel-synth-bench options]
#
# The whole table takes about three minutes on 2 cores; pass
# --skip-after SECONDS to skip unpruned runs of cases whose pruned run took
# longer than that.
set -eu
build=${1:-build}
[ $# -gt 0 ] && shift
bin="$build/bin/tessel-synth-bench"
[ -x "$bin" ] || bin="$build/bench/synthesis/tessel-synth-bench"
if [ ! -x "$bin" ]; then
  echo "tessel-synth-bench not found under $build; build it first" >&2
  exit 1
fi
exec "$bin" "$@"
