//===- Decompose.cpp - Spec ops stated through simpler ones ---------------===//

#include "tessel/Dialect/Spec/Synthesis/Decompose.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace tessel;

namespace {

/// Bytes of the input a softmax step covers: a modest share of any x86
/// core's L2 (512 KiB to 2 MiB), so that the passes after a block's first
/// read find it in cache, with room for what the searched programs keep.
constexpr int64_t kBlockBytes = 256 << 10;

/// out = exp(x - max) / sum(exp(x - max)) along `dim`, as
///   max = reduce max(x); out = x - max; out = exp(out);
///   sum = reduce sum(out); out = out / sum
/// with the row statistics in scratch buffers and the intermediate values
/// in the output. A large softmax runs these five steps block by block
/// along another dim (blocks of kBlockBytes at most, and one smaller block
/// for the rest), so only the first pass over each block comes from memory.
/// The five steps on `x` and `out` with row statistics in `max` and `sum`.
void steps(OpBuilder &b, Location loc, int64_t dim, Value x, Value out,
           Value max, Value sum) {
  spec::ReduceOp::create(b, loc, x, max, spec::ReductionKind::Max, dim);
  spec::SubOp::create(b, loc, x, max, out);
  spec::ExpOp::create(b, loc, out, out);
  spec::ReduceOp::create(b, loc, out, sum, spec::ReductionKind::Sum, dim);
  spec::DivOp::create(b, loc, out, sum, out);
}

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
    ArrayRef<int64_t> shape = type.getShape();
    // The dim to block along, and the block.
    std::optional<unsigned> outer;
    for (auto [d, size] : llvm::enumerate(shape))
      if (int64_t(d) != dim && size > 1) {
        outer = d;
        break;
      }
    int64_t size = outer ? shape[*outer] : 1, block = size;
    int64_t bytes = type.getNumElements() * 4;
    if (outer && bytes > kBlockBytes)
      block = std::clamp<int64_t>(kBlockBytes / (bytes / size), 1, size);

    SmallVector<int64_t> rowShape(shape);
    rowShape[dim] = 1;
    if (outer)
      rowShape[*outer] = block;
    auto rowType = MemRefType::get(rowShape, type.getElementType());
    auto scratch = [&] {
      return memref::AllocOp::create(rewriter, loc, rowType, ValueRange{},
                                     rewriter.getI64IntegerAttr(64));
    };
    Value max = scratch(), sum = scratch();
    if (block == size) {
      steps(rewriter, loc, dim, op.getInput(), op.getOut(), max, sum);
    } else {
      // Views of `count` indices of the blocked dim from `offset`.
      auto view = [&](Value v, OpFoldResult offset, int64_t count) -> Value {
        auto viewType = cast<MemRefType>(v.getType());
        SmallVector<OpFoldResult> offsets(viewType.getRank(),
                                          rewriter.getIndexAttr(0));
        offsets[*outer] = offset;
        SmallVector<OpFoldResult> sizes =
            getAsIndexOpFoldResult(rewriter.getContext(), viewType.getShape());
        sizes[*outer] = rewriter.getIndexAttr(count);
        SmallVector<OpFoldResult> strides(viewType.getRank(),
                                          rewriter.getIndexAttr(1));
        return memref::SubViewOp::create(rewriter, loc, v, offsets, sizes,
                                         strides);
      };
      int64_t whole = size / block * block;
      Value lb = arith::ConstantIndexOp::create(rewriter, loc, 0);
      Value ub = arith::ConstantIndexOp::create(rewriter, loc, whole);
      Value step = arith::ConstantIndexOp::create(rewriter, loc, block);
      auto loop = scf::ForOp::create(rewriter, loc, lb, ub, step);
      {
        OpBuilder::InsertionGuard guard(rewriter);
        rewriter.setInsertionPoint(loop.getBody()->getTerminator());
        Value i = loop.getInductionVar();
        steps(rewriter, loc, dim, view(op.getInput(), i, block),
              view(op.getOut(), i, block), max, sum);
      }
      // The rest (a block of its own static shape).
      if (int64_t rest = size - whole) {
        OpFoldResult at = rewriter.getIndexAttr(whole);
        OpFoldResult zero = rewriter.getIndexAttr(0);
        steps(rewriter, loc, dim, view(op.getInput(), at, rest),
              view(op.getOut(), at, rest), view(max, zero, rest),
              view(sum, zero, rest));
      }
    }
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
  root->getContext()
      ->loadDialect<arith::ArithDialect, memref::MemRefDialect,
                    scf::SCFDialect>();
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
