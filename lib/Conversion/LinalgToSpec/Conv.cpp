//===- Conv.cpp - 2-D convolutions in linalg to spec.conv2d ---------------===//
//
// linalg.conv_2d_nhwc_hwcf, conv_2d_nchw_fchw, conv_2d_nhwc_fhwc and the
// depthwise depthwise_conv_2d_nhwc_hwc and _nchw_chw (which accumulate
// into their output), and linalg.generic convolutions in those forms
// (named by upstream's specializer first), become accumulating spec.conv2d ops
// of the same format, strides and dilations, on a view of the image rows and
// columns the windows reach; a zero fill just before becomes an
// overwriting one (LinalgToSpec.cpp, fuseZeroFills), and a zero tensor.pad
// of the image's rows and columns becomes the convolution's padding.
//
//===----------------------------------------------------------------------===//

#include "Views.h"

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

/// The tensor.pad producing `image` when the convolution can read its
/// source with the padding stated instead: zeros, static and non-negative
/// around rows and columns only, of a static source, and some window
/// reaches past the top and left padding.
tensor::PadOp foldablePadding(Value image, std::array<int64_t, 4> dims,
                              std::array<int64_t, 2> reach) {
  auto pad = image.getDefiningOp<tensor::PadOp>();
  if (!pad)
    return {};
  Value value = pad.getConstantPaddingValue();
  if (!value || !matchPattern(value, m_AnyZeroFloat()))
    return {};
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  if (!pad.getSourceType().hasStaticShape() ||
      llvm::any_of(llvm::concat<const int64_t>(low, high),
                   [](int64_t p) { return ShapedType::isDynamic(p) || p < 0; }))
    return {};
  for (int64_t d : {dims[0], dims[3]})
    if (low[d] != 0 || high[d] != 0)
      return {};
  for (unsigned d = 0; d < 2; ++d)
    if (reach[d] <= low[dims[1 + d]])
      return {};
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
  // Every named convolution states them as these attributes.
  auto values = [&](StringRef name) {
    return llvm::to_vector(
        op->getAttrOfType<DenseIntElementsAttr>(name).getValues<int64_t>());
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
  tensor::PadOp pad = foldablePadding(image, imageDims, reach);
  if (pad) {
    image = pad.getSource();
    ArrayRef<int64_t> low = pad.getStaticLow();
    ArrayRef<int64_t> shape = cast<ShapedType>(image.getType()).getShape();
    for (unsigned d = 0; d < 2; ++d) {
      pads[d] = low[imageDims[1 + d]];
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
  // Nothing else needs the padded image: do not leave it to be made.
  if (pad && pad->use_empty())
    rewriter.eraseOp(pad);
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

void tessel::populateConvImportPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ImportConv<linalg::Conv2DNhwcHwcfOp>>(ctx, "nhwc_hwcf");
  patterns.add<ImportConv<linalg::Conv2DNchwFchwOp>>(ctx, "nchw_fchw");
  patterns.add<ImportConv<linalg::Conv2DNhwcFhwcOp>>(ctx, "nhwc_fhwc");
  patterns.add<ImportConv<linalg::DepthwiseConv2DNhwcHwcOp>>(ctx, "nhwc_hwc");
  patterns.add<ImportConv<linalg::DepthwiseConv2DNchwChwOp>>(ctx, "nchw_chw");
  patterns.add<NameConvGeneric>(ctx);
}
