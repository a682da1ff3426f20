//===- Movement.cpp - Copies, packs and fills to vector code --------------===//
//
// copy (with widening), pack_bf16_pairs and fill.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"
#include "tessel/Conversion/UkernelToVector/UkernelToVector.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::ukernel;

namespace {

void lower(CopyOp op, PatternRewriter &b) {
  b.setInsertionPoint(op);
  Location loc = op.getLoc();
  int64_t lanes = op.getLanes();
  Type to = elementType(op.getDst());
  forEachPoint(
      b, loc, op.getSizes(), op.getDim(), lanes ? lanes : 1,
      [&](OpBuilder &nb, ArrayRef<OpFoldResult> point) {
        SmallVector<Value> src = indices(nb, loc, op.getSrcMap(), point);
        SmallVector<Value> dst = indices(nb, loc, op.getDstMap(), point);
        if (!lanes) {
          Value v = memref::LoadOp::create(nb, loc, op.getSrc(), src);
          memref::StoreOp::create(nb, loc, widen(nb, loc, v, to), op.getDst(),
                                  dst);
          return;
        }
        Value v = loadVector(nb, loc,
                             VectorType::get({lanes}, elementType(op.getSrc())),
                             op.getSrc(), src);
        storeVector(nb, loc, widen(nb, loc, v, VectorType::get({lanes}, to)),
                    op.getDst(), dst);
      });
  b.eraseOp(op);
}

void lower(PackBf16PairsOp op, PatternRewriter &b) {
  b.setInsertionPoint(op);
  Location loc = op.getLoc();
  int64_t half = op.getLanes() / 2, n = op.getSizes()[1];
  auto rowType = VectorType::get({half}, b.getBF16Type());
  Value dst = memref::CollapseShapeOp::create(
      b, loc, op.getDst(), ArrayRef<ReassociationIndices>{{0, 1}});
  AffineExpr d0;
  bindDims(b.getContext(), d0);
  forEachPoint(
      b, loc, {1, n}, 1, half,
      [&](OpBuilder &nb, ArrayRef<OpFoldResult> point) {
        auto row = [&](int64_t k) {
          return vector::LoadOp::create(
              nb, loc, rowType, op.getSrc(),
              indices(nb, loc, op.getSrcMap(), {nb.getIndexAttr(k), point[1]}));
        };
        Value pairs = vector::InterleaveOp::create(nb, loc, row(0), row(1));
        Value col =
            indices(nb, loc, op.getDstMap(), {nb.getIndexAttr(0), point[1]})[0];
        Value at = getValueOrCreateConstantIndexOp(
            nb, loc,
            affine::makeComposedFoldedAffineApply(nb, loc, d0 * 2,
                                                  {OpFoldResult(col)}));
        vector::StoreOp::create(nb, loc, pairs, dst, at);
      });
  b.eraseOp(op);
}

void lower(FillOp op, PatternRewriter &b) {
  b.setInsertionPoint(op);
  Location loc = op.getLoc();
  int64_t lanes = op.getLanes();
  TypedAttr value = op.getValue();
  Value constant =
      lanes ? arith::ConstantOp::create(
                  b, loc,
                  DenseElementsAttr::get(
                      VectorType::get({lanes}, value.getType()), value))
                  .getResult()
            : arith::ConstantOp::create(b, loc, value).getResult();
  forEachPoint(b, loc, op.getSizes(), op.getDim(), lanes ? lanes : 1,
               [&](OpBuilder &nb, ArrayRef<OpFoldResult> point) {
                 storeVector(nb, loc, constant, op.getDst(),
                             indices(nb, loc, op.getDstMap(), point));
               });
  b.eraseOp(op);
}

} // namespace

void tessel::populateUkernelMovementToVectorPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerKernel<CopyOp, lower>, LowerKernel<PackBf16PairsOp, lower>,
               LowerKernel<FillOp, lower>>(patterns.getContext());
}
