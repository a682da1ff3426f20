//===- EngineSpec.h - spec ops as synthesis-engine specs --------*- C++ -*-===//
//
// The bridge between the IR and the engine: a spec op on memrefs becomes a
// tessel::synth::Spec value (shapes, dtypes, layouts, memory levels), which
// the search solves without touching MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_DIALECT_SPEC_SYNTHESIS_ENGINESPEC_H
#define TESSEL_DIALECT_SPEC_SYNTHESIS_ENGINESPEC_H

#include "tessel/Synthesis/Spec.h"
#include "tessel/Synthesis/Target.h"

#include "mlir/IR/Operation.h"

namespace tessel::spec {

/// The engine spec that `op` (a spec op) states, under the full memory of
/// `target`. Emits an error at `op` and fails when the engine cannot state it
/// yet (an op kind, element type or layout it lacks).
mlir::FailureOr<synth::Spec> getEngineSpec(mlir::Operation *op,
                                           const synth::Target &target);

} // namespace tessel::spec

#endif // TESSEL_DIALECT_SPEC_SYNTHESIS_ENGINESPEC_H
