#!/usr/bin/env bash
# Prints docs/dialects/interfaces.md from a build's generated interface docs
# (scripts/update-docs.sh writes it; test/Docs/generated-references.test
# checks the committed one).
set -euo pipefail
build=${1:?usage: interfaces-doc.sh BUILD_DIR}
cat <<'TEXT'
# Interfaces of spec ops

What every spec op answers (the dialect's own interface), how it states
itself to the synthesis engine (attached by TesselSpecSynthesis) and what
it computes (attached by TesselExecution's reference interpreter).
Generated from ODS by scripts/update-docs.sh; docs/adding-a-kind.md says
where a new op implements each.
TEXT
for f in Dialect/Spec/IR/SpecInterfaces Dialect/Spec/Synthesis/EngineSpecInterface \
         Execution/ReferenceInterface; do
  echo
  sed 's/^#/##/' "$build/include/tessel/$f.md"
done
