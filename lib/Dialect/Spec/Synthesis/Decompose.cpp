//===- Decompose.cpp - Spec ops stated through simpler ones ---------------===//

#include "tessel/Dialect/Spec/Synthesis/Decompose.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"
#include "tessel/Dialect/Spec/Synthesis/EngineSpec.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace tessel;

namespace {

/// Bytes of the input a softmax step covers: a modest share of any x86
/// core's L2 (512 KiB to 2 MiB), so that the passes after a block's first
/// read find it in cache, with room for what the searched programs keep.
constexpr int64_t kBlockBytes = 256 << 10;
/// From this many whole blocks on, blocks run in parallel (each on one
/// core) rather than one after another with each step parallel: enough to
/// share among a few cores without leaving one idle for long.
constexpr int64_t kParallelBlocks = 4;

/// out = exp(x - max) / sum(exp(x - max)) along `dim`, as
///   max = reduce max(x); out = exp(x - max) (a subtract with an exp
///   epilogue: one pass); sum = reduce sum(out); sum = 1 / sum;
///   out = out * sum
/// with the row statistics in scratch buffers and the intermediate values
/// in the output. The reciprocal is one division a row where dividing every
/// element would cost a division each (several times a multiply's issue
/// cost); it adds a rounding. A large softmax runs these steps block by
/// block along another dim (blocks of kBlockBytes at most, and one smaller
/// block for the rest), so only the first pass over each block comes from
/// memory; with kParallelBlocks blocks or more, the blocks in parallel.
/// The steps on `x` and `out` with row statistics in `max` and `sum`.
void steps(OpBuilder &b, Location loc, int64_t dim, Value x, Value out,
           Value max, Value sum) {
  spec::ReduceOp::create(b, loc, x, max, spec::ReductionKind::Max, dim);
  spec::SubOp::create(
      b, loc, x, max, out,
      spec::UnaryFnAttr::get(b.getContext(), spec::UnaryFn::Exp));
  spec::ReduceOp::create(b, loc, out, sum, spec::ReductionKind::Sum, dim);
  spec::ReciprocalOp::create(b, loc, sum, sum);
  spec::MulOp::create(b, loc, out, sum, out, spec::UnaryFnAttr());
}

/// Whether subviews of `memref` can be taken: a blocked #spec.layout has no
/// strided form, so ops on such operands are decomposed on them whole.
bool isViewable(Value memref) {
  return cast<MemRefType>(memref.getType()).isStrided();
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
    if (outer && bytes > kBlockBytes && isViewable(op.getInput()) &&
        isViewable(op.getOut()))
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
      if (whole / block >= kParallelBlocks) {
        // Blocks in parallel, each block's steps on one core (spec ops in
        // a parallel loop are synthesized serial), its rows staying in
        // that core's L2 from step to step; row statistics per block.
        scf::ForallOp::create(
            rewriter, loc, ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0)},
            ArrayRef<OpFoldResult>{rewriter.getIndexAttr(whole)},
            ArrayRef<OpFoldResult>{rewriter.getIndexAttr(block)},
            /*outputs=*/ValueRange(), /*mapping=*/std::nullopt,
            [&](OpBuilder &b, Location, ValueRange ivs) {
              OpBuilder::InsertionGuard guard(rewriter);
              rewriter.setInsertionPoint(b.getInsertionBlock(),
                                         b.getInsertionPoint());
              Value blockMax = scratch(), blockSum = scratch();
              steps(rewriter, loc, dim, view(op.getInput(), ivs[0], block),
                    view(op.getOut(), ivs[0], block), blockMax, blockSum);
              memref::DeallocOp::create(rewriter, loc, blockMax);
              memref::DeallocOp::create(rewriter, loc, blockSum);
              scf::InParallelOp::create(rewriter, loc);
            });
      } else {
        Value lb = arith::ConstantIndexOp::create(rewriter, loc, 0);
        Value ub = arith::ConstantIndexOp::create(rewriter, loc, whole);
        Value step = arith::ConstantIndexOp::create(rewriter, loc, block);
        auto loop = scf::ForOp::create(rewriter, loc, lb, ub, step);
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

/// `v` (a static memref) cut to [at, at + size) along its dims `dims`,
/// whole along the others.
Value viewAlong(OpBuilder &b, Location loc, Value v,
                std::array<int64_t, 2> dims, std::array<int64_t, 2> at,
                std::array<int64_t, 2> size) {
  ArrayRef<int64_t> full = cast<MemRefType>(v.getType()).getShape();
  SmallVector<int64_t> offsets(full.size(), 0), sizes(full),
      strides(full.size(), 1);
  for (unsigned d = 0; d < 2; ++d) {
    offsets[dims[d]] = at[d];
    sizes[dims[d]] = size[d];
  }
  return memref::SubViewOp::create(b, loc, v, offsets, sizes, strides);
}

ArrayRef<int64_t> shapeOf(Value memref) {
  return cast<MemRefType>(memref.getType()).getShape();
}

/// Output rows (or columns) of a padded convolution that take the same
/// filter taps: `count` outputs from `first` take taps [tap, tap + taps),
/// which read the image from row `imageFirst` on.
struct ConvRegion {
  int64_t first, count, tap, taps, imageFirst;
};

/// The regions of one image dim: a run of outputs at each border whose
/// windows overlap the padding (each with fewer taps) and the interior.
SmallVector<ConvRegion> convRegions(int64_t image, int64_t outputs,
                                    int64_t filter, int64_t stride,
                                    int64_t dilation, int64_t padBefore) {
  SmallVector<ConvRegion> regions;
  for (int64_t y = 0; y < outputs; ++y) {
    // Taps t with 0 <= y * stride + t * dilation - padBefore < image.
    int64_t start = y * stride - padBefore;
    int64_t first = start >= 0 ? 0 : llvm::divideCeil(-start, dilation);
    int64_t end = image - 1 - start < 0
                      ? 0
                      : std::min(filter, (image - 1 - start) / dilation + 1);
    ConvRegion r{y, 1, first, std::max<int64_t>(end - first, 0),
                 start + first * dilation};
    if (r.taps == 0)
      r.tap = r.imageFirst = 0;
    ConvRegion *last = regions.empty() ? nullptr : &regions.back();
    if (last && last->tap == r.tap && last->taps == r.taps)
      ++last->count;
    else
      regions.push_back(r);
  }
  return regions;
}

/// A padded convolution as unpadded ones, in whichever way moves fewer
/// bytes:
///  - regions: one convolution per border and interior region, on views of
///    the image and of the filters cut to the taps that reach the image
///    (a region whose windows see only padding is zero, or, accumulating,
///    kept). Each region reads its taps' filters again: cheap for a large
///    image and small filters (the 3x3 layers at 56x56);
///  - for a small image under large filters (3x3 512->512 at 7x7, whose
///    regions would read its 9.4 MB of filters 5.4 times), either
///    - per tap: one 1x1 convolution per filter tap on the outputs whose
///      windows meet the image there, accumulating; each reads its tap's
///      filters once, and the output and image again: when both fit the
///      target's L2 (7x7 and 14x14 in ResNet-50), or
///    - a padded copy: the image moved into a scratch buffer with zero
///      borders, and one convolution on it (its multiplies by the borders
///      wasted; 3x3 128->128 at 28x28).
struct DecomposeConvPadding : OpRewritePattern<spec::Conv2DOp> {
  DecomposeConvPadding(MLIRContext *ctx, const synth::Target &target)
      : OpRewritePattern(ctx),
        l2Bytes(target.level(synth::MemoryLevel::L2).capacity) {}
  LogicalResult matchAndRewrite(spec::Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.isPadded())
      return rewriter.notifyMatchFailure(op, "not padded");
    Location loc = op.getLoc();
    auto [ip, fp, outPos] = op.getDimPositions();
    std::array<int64_t, 4> pads = op.getPads();
    std::array<SmallVector<ConvRegion>, 2> regions;
    for (unsigned d = 0; d < 2; ++d)
      regions[d] = convRegions(
          shapeOf(op.getImage())[ip[1 + d]],
          shapeOf(op.getOut())[outPos[1 + d]], shapeOf(op.getFilters())[fp[d]],
          op.getStrides()[d], op.getDilations()[d], pads[d]);
    auto view = [&](Value v, std::array<int64_t, 2> pos,
                    std::array<int64_t, 2> at, std::array<int64_t, 2> size) {
      return viewAlong(rewriter, loc, v, pos, at, size);
    };
    // Bytes each way moves beyond the unpadded convolution: the filters'
    // taps read again per region; the copy's reads and writes.
    auto bytes = [](Value v) {
      auto type = cast<MemRefType>(v.getType());
      return type.getNumElements() *
             int64_t(llvm::divideCeil(type.getElementTypeBitWidth(), 8));
    };
    ArrayRef<int64_t> filterShape = shapeOf(op.getFilters());
    int64_t taps = filterShape[fp[0]] * filterShape[fp[1]], regionTaps = 0;
    for (const ConvRegion &h : regions[0])
      for (const ConvRegion &w : regions[1])
        regionTaps += h.taps * w.taps;
    int64_t rereadBytes = (regionTaps - taps) * (bytes(op.getFilters()) / taps);
    int64_t imageBytes = bytes(op.getImage());
    int64_t copyBytes = 3 * imageBytes; // read, write, read again by the conv
    // Regions and taps are views of every operand; the copy takes them
    // whole (the only way for a blocked one).
    bool viewable = llvm::all_of(op->getOperands(), isViewable);
    if (!viewable || copyBytes < rereadBytes) {
      // Per tap, the output is read and written again and the image read
      // again: from cache while both fit, for no multiply by padding (which
      // the copy spends: a fifth of the work of a 3x3 layer at 7x7).
      if (viewable && !op.isDepthwise() &&
          bytes(op.getOut()) + bytes(op.getImage()) <= l2Bytes)
        convolvePerTap(op, rewriter);
      else
        convolvePaddedCopy(op, rewriter);
      return success();
    }
    for (const ConvRegion &h : regions[0])
      for (const ConvRegion &w : regions[1]) {
        Value out = view(op.getOut(), {outPos[1], outPos[2]},
                         {h.first, w.first}, {h.count, w.count});
        if (h.taps == 0 || w.taps == 0) {
          if (!op.getAccumulate())
            spec::FillOp::create(rewriter, loc, out, spec::FillValue::Zero);
          continue;
        }
        std::array<int64_t, 2> reach;
        for (auto [d, r] : llvm::enumerate(std::array{h, w}))
          reach[d] = (r.count - 1) * op.getStrides()[d] +
                     (r.taps - 1) * op.getDilations()[d] + 1;
        Value image = view(op.getImage(), {ip[1], ip[2]},
                           {h.imageFirst, w.imageFirst}, reach);
        Value filters = view(op.getFilters(), {fp[0], fp[1]}, {h.tap, w.tap},
                             {h.taps, w.taps});
        spec::Conv2DOp::create(rewriter, loc, TypeRange{}, image, filters, out,
                               op.getAccumulate(), op.getFormat(),
                               op.getStrides(), op.getDilations(),
                               ArrayRef<int64_t>{0, 0});
      }
    rewriter.eraseOp(op);
    return success();
  }

  /// One convolution per filter tap, on the outputs whose windows meet the
  /// image at that tap: no multiply by padding.
  static void convolvePerTap(spec::Conv2DOp op, PatternRewriter &rewriter) {
    Location loc = op.getLoc();
    // Named arrays, not structured bindings: the lambdas below capture them.
    std::array<std::array<int64_t, 4>, 3> positions = op.getDimPositions();
    const std::array<int64_t, 4> &ip = positions[0], &fp = positions[1],
                                 &outPos = positions[2];
    std::array<int64_t, 4> pads = op.getPads();
    ArrayRef<int64_t> image = shapeOf(op.getImage()),
                      filters = shapeOf(op.getFilters()),
                      out = shapeOf(op.getOut());
    // Per tap along each dim: the first output that meets the image, how
    // many do, and the image row the first one reads.
    struct Run {
      int64_t first, count, imageFirst;
    };
    auto reach = [&](unsigned d, const Run &run) {
      return (run.count - 1) * op.getStrides()[d] + 1;
    };
    auto runOf = [&](unsigned d, int64_t tap) -> Run {
      int64_t stride = op.getStrides()[d], size = image[ip[1 + d]];
      int64_t at = tap * op.getDilations()[d] - pads[d]; // output 0's row
      int64_t first = at >= 0 ? 0 : llvm::divideCeil(-at, stride);
      int64_t last = size - 1 - at < 0 ? -1 : (size - 1 - at) / stride;
      last = std::min(last, out[outPos[1 + d]] - 1);
      return {first, std::max<int64_t>(last - first + 1, 0),
              at + first * stride};
    };
    if (!op.getAccumulate())
      spec::FillOp::create(rewriter, loc, op.getOut(), spec::FillValue::Zero);
    for (int64_t r = 0; r < filters[fp[0]]; ++r)
      for (int64_t s = 0; s < filters[fp[1]]; ++s) {
        Run h = runOf(0, r), w = runOf(1, s);
        if (h.count == 0 || w.count == 0)
          continue;
        Value tapImage =
            viewAlong(rewriter, loc, op.getImage(), {ip[1], ip[2]},
                      {h.imageFirst, w.imageFirst}, {reach(0, h), reach(1, w)});
        Value tapFilters = viewAlong(rewriter, loc, op.getFilters(),
                                     {fp[0], fp[1]}, {r, s}, {1, 1});
        Value tapOut =
            viewAlong(rewriter, loc, op.getOut(), {outPos[1], outPos[2]},
                      {h.first, w.first}, {h.count, w.count});
        spec::Conv2DOp::create(rewriter, loc, TypeRange{}, tapImage, tapFilters,
                               tapOut, /*accumulate=*/true, op.getFormat(),
                               op.getStrides(), ArrayRef<int64_t>{1, 1},
                               ArrayRef<int64_t>{0, 0});
      }
    rewriter.eraseOp(op);
  }

  /// The image in a zero-bordered scratch buffer, and `op` without padding
  /// on that.
  static void convolvePaddedCopy(spec::Conv2DOp op, PatternRewriter &rewriter) {
    Location loc = op.getLoc();
    auto type = cast<MemRefType>(op.getImage().getType());
    std::array<int64_t, 4> imageDims = op.getDimPositions()[0];
    std::array<int64_t, 4> pads = op.getPads();
    SmallVector<int64_t> padded(type.getShape());
    for (unsigned d = 0; d < 2; ++d)
      padded[imageDims[1 + d]] += pads[d] + pads[2 + d];
    Value scratch = memref::AllocOp::create(
        rewriter, loc, MemRefType::get(padded, type.getElementType()),
        ValueRange{}, rewriter.getI64IntegerAttr(64));
    // The part of `scratch` from rows/columns `at`, `size` of them.
    auto part = [&](std::array<int64_t, 2> at, std::array<int64_t, 2> size) {
      return viewAlong(rewriter, loc, scratch, {imageDims[1], imageDims[2]}, at,
                       size);
    };
    int64_t columns = padded[imageDims[2]];
    int64_t height = type.getDimSize(imageDims[1]),
            width = type.getDimSize(imageDims[2]);
    // The borders: top and bottom rows whole, then the sides between.
    SmallVector<std::pair<std::array<int64_t, 2>, std::array<int64_t, 2>>>
        borders = {{{0, 0}, {pads[0], columns}},
                   {{pads[0] + height, 0}, {pads[2], columns}},
                   {{pads[0], 0}, {height, pads[1]}},
                   {{pads[0], pads[1] + width}, {height, pads[3]}}};
    for (auto [at, size] : borders)
      if (size[0] > 0 && size[1] > 0)
        spec::FillOp::create(rewriter, loc, part(at, size),
                             spec::FillValue::Zero);
    spec::MoveOp::create(rewriter, loc, TypeRange{}, op.getImage(),
                         part({pads[0], pads[1]}, {height, width}));
    spec::Conv2DOp::create(rewriter, loc, TypeRange{}, scratch, op.getFilters(),
                           op.getOut(), op.getAccumulate(), op.getFormat(),
                           op.getStrides(), op.getDilations(),
                           ArrayRef<int64_t>{0, 0});
    memref::DeallocOp::create(rewriter, loc, scratch);
    rewriter.eraseOp(op);
  }

private:
  /// The bytes the target's L2 holds for a program (per tap, the output
  /// and image must fit).
  int64_t l2Bytes;
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
    if (!isa<spec::SpecOpInterface>(op) || op->getNumOperands() == 0 ||
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

/// A unary op in place on what the op just before it wrote, a binary op
/// without an epilogue into f32: the binary op with the unary function as
/// its epilogue, one pass instead of two (a bias add, then its ReLU).
struct FuseEpilogue : RewritePattern {
  FuseEpilogue(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}
  LogicalResult matchAndRewrite(Operation *unary,
                                PatternRewriter &rewriter) const override {
    std::optional<synth::ElementwiseFn> g = spec::elementwiseFnOf(unary);
    if (!g || !synth::isEpilogue(uint8_t(*g)) || unary->getNumResults() ||
        unary->getOperand(0) != unary->getOperand(1))
      return failure();
    Operation *binary = unary->getPrevNode();
    std::optional<synth::ElementwiseFn> f =
        binary ? spec::elementwiseFnOf(binary) : std::nullopt;
    if (!f || synth::arityOf(uint8_t(*f)) != 2 || spec::epilogueOf(binary) ||
        binary->getOperand(2) != unary->getOperand(0) ||
        !mlir::getElementTypeOrSelf(binary->getOperand(2).getType()).isF32())
      return failure();
    auto epilogue = spec::UnaryFnAttr::get(
        rewriter.getContext(), *spec::symbolizeUnaryFn(synth::nameOf(*g)));
    rewriter.modifyOpInPlace(binary,
                             [&] { binary->setAttr("epilogue", epilogue); });
    rewriter.eraseOp(unary);
    return success();
  }
};

} // namespace

void spec::populateDecompositionPatterns(RewritePatternSet &patterns,
                                         const synth::Target &target) {
  patterns.add<DecomposeSoftmax, ScalarsAsVectors>(patterns.getContext());
  patterns.add<DecomposeConvPadding>(patterns.getContext(), target);
}

void spec::populateEpilogueFusionPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseEpilogue>(patterns.getContext());
}

LogicalResult spec::decomposeSpecOps(Operation *root,
                                     const synth::Target &target) {
  // Outside a pass (tessel explain) nothing has loaded what the patterns make.
  root->getContext()
      ->loadDialect<arith::ArithDialect, memref::MemRefDialect,
                    scf::SCFDialect>();
  RewritePatternSet patterns(root->getContext());
  populateDecompositionPatterns(patterns, target);
  populateEpilogueFusionPatterns(patterns);
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
  // A padded convolution synthesis cannot state: one error, not one per
  // region.
  root->walk([&](spec::Conv2DOp op) {
    if (op.isPadded() && failed(verifySynthesizableConv(op)))
      unsupported = true;
  });
  if (unsupported)
    return failure();
  return applyPatternsGreedily(root, std::move(patterns), config);
}
