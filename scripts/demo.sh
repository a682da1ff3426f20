#!/usr/bin/env bash
# Installs what is missing, builds, and runs Tessel's main job on a built-in
# example: parse, verify and print a spec program, then show the programs
# synthesis picks for the specs it supports.
set -euo pipefail
source "$(dirname "$0")/setup.sh" "$@"
tessel_build tessel-opt tessel

example="$TESSEL_ROOT/examples/mlp.mlir"
echo "== tessel-opt parses and verifies $example and prints it back:"
"$TESSEL_BUILD_DIR/bin/tessel-opt" "$example"
echo
echo "== tessel specs lists its spec ops:"
"$TESSEL_BUILD_DIR/bin/tessel" specs "$example"

echo
echo "== tessel explain shows the program synthesis picks for a 256^3 matmul"
echo "   and a bf16 vector-matrix product (abridged to the top levels and kernels):"
"$TESSEL_BUILD_DIR/bin/tessel" explain "$TESSEL_ROOT/examples/gemm.mlir" |
  grep -E '^(spec|Matmul)|^  =>|kernel' | uniq
