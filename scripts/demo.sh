#!/usr/bin/env bash
# Installs what is missing, builds, and runs Tessel's main job on a built-in
# example: parse, verify and print a spec program.
set -euo pipefail
source "$(dirname "$0")/setup.sh" "$@"
tessel_build tessel-opt tessel

example="$TESSEL_ROOT/examples/mlp.mlir"
echo "== tessel-opt parses and verifies $example and prints it back:"
"$TESSEL_BUILD_DIR/bin/tessel-opt" "$example"
echo
echo "== tessel specs lists its spec ops:"
"$TESSEL_BUILD_DIR/bin/tessel" specs "$example"
