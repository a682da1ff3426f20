//===- Decompose.cpp - Spec ops stated through simpler ones ---------------===//

#include "tessel/Dialect/Spec/Synthesis/Decompose.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace tessel;

namespace {

/// out = exp(x - max) / sum(exp(x - max)) along `dim`, as
///   max = reduce max(x); out = x - max; out = exp(out);
///   sum = reduce sum(out); out = out / sum
/// with the row statistics in scratch buffers. The output holds the
/// intermediate values, so nothing of the input's size is allocated.
struct DecomposeSoftmax : OpRewritePattern<spec::SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(spec::SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<MemRefType>(op.getInput().getType());
    // The elementwise kinds take one input type and compute narrower
    // types in f32 into f32: an f32 softmax fits them as it is.
    if (!type.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "not f32");
    Location loc = op.getLoc();
    int64_t dim = op.getDim();
    SmallVector<int64_t> rowShape(type.getShape());
    rowShape[dim] = 1;
    auto rowType = MemRefType::get(rowShape, type.getElementType());
    auto scratch = [&] {
      return memref::AllocOp::create(rewriter, loc, rowType, ValueRange{},
                                     rewriter.getI64IntegerAttr(64));
    };
    Value x = op.getInput(), out = op.getOut();
    Value max = scratch();
    spec::ReduceOp::create(rewriter, loc, x, max, spec::ReductionKind::Max,
                           dim);
    spec::SubOp::create(rewriter, loc, x, max, out);
    spec::ExpOp::create(rewriter, loc, out, out);
    Value sum = scratch();
    spec::ReduceOp::create(rewriter, loc, out, sum, spec::ReductionKind::Sum,
                           dim);
    spec::DivOp::create(rewriter, loc, out, sum, out);
    memref::DeallocOp::create(rewriter, loc, max);
    memref::DeallocOp::create(rewriter, loc, sum);
    rewriter.eraseOp(op);
    return success();
  }
};

/// A rank-0 operand, viewed as a one-element rank-1 memref.
Value asVector(PatternRewriter &rewriter, Location loc, Value value) {
  auto type = cast<MemRefType>(value.getType());
  SmallVector<int64_t> strides;
  int64_t offset = 0;
  (void)type.getStridesAndOffset(strides, offset);
  MemRefLayoutAttrInterface layout;
  if (offset != 0)
    layout = StridedLayoutAttr::get(rewriter.getContext(), offset, {1});
  auto vectorType = MemRefType::get({1}, type.getElementType(), layout,
                                    type.getMemorySpace());
  return memref::ExpandShapeOp::create(
      rewriter, loc, vectorType, value, ArrayRef<ReassociationIndices>{},
      ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1)});
}

/// A spec op on rank-0 memrefs (a scalar fill, move or elementwise op) on
/// one-element vectors instead: the engine's specs have rank 1 and up.
struct ScalarsAsVectors : RewritePattern {
  ScalarsAsVectors(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}
  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<spec::SpecDialect>(op->getDialect()) ||
        op->getNumOperands() == 0 ||
        !llvm::all_of(op->getOperandTypes(), [](Type t) {
          auto memref = dyn_cast<MemRefType>(t);
          return memref && memref.getRank() == 0;
        }))
      return failure();
    SmallVector<Value> vectors;
    for (Value operand : op->getOperands())
      vectors.push_back(asVector(rewriter, op->getLoc(), operand));
    rewriter.modifyOpInPlace(op, [&] { op->setOperands(vectors); });
    return success();
  }
};

} // namespace

void spec::populateDecompositionPatterns(RewritePatternSet &patterns) {
  patterns.add<DecomposeSoftmax, ScalarsAsVectors>(patterns.getContext());
}

LogicalResult spec::decomposeSpecOps(Operation *root) {
  // Outside a pass (tessel explain) nothing has loaded what the patterns make.
  root->getContext()->getOrLoadDialect<memref::MemRefDialect>();
  RewritePatternSet patterns(root->getContext());
  populateDecompositionPatterns(patterns);
  // Only ops these patterns rewrite change; nothing else is folded.
  GreedyRewriteConfig config;
  config.enableFolding(false);
  config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
  bool unsupported = false;
  root->walk([&](spec::SoftmaxOp op) {
    Type element = cast<MemRefType>(op.getInput().getType()).getElementType();
    if (!element.isF32()) {
      op.emitOpError("is synthesized for f32 only; its input is ") << element;
      unsupported = true;
    }
  });
  if (unsupported)
    return failure();
  return applyPatternsGreedily(root, std::move(patterns), config);
}
