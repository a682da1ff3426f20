//===- Reduce.cpp - Reductions and softmax in linalg to spec ops ----------===//
//
// A linalg op on memrefs with one reduced loop, one input read through a
// permutation of all loops and one output that the reduction accumulates
// into, whose body computes `acc + x` or `max(acc, x)` (recognised by
// evaluating it, as for elementwise ops), becomes an accumulating
// spec.reduce: the input viewed in loop order, the output with a unit
// dimension where the reduced loop is. linalg.softmax becomes spec.softmax.
//
//===----------------------------------------------------------------------===//

#include "Views.h"

#include "tessel/Dialect/Spec/IR/SpecOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;
using namespace tessel;

namespace {

/// sum, max or min, if `body`(x, acc) computes one of them.
std::optional<spec::ReductionKind> classify(Block &body) {
  static const double samples[] = {-30, -2.5, -1, -0.3, 0, 0.4, 1, 3.5, 30};
  bool sum = true, max = true, min = true;
  for (double x : samples)
    for (double acc : samples) {
      std::optional<double> got = evaluateBody(body, {x, acc});
      if (!got)
        return std::nullopt;
      sum &= closeTo(*got, acc + x);
      max &= closeTo(*got, std::max(acc, x));
      min &= closeTo(*got, std::min(acc, x));
    }
  if (sum)
    return spec::ReductionKind::Sum;
  if (max)
    return spec::ReductionKind::Max;
  if (min)
    return spec::ReductionKind::Min;
  return std::nullopt;
}

struct ImportReduce : public OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    // Contractions (two inputs) have patterns of their own.
    if (op.getNumReductionLoops() != 1 || op.getNumDpsInputs() != 1 ||
        op.getNumDpsInits() != 1)
      return failure();
    if (!(op.hasPureBufferSemantics() || op.hasPureTensorSemantics()))
      return rewriter.notifyMatchFailure(
          op, "not a reduction on memrefs or tensors");
    Value in = op.getDpsInputs()[0], out = op.getDpsInits()[0];
    if (failed(checkImportable(op, {in, out}, rewriter)))
      return failure();
    if (failed(checkOutputOverlap(op, rewriter, /*inPlace=*/false)))
      return failure();
    Type inType = getElementTypeOrSelf(in.getType());
    if (!(inType.isF32() || inType.isBF16()) ||
        !getElementTypeOrSelf(out.getType()).isF32())
      return rewriter.notifyMatchFailure(
          op, "synthesis reduces f32 or bf16 inputs into f32");
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    if (!maps[0].isPermutation() ||
        !maps[1].isProjectedPermutation(/*allowZeroInResults=*/false))
      return rewriter.notifyMatchFailure(
          op, "the input is not read through a permutation of the loops");
    std::optional<spec::ReductionKind> kind = classify(*op.getBlock());
    if (!kind)
      return rewriter.notifyMatchFailure(
          op, "the body computes no sum, maximum or minimum");

    SmallVector<unsigned> reduced;
    op.getReductionDims(reduced);
    unsigned dim = reduced.front();
    SmallVector<std::optional<unsigned>> loops, kept;
    for (unsigned l = 0; l < op.getNumLoops(); ++l) {
      loops.push_back(l);
      kept.push_back(l == dim ? std::nullopt : std::optional<unsigned>(l));
    }
    Location loc = op.getLoc();
    FailureOr<SmallVector<Value>> views =
        viewAllAs(rewriter, loc, {in, out}, maps, {loops, kept});
    if (failed(views))
      return rewriter.notifyMatchFailure(
          op, op.hasPureTensorSemantics()
                  ? "the input is read transposed (a tensor has no "
                    "transposed view; a buffer has, after bufferization)"
                  : "an operand cannot be viewed in loop order");
    replaceWithSpecOp(rewriter, op,
                      spec::ReduceOp::create(rewriter, loc, (*views)[0],
                                             (*views)[1], *kind, dim,
                                             /*accumulate=*/true));
    return success();
  }
};

/// linalg.softmax on f32 memrefs into spec.softmax (which synthesis
/// decomposes into reductions and elementwise ops).
struct ImportSoftmax : public OpRewritePattern<linalg::SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    Value in = op.getInput(), out = op.getOutput();
    if (failed(checkImportable(op, {in, out}, rewriter)))
      return failure();
    if (!getElementTypeOrSelf(in.getType()).isF32() ||
        !getElementTypeOrSelf(out.getType()).isF32())
      return rewriter.notifyMatchFailure(op, "synthesis computes f32 softmax");
    if (isa<MemRefType>(out.getType()) &&
        spec::getOverlap(out, in) != spec::Overlap::Disjoint)
      return rewriter.notifyMatchFailure(
          op, "the output may overlap the input, which synthesized code does "
              "not compute in place");
    replaceWithSpecOp(rewriter, op,
                      spec::SoftmaxOp::create(rewriter, op.getLoc(), in, out,
                                              op.getDimension()));
    return success();
  }
};

} // namespace

void tessel::populateReduceImportPatterns(RewritePatternSet &patterns) {
  patterns.add<ImportReduce, ImportSoftmax>(patterns.getContext());
}
