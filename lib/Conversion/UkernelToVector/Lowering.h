//===- Lowering.h - Shared pieces of the ukernel lowerings ------*- C++ -*-===//
//
// The ukernel ops lower to vector code by op family (Contraction.cpp,
// Movement.cpp, Elementwise.cpp); these are the pieces they share, and the
// pattern each kernel's lowering is wrapped in.
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_LIB_CONVERSION_UKERNELTOVECTOR_LOWERING_H
#define TESSEL_LIB_CONVERSION_UKERNELTOVECTOR_LOWERING_H

#include "tessel/Dialect/Ukernel/IR/UkernelOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

namespace tessel::ukernel {

/// Copies and fills up to this many vectors are unrolled completely.
constexpr int64_t kMaxUnrolled = 64;

/// The box indices of logical `point` under `map`.
llvm::SmallVector<mlir::Value>
indices(mlir::OpBuilder &b, mlir::Location loc, mlir::AffineMap map,
        llvm::ArrayRef<mlir::OpFoldResult> point);
llvm::SmallVector<mlir::OpFoldResult> constants(mlir::OpBuilder &b,
                                                llvm::ArrayRef<int64_t> values);
/// `v` extended to `to` (bf16/f16 to f32, integers sign-extended), or `v`
/// when it is that already.
mlir::Value widen(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                  mlir::Type to);
mlir::Type elementType(mlir::Value memref);
/// A vector load, masked past the box's end with `fill` (default: zeros).
mlir::Value loadVector(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::VectorType type, mlir::Value box,
                       mlir::ValueRange idx, mlir::TypedAttr fill = {});
/// A vector store, masked to the box's end; a scalar is stored as it is
/// (code without lanes).
void storeVector(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                 mlir::Value box, mlir::ValueRange idx);
/// Calls `fn` on every point of `sizes` whose `dim` coordinate is a multiple
/// of `step`, unrolled when there are few (kMaxUnrolled), else in loops.
void forEachPoint(mlir::OpBuilder &b, mlir::Location loc,
                  llvm::ArrayRef<int64_t> sizes, unsigned dim, int64_t step,
                  llvm::function_ref<void(mlir::OpBuilder &,
                                          llvm::ArrayRef<mlir::OpFoldResult>)>
                      fn);

/// One kernel op's lowering as a pattern: `lower` expands the op in place
/// (at the rewriter's insertion point) and erases it; it always applies.
template <typename KernelOp, void (*lower)(KernelOp, mlir::PatternRewriter &)>
struct LowerKernel : mlir::OpRewritePattern<KernelOp> {
  using mlir::OpRewritePattern<KernelOp>::OpRewritePattern;
  mlir::LogicalResult
  matchAndRewrite(KernelOp op, mlir::PatternRewriter &rewriter) const override {
    lower(op, rewriter);
    return mlir::success();
  }
};

} // namespace tessel::ukernel

#endif // TESSEL_LIB_CONVERSION_UKERNELTOVECTOR_LOWERING_H
