#!/usr/bin/env bash
# Regenerates the docs that come from ODS (the dialect reference) from a build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TESSEL_BUILD_DIR:-$root/build}
ninja -C "$build" TesselSpecIncGen TesselUkernelIncGen TesselConversionPassIncGen \
  TesselTransformOpsIncGen TesselSpecSynthesisIncGen TesselExecutionIncGen
cp "$build/include/tessel/Dialect/Spec/IR/SpecDialect.md" "$root/docs/dialects/spec.md"
cp "$build/include/tessel/Dialect/Ukernel/IR/UkernelDialect.md" "$root/docs/dialects/ukernel.md"
cp "$build/include/tessel/Conversion/Passes.md" "$root/docs/passes.md"
cp "$build/include/tessel/Dialect/Transform/TesselTransformOps.md" "$root/docs/dialects/transform.md"
"$root/scripts/interfaces-doc.sh" "$build" > "$root/docs/dialects/interfaces.md"
echo "updated docs/dialects/{spec,ukernel,transform,interfaces}.md and docs/passes.md"
