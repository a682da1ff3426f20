//===- Views.h - What the linalg import patterns share ----------*- C++ -*-===//
#ifndef TESSEL_LIB_CONVERSION_LINALGTOSPEC_VIEWS_H
#define TESSEL_LIB_CONVERSION_LINALGTOSPEC_VIEWS_H

#include "tessel/Dialect/Spec/IR/SpecOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/DenseSet.h"
#include <cmath>
#include <optional>

namespace tessel {

/// Fails (a match failure naming the operand and why) unless the spec
/// dialect takes each of `operands` as it is: a non-empty static shape, a
/// tensor or a memref with a strided layout whose innermost stride is
/// statically 1 if any stride is dynamic, no memory space, and an element type
/// spec ops compute with; the op's outputs (its DPS inits) are not views of a
/// constant global. With `dynamicSizes`, sizes may be dynamic for matrices
/// whose last dimension has static stride 1.
mlir::LogicalResult checkImportable(mlir::Operation *op,
                                    mlir::ValueRange operands,
                                    mlir::PatternRewriter &rewriter,
                                    bool dynamicSizes = false);

/// A linalg op on memrefs behind a check that its innermost strides are 1
/// (`spec::hasDynamicInnermostStride`): the then-branch holds a copy on
/// operands cast to unit innermost strides, which the import patterns can take;
/// the op itself is out of the IR until `finishStrideGuards`.
struct StrideGuard {
  mlir::scf::IfOp ifOp;
  mlir::Operation *original;
  /// The ops computing the condition, in the order they were made.
  llvm::SmallVector<mlir::Operation *> condition;
};

/// Guards each linalg op under `root` that has operands needing it.
llvm::SmallVector<StrideGuard> guardRuntimeStrides(mlir::Operation *root);

/// Puts each guarded op back once the import patterns have run: as the
/// else-branch (left to upstream lowering) where the then-branch copy was
/// imported, in the guard's place otherwise. Returns the else-branch ops.
llvm::DenseSet<mlir::Operation *>
finishStrideGuards(llvm::ArrayRef<StrideGuard> guards);

/// Fails (a match failure naming the input) unless the op's output shares
/// no memory with an input, or, with `inPlace`, is exactly an input read
/// through the output's own indexing map. Spec ops refuse other overlaps;
/// upstream lowering keeps linalg's loop-order meaning for them.
mlir::LogicalResult checkOutputOverlap(mlir::Operation *op,
                                       mlir::PatternRewriter &rewriter,
                                       bool inPlace);

/// The largest block a dynamic M or N dimension is cut into (K's are twice
/// as deep): a 512 x 256 f32 block of B (512 KiB), which stays in cache
/// while A's rows pass, and a 256 x 256 block of C fit the smallest L2 seen
/// (1 MiB); A's block streams through, a row panel at a time. The engine's
/// programs for blocks this size run at its large-size rate.
inline constexpr int64_t kDynamicBlock = 256;

/// Rewrites `op`, a contraction on memrefs with dynamic sizes whose
/// operands, viewed in the orders given (as for spec.matmul), form a
/// matmul, into loops over static blocks, each an accumulating spec.matmul
/// (DynamicSizes.cpp). Every operand has rank 2 and unit innermost stride.
/// With `zeroFill`, a zero fill of the output just before `op`, the first
/// block along K overwrites instead; a copy of the fill runs when K is 0,
/// and the fill is marked with kFusedZeroFillAttr.
mlir::LogicalResult importDynamicContraction(
    mlir::linalg::LinalgOp op, llvm::ArrayRef<std::optional<unsigned>> lhsOrder,
    llvm::ArrayRef<std::optional<unsigned>> rhsOrder,
    llvm::ArrayRef<std::optional<unsigned>> outOrder,
    mlir::linalg::FillOp zeroFill, mlir::PatternRewriter &rewriter);

/// Marks a zero fill a dynamic-size product took over: the import pass
/// erases it after its walk (where it is kept, as in transform.tessel.import,
/// it only writes the zeros the product overwrites).
inline constexpr llvm::StringLiteral kFusedZeroFillAttr =
    "tessel.fused_zero_fill";

/// The spec.fill value a constant `value` is, if spec.fill has it.
std::optional<spec::FillValue> classifyFillValue(mlir::Value value);

/// Views `operand`, indexed through `map`, with its dimensions in the order
/// `wanted` (loop dimensions; std::nullopt stands for a unit dimension the
/// operand lacks): a memref.transpose to reorder, then a memref.expand_shape
/// to add the unit dimensions. A tensor gets a tensor.expand_shape, and
/// cannot be reordered (fails).
mlir::FailureOr<mlir::Value>
viewAs(mlir::RewriterBase &rewriter, mlir::Location loc, mlir::Value operand,
       mlir::AffineMap map, llvm::ArrayRef<std::optional<unsigned>> wanted);

/// Views each of `operands` (indexed through its entry of `maps`) in the
/// order its entry of `orders` gives, as `viewAs` does. Every operand is
/// checked before any view is made, so that a pattern failing on the
/// answer leaves the IR as it was.
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
viewAllAs(mlir::RewriterBase &rewriter, mlir::Location loc,
          mlir::ValueRange operands, llvm::ArrayRef<mlir::AffineMap> maps,
          llvm::ArrayRef<llvm::ArrayRef<std::optional<unsigned>>> orders);

/// Replaces `op`, a linalg op, with `specOp`, which computes it into a view
/// of its output: erases it on memrefs; on tensors replaces its result with
/// the spec op's, less the unit dimensions `viewAs` added.
void replaceWithSpecOp(mlir::RewriterBase &rewriter, mlir::Operation *op,
                       mlir::Operation *specOp);

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

/// The named 2-D convolutions (Conv.cpp).
void populateConvImportPatterns(mlir::RewritePatternSet &patterns);

} // namespace tessel

#endif // TESSEL_LIB_CONVERSION_LINALGTOSPEC_VIEWS_H
