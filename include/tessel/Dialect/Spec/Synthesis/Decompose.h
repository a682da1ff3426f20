//===- Decompose.h - Spec ops stated through simpler ones -------*- C++ -*-===//
//
// Spec ops the engine has no kind for are rewritten, before synthesis, into
// ops it has: softmax into a row maximum, a subtract-exp, a row sum and a
// scale, each searched on its own (its rows in scratch buffers); rank-0
// operands into one-element rank-1 views; a padded convolution into
// unpadded ones. A unary op in place right after
// the binary op that wrote its buffer becomes that op's epilogue.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_DIALECT_SPEC_SYNTHESIS_DECOMPOSE_H
#define TESSEL_DIALECT_SPEC_SYNTHESIS_DECOMPOSE_H

#include "tessel/Synthesis/Target.h"

#include "mlir/IR/PatternMatch.h"

namespace tessel::spec {

/// The decompositions; a padded convolution's depends on `target`'s caches.
void populateDecompositionPatterns(mlir::RewritePatternSet &patterns,
                                   const synth::Target &target);
/// A unary op in place right after the binary op that wrote its buffer into
/// that op's epilogue. (Not for transform.tessel.synthesize: the binary op
/// may be outside its handle.)
void populateEpilogueFusionPatterns(mlir::RewritePatternSet &patterns);

/// Applies the decompositions and epilogue fusions to every spec op under
/// `root`.
mlir::LogicalResult decomposeSpecOps(mlir::Operation *root,
                                     const synth::Target &target);

} // namespace tessel::spec

#endif // TESSEL_DIALECT_SPEC_SYNTHESIS_DECOMPOSE_H
