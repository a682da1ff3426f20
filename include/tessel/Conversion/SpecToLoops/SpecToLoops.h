//===- SpecToLoops.h - Spec ops into their synthesized programs -*- C++ -*-===//
#ifndef TESSEL_CONVERSION_SPECTOLOOPS_SPECTOLOOPS_H
#define TESSEL_CONVERSION_SPECTOLOOPS_SPECTOLOOPS_H

#include "tessel/Dialect/Spec/Synthesis/Session.h"

#include "mlir/IR/Operation.h"
#include "mlir/Pass/Pass.h"

namespace tessel {

/// Replaces each spec op of `ops` (all in one module; decomposed already:
/// spec::decomposeSpecOps) by a call of a new private function holding the
/// program `session` finds for it: what --tessel-synthesize does to every
/// spec op of a module. Appends the calls to `calls`, if given. Fails,
/// after emitting why at the op, if any op has no program.
mlir::LogicalResult
synthesizeSpecOps(llvm::ArrayRef<mlir::Operation *> ops,
                  spec::SynthesisSession &session,
                  llvm::SmallVectorImpl<mlir::Operation *> *calls = nullptr);

/// --tessel-synthesize with the pass options that ask for `options`.
std::unique_ptr<mlir::Pass>
createTesselSynthesize(const spec::SynthesisOptions &options);

} // namespace tessel

#endif // TESSEL_CONVERSION_SPECTOLOOPS_SPECTOLOOPS_H
