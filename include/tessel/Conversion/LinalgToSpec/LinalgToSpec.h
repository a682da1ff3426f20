//===- LinalgToSpec.h - linalg ops to spec ops ------------------*- C++ -*-===//

#ifndef TESSEL_CONVERSION_LINALGTOSPEC_LINALGTOSPEC_H
#define TESSEL_CONVERSION_LINALGTOSPEC_LINALGTOSPEC_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

namespace mlir {
class Operation;
class RewritePatternSet;
class RewriterBase;
} // namespace mlir

namespace tessel {

/// Size hints a linalg contraction with dynamic sizes may carry, one entry
/// per loop of the op (`array<i64: m, n, k>` for linalg.matmul): the sizes
/// it most likely runs at (a static program for exactly those runs when
/// they match), and upper bounds (blocks larger than the bound are never
/// made; linalg's value-bounds analysis adds the bounds it proves).
inline constexpr llvm::StringLiteral kLikelySizesAttr = "tessel.likely_sizes";
inline constexpr llvm::StringLiteral kMaxSizesAttr = "tessel.max_sizes";

/// Checks the size hints on the ops under `root`: each an array of one
/// positive size per loop. Emits an error at each op whose hints are not.
mlir::LogicalResult verifySizeHints(mlir::Operation *root);

/// Patterns that rewrite linalg contractions and fills on memrefs into spec
/// ops (see --tessel-import-linalg).
void populateLinalgToSpecPatterns(mlir::RewritePatternSet &patterns);

/// Erases, with `rewriter`, the padded images under `root` that imported
/// convolutions no longer read since their padding folded: unused
/// tensor.pad ops, and buffers only written (zero-filled, copied into
/// through a view) and freed. Run after importing, not while patterns walk
/// the ops it may erase.
void erasePaddedImages(mlir::Operation *root, mlir::RewriterBase &rewriter);

} // namespace tessel

#endif // TESSEL_CONVERSION_LINALGTOSPEC_LINALGTOSPEC_H
