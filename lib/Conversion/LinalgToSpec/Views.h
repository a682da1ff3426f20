//===- Views.h - What the linalg import patterns share ----------*- C++ -*-===//
#ifndef TESSEL_LIB_CONVERSION_LINALGTOSPEC_VIEWS_H
#define TESSEL_LIB_CONVERSION_LINALGTOSPEC_VIEWS_H

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include <cmath>
#include <optional>

namespace tessel {

/// A buffer the spec dialect takes as it is: static shape and strides, no
/// memory space, and an element type spec ops compute with.
bool isImportableBuffer(mlir::Value value);

/// Fails (a match failure naming the input) unless the op's output shares
/// no memory with an input, or, with `inPlace`, is exactly an input read
/// through the output's own indexing map. Spec ops refuse other overlaps;
/// upstream lowering keeps linalg's loop-order meaning for them.
mlir::LogicalResult checkOutputOverlap(mlir::Operation *op,
                                       mlir::PatternRewriter &rewriter,
                                       bool inPlace);

/// Views `operand`, indexed through `map`, with its dimensions in the order
/// `wanted` (loop dimensions; std::nullopt stands for a unit dimension the
/// operand lacks): a memref.transpose to reorder, then a memref.expand_shape
/// to add the unit dimensions.
mlir::FailureOr<mlir::Value>
viewAs(mlir::RewriterBase &rewriter, mlir::Location loc, mlir::Value operand,
       mlir::AffineMap map, llvm::ArrayRef<std::optional<unsigned>> wanted);

/// Evaluates a linalg body in double precision on block arguments `args`
/// (extra ones are ignored); nothing if it uses an op outside the scalar
/// arithmetic it knows (Elementwise.cpp).
std::optional<double> evaluateBody(mlir::Block &body,
                                   llvm::ArrayRef<double> args);

/// Whether a body's `got` is the catalog's `want` up to rounding (an
/// infinity only by itself).
inline bool closeTo(double got, double want) {
  if (std::isinf(want))
    return got == want;
  return std::abs(got - want) <= 1e-5 * (1 + std::abs(want));
}

/// Elementwise linalg ops (named, linalg.elementwise, linalg.map and
/// generics) into spec elementwise ops (Elementwise.cpp).
void populateElementwiseImportPatterns(mlir::RewritePatternSet &patterns);

/// linalg.reduce and reduction generics (one reduced loop, a sum or a
/// maximum) into spec.reduce (Reduce.cpp).
void populateReduceImportPatterns(mlir::RewritePatternSet &patterns);

} // namespace tessel

#endif // TESSEL_LIB_CONVERSION_LINALGTOSPEC_VIEWS_H
