//===- Conv.cpp - 2-D convolutions in linalg to spec.conv2d ---------------===//
//
// linalg.conv_2d_nhwc_hwcf, conv_2d_nchw_fchw, conv_2d_nhwc_fhwc and the
// depthwise depthwise_conv_2d_nhwc_hwc and _nchw_chw (which accumulate
// into their output), and linalg.generic convolutions in those forms
// (named by upstream's specializer first), become accumulating spec.conv2d ops
// of the same format, strides and dilations, on a view of the image rows and
// columns the windows reach; a zero fill just before becomes an
// overwriting one (LinalgToSpec.cpp, fuseZeroFills), and a zero tensor.pad
// of the image's rows and columns (or on buffers, a copy into the interior
// of a zero-filled allocation) becomes the convolution's padding.
//
//===----------------------------------------------------------------------===//

#include "Views.h"
#include "tessel/Conversion/LinalgToSpec/LinalgToSpec.h"

#include "tessel/Dialect/Spec/IR/SpecOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace tessel;

namespace {

/// Zero padding around an image the convolution can read instead: its
/// `source` and the padding `low` of each image dim. (What made the padded
/// image goes after the import when nothing reads it: erasePaddedImages.)
struct ZeroPadding {
  Value source;
  SmallVector<int64_t> low;
};

/// Whether `value` is a floating-point zero constant.
bool isZero(Value value) {
  return value && matchPattern(value, m_AnyZeroFloat());
}

/// `image` as a zero tensor.pad of its source.
std::optional<ZeroPadding> padOp(Value image) {
  auto pad = image.getDefiningOp<tensor::PadOp>();
  if (!pad || !isZero(pad.getConstantPaddingValue()))
    return std::nullopt;
  ArrayRef<int64_t> high = pad.getStaticHigh();
  if (llvm::any_of(high,
                   [](int64_t p) { return ShapedType::isDynamic(p) || p < 0; }))
    return std::nullopt;
  return ZeroPadding{pad.getSource(), llvm::to_vector(pad.getStaticLow())};
}

/// Whether `op` fills all of `buffer` with zeros (a linalg.fill, or the
/// spec.fill the import made of one).
bool isZeroFillOf(Operation *op, Value buffer) {
  if (auto f = dyn_cast<linalg::FillOp>(op))
    return f.getOutputs()[0] == buffer && isZero(f.value());
  auto f = dyn_cast<spec::FillOp>(op);
  return f && f.getOut() == buffer && f.getValue() == spec::FillValue::Zero;
}

/// Whether `op` writes (or frees) no memory `value` may share.
bool writesOnlyApartFrom(Operation *op, Value value) {
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return isMemoryEffectFree(op);
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  return llvm::all_of(instances, [&](MemoryEffects::EffectInstance &e) {
    if (!isa<MemoryEffects::Write, MemoryEffects::Free>(e.getEffect()))
      return true;
    Value written = e.getValue();
    return written && isa<MemRefType>(written.getType()) &&
           spec::getOverlap(written, value) == spec::Overlap::Disjoint;
  });
}

/// `image` as a zero-bordered copy on buffers (what bufferizing a
/// tensor.pad leaves): an allocation, a zero fill of it, a copy of the
/// source into a view of its interior, read by `conv` (and the
/// `replacement` being made of it) only, with nothing between the copy and
/// them writing the source.
std::optional<ZeroPadding> paddedCopy(Value image, Operation *conv,
                                      Operation *replacement) {
  auto alloc = image.getDefiningOp<memref::AllocOp>();
  if (!alloc)
    return std::nullopt;
  Operation *fill = nullptr, *copy = nullptr, *dealloc = nullptr;
  memref::SubViewOp interior;
  for (Operation *user : alloc->getUsers()) {
    if (user == conv || user == replacement)
      continue;
    if (isZeroFillOf(user, image) && !fill)
      fill = user;
    else if (auto v = dyn_cast<memref::SubViewOp>(user);
             v && !interior && v->hasOneUse())
      interior = v;
    else if (isa<memref::DeallocOp>(user) && !dealloc)
      dealloc = user;
    else
      return std::nullopt;
  }
  if (!fill || !interior)
    return std::nullopt;
  copy = *interior->getUsers().begin();
  Value source;
  // (Imported already if it came first: the walk imports in order.)
  if (auto c = dyn_cast<memref::CopyOp>(copy); c && c.getTarget() == interior)
    source = c.getSource();
  else if (auto c = dyn_cast<linalg::CopyOp>(copy);
           c && c.getOutputs()[0] == interior)
    source = c.getInputs()[0];
  else if (auto m = dyn_cast<spec::MoveOp>(copy);
           m && m.getOut() == interior &&
           getElementTypeOrSelf(m.getSource().getType()) ==
               getElementTypeOrSelf(image.getType()))
    source = m.getSource();
  // A source spec ops take as it is: the image's element type, a static
  // shape and strides, no memory space.
  auto type = source ? dyn_cast<MemRefType>(source.getType()) : nullptr;
  SmallVector<int64_t> sourceStrides;
  int64_t sourceOffset;
  if (!type || !type.hasStaticShape() ||
      type.getElementType() !=
          cast<MemRefType>(image.getType()).getElementType() ||
      type.getMemorySpace() ||
      failed(type.getStridesAndOffset(sourceStrides, sourceOffset)) ||
      ShapedType::isDynamic(sourceOffset) ||
      llvm::any_of(sourceStrides, ShapedType::isDynamic) ||
      !llvm::all_of(interior.getStaticStrides(),
                    [](int64_t s) { return s == 1; }) ||
      ShapedType::isDynamicShape(interior.getStaticOffsets()) ||
      interior.getStaticSizes() != type.getShape() ||
      fill->getBlock() != conv->getBlock() ||
      copy->getBlock() != conv->getBlock() || !fill->isBeforeInBlock(copy) ||
      !copy->isBeforeInBlock(conv))
    return std::nullopt;
  // The source still holds what was copied when the convolution reads it.
  for (Operation *op = copy->getNextNode(); op != replacement && op != conv;
       op = op->getNextNode())
    if (!writesOnlyApartFrom(op, source))
      return std::nullopt;
  return ZeroPadding{source, llvm::to_vector(interior.getStaticOffsets())};
}

/// The zero padding around `image` the convolution can state instead: of
/// rows and columns only (`dims`: the image's n, h, w, c), non-negative, of
/// a static source, and some window reaching past the top and left
/// padding.
std::optional<ZeroPadding> foldablePadding(Value image, Operation *conv,
                                           Operation *replacement,
                                           std::array<int64_t, 4> dims,
                                           std::array<int64_t, 2> reach) {
  std::optional<ZeroPadding> pad = isa<MemRefType>(image.getType())
                                       ? paddedCopy(image, conv, replacement)
                                       : padOp(image);
  if (!pad || !cast<ShapedType>(pad->source.getType()).hasStaticShape() ||
      llvm::any_of(pad->low,
                   [](int64_t p) { return ShapedType::isDynamic(p) || p < 0; }))
    return std::nullopt;
  ArrayRef<int64_t> padded = cast<ShapedType>(image.getType()).getShape(),
                    shape = cast<ShapedType>(pad->source.getType()).getShape();
  for (int64_t d : {dims[0], dims[3]})
    if (pad->low[d] != 0 || padded[d] != shape[d])
      return std::nullopt;
  for (unsigned d = 0; d < 2; ++d)
    if (reach[d] <= pad->low[dims[1 + d]])
      return std::nullopt;
  return pad;
}

/// `op`, a named linalg convolution in `format`, as spec.conv2d.
LogicalResult importConv(linalg::LinalgOp op, StringRef format,
                         PatternRewriter &rewriter) {
  Value image = op.getDpsInputs()[0], filters = op.getDpsInputs()[1],
        out = op.getDpsInits()[0];
  if (failed(checkImportable(op, {image, filters, out}, rewriter)) ||
      failed(checkOutputOverlap(op, rewriter, /*inPlace=*/false)))
    return failure();
  Type in = getElementTypeOrSelf(image.getType());
  if (!(in.isF32() || in.isBF16()) ||
      getElementTypeOrSelf(filters.getType()) != in ||
      !getElementTypeOrSelf(out.getType()).isF32())
    return rewriter.notifyMatchFailure(
        op, "synthesis convolves f32 or bf16 inputs into f32");
  // Every named convolution states them as these attributes (1 when
  // left out).
  auto values = [&](StringRef name) {
    auto attr = op->getAttrOfType<DenseIntElementsAttr>(name);
    return attr ? llvm::to_vector(attr.getValues<int64_t>())
                : SmallVector<int64_t>{1, 1};
  };
  SmallVector<int64_t> strides = values("strides"),
                       dilations = values("dilations");
  if (llvm::any_of(llvm::concat<int64_t>(strides, dilations),
                   [](int64_t v) { return v < 1 || v > 255; }))
    return rewriter.notifyMatchFailure(
        op, "synthesis takes strides and dilations from 1 to 255");
  Location loc = op.getLoc();
  auto conv = spec::Conv2DOp::create(rewriter, loc, image, filters, out,
                                     /*accumulate=*/true, format,
                                     rewriter.getDenseI64ArrayAttr(strides),
                                     rewriter.getDenseI64ArrayAttr(dilations));
  std::array<int64_t, 4> imageDims = conv.getDimPositions()[0];
  // The image rows and columns the windows reach, from the first row of
  // the padding (the pad's result is the image linalg convolves).
  std::array<int64_t, 2> reach = conv.getImageExtentUsed();
  std::array<int64_t, 4> pads = {0, 0, 0, 0};
  std::optional<ZeroPadding> pad =
      foldablePadding(image, op, conv, imageDims, reach);
  // (On buffers the source may be the output itself: then it stays.)
  if (pad && isa<MemRefType>(out.getType()) &&
      spec::getOverlap(out, pad->source) != spec::Overlap::Disjoint)
    pad = std::nullopt;
  if (pad) {
    image = pad->source;
    ArrayRef<int64_t> shape = cast<ShapedType>(image.getType()).getShape();
    for (unsigned d = 0; d < 2; ++d) {
      pads[d] = pad->low[imageDims[1 + d]];
      pads[2 + d] =
          std::max<int64_t>(0, reach[d] - pads[d] - shape[imageDims[1 + d]]);
    }
    rewriter.modifyOpInPlace(conv, [&] {
      conv.getImageMutable().assign(image);
      conv.setPadding(pads);
    });
  }
  // linalg lets the image extend past the last window; spec.conv2d
  // states the rows it reads (less than a stride past them): a view of
  // the part the windows reach.
  SmallVector<int64_t> used =
      llvm::to_vector(cast<ShapedType>(image.getType()).getShape());
  for (unsigned d = 0; d < 2; ++d)
    used[imageDims[1 + d]] =
        std::min(used[imageDims[1 + d]], reach[d] - pads[d]);
  if (ArrayRef<int64_t>(used) != cast<ShapedType>(image.getType()).getShape()) {
    rewriter.setInsertionPoint(conv);
    SmallVector<OpFoldResult> zeros(4, rewriter.getIndexAttr(0)),
        ones(4, rewriter.getIndexAttr(1)),
        sizes = getAsIndexOpFoldResult(rewriter.getContext(), used);
    Value view = isa<MemRefType>(image.getType())
                     ? Value(memref::SubViewOp::create(rewriter, loc, image,
                                                       zeros, sizes, ones))
                     : Value(tensor::ExtractSliceOp::create(
                           rewriter, loc, image, zeros, sizes, ones));
    rewriter.modifyOpInPlace(conv,
                             [&] { conv.getImageMutable().assign(view); });
  }
  replaceWithSpecOp(rewriter, op, conv);
  return success();
}

/// The named linalg convolutions spec.conv2d states, with their formats.
template <typename OpTy> struct ImportConv : public OpRewritePattern<OpTy> {
  ImportConv(MLIRContext *ctx, StringRef format)
      : OpRewritePattern<OpTy>(ctx), format(format) {}
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    return importConv(op, format, rewriter);
  }
  std::string format;
};

/// A linalg.generic that is a convolution (linalg's convolution interface)
/// becomes the named op upstream's specializer finds for it, and that
/// spec.conv2d when synthesis supports it.
struct NameConvGeneric : public OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    // Silently: another pattern's reason is the one to report.
    if (!linalg::isaConvolutionOpInterface(op))
      return failure();
    // Named only when synthesis takes its types (f32 or bf16 inputs into
    // f32), so a generic stays as it was written otherwise.
    Type in = getElementTypeOrSelf(op.getDpsInputs()[0].getType());
    if (!(in.isF32() || in.isBF16()) ||
        getElementTypeOrSelf(op.getDpsInputs()[1].getType()) != in ||
        !getElementTypeOrSelf(op.getDpsInits()[0].getType()).isF32())
      return rewriter.notifyMatchFailure(
          op, "synthesis convolves f32 or bf16 inputs into f32");
    FailureOr<linalg::LinalgOp> named =
        linalg::specializeGenericOp(rewriter, op);
    if (failed(named))
      return rewriter.notifyMatchFailure(
          op, "a convolution no named linalg op states (synthesis takes "
              "2-D ones in NHWC or NCHW, and depthwise ones)");
    StringRef format =
        TypeSwitch<Operation *, StringRef>(*named)
            .Case([](linalg::Conv2DNhwcHwcfOp) { return "nhwc_hwcf"; })
            .Case([](linalg::Conv2DNchwFchwOp) { return "nchw_fchw"; })
            .Case([](linalg::Conv2DNhwcFhwcOp) { return "nhwc_fhwc"; })
            .Case([](linalg::DepthwiseConv2DNhwcHwcOp) { return "nhwc_hwc"; })
            .Case([](linalg::DepthwiseConv2DNchwChwOp) { return "nchw_chw"; })
            .Default([](Operation *) { return ""; });
    // The generic is named either way; a named op that stays says why.
    if (!format.empty())
      (void)importConv(*named, format, rewriter);
    return success();
  }
};

} // namespace

/// Whether `op` only writes into `buffer` (or a view of it): a zero fill,
/// or a copy or move into it.
static bool onlyWritesInto(Operation *op, Value buffer) {
  if (auto f = dyn_cast<linalg::FillOp>(op))
    return f.getOutputs()[0] == buffer;
  if (auto f = dyn_cast<spec::FillOp>(op))
    return f.getOut() == buffer;
  if (auto c = dyn_cast<memref::CopyOp>(op))
    return c.getTarget() == buffer && c.getSource() != buffer;
  if (auto c = dyn_cast<linalg::CopyOp>(op))
    return c.getOutputs()[0] == buffer && c.getInputs()[0] != buffer;
  if (auto m = dyn_cast<spec::MoveOp>(op))
    return m.getOut() == buffer && m.getSource() != buffer;
  return false;
}

void tessel::erasePaddedImages(Operation *root, RewriterBase &rewriter) {
  // A pad whose convolution reads its source now.
  SmallVector<tensor::PadOp> pads;
  root->walk([&](tensor::PadOp pad) { pads.push_back(pad); });
  for (tensor::PadOp pad : pads)
    if (pad->use_empty())
      rewriter.eraseOp(pad);
  // A buffer only written (filled, copied into through a view) and freed:
  // nothing reads what goes into it.
  SmallVector<memref::AllocOp> allocs;
  root->walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
  for (memref::AllocOp alloc : allocs) {
    SmallVector<Operation *> dead;
    bool throughView = false;
    bool unread = llvm::all_of(alloc->getUsers(), [&](Operation *user) {
      if (isa<memref::DeallocOp>(user) || onlyWritesInto(user, alloc)) {
        dead.push_back(user);
        return true;
      }
      auto view = dyn_cast<memref::SubViewOp>(user);
      if (!view || !llvm::all_of(view->getUsers(), [&](Operation *w) {
            return onlyWritesInto(w, view);
          }))
        return false;
      llvm::append_range(dead, view->getUsers());
      dead.push_back(view);
      throughView = true;
      return true;
    });
    // (Only the padded images: a buffer not copied into through a view was
    // none.)
    if (!unread || !throughView)
      continue;
    for (Operation *op : dead)
      rewriter.eraseOp(op);
    rewriter.eraseOp(alloc);
  }
}

void tessel::populateConvImportPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ImportConv<linalg::Conv2DNhwcHwcfOp>>(ctx, "nhwc_hwcf");
  patterns.add<ImportConv<linalg::Conv2DNchwFchwOp>>(ctx, "nchw_fchw");
  patterns.add<ImportConv<linalg::Conv2DNhwcFhwcOp>>(ctx, "nhwc_fhwc");
  patterns.add<ImportConv<linalg::DepthwiseConv2DNhwcHwcOp>>(ctx, "nhwc_hwc");
  patterns.add<ImportConv<linalg::DepthwiseConv2DNchwChwOp>>(ctx, "nchw_chw");
  patterns.add<NameConvGeneric>(ctx);
}
