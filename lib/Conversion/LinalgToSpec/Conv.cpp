//===- Conv.cpp - 2-D convolutions in linalg to spec.conv2d ---------------===//
//
// linalg.conv_2d_nhwc_hwcf, conv_2d_nchw_fchw, conv_2d_nhwc_fhwc and the
// depthwise depthwise_conv_2d_nhwc_hwc and _nchw_chw (which accumulate
// into their output) become accumulating spec.conv2d ops of the
// same format, strides and dilations, on a view of the image rows and
// columns the windows reach; a zero fill just before becomes an
// overwriting one (LinalgToSpec.cpp, fuseZeroFills), and a zero tensor.pad
// of the image's rows and columns becomes the convolution's padding.
//
//===----------------------------------------------------------------------===//

#include "Views.h"

#include "tessel/Dialect/Spec/IR/SpecOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace tessel;

namespace {

/// The tensor.pad producing `image` when the convolution can read its
/// source with the padding stated instead: zeros, static, around rows and
/// columns only, and some window reaches past the top and left padding.
tensor::PadOp foldablePadding(Value image, std::array<int64_t, 4> dims,
                              std::array<int64_t, 2> reach) {
  auto pad = image.getDefiningOp<tensor::PadOp>();
  if (!pad)
    return {};
  Value value = pad.getConstantPaddingValue();
  if (!value || !matchPattern(value, m_AnyZeroFloat()))
    return {};
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  if (llvm::any_of(llvm::concat<const int64_t>(low, high),
                   ShapedType::isDynamic))
    return {};
  for (int64_t d : {dims[0], dims[3]})
    if (low[d] != 0 || high[d] != 0)
      return {};
  for (unsigned d = 0; d < 2; ++d)
    if (reach[d] <= low[dims[1 + d]])
      return {};
  return pad;
}

template <typename OpTy> struct ImportConv : public OpRewritePattern<OpTy> {
  ImportConv(MLIRContext *ctx, StringRef format)
      : OpRewritePattern<OpTy>(ctx), format(format) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
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
    auto values = [](DenseIntElementsAttr attr) {
      return llvm::to_vector(attr.getValues<int64_t>());
    };
    SmallVector<int64_t> strides = values(op.getStrides()),
                         dilations = values(op.getDilations());
    if (llvm::any_of(llvm::concat<int64_t>(strides, dilations),
                     [](int64_t v) { return v < 1 || v > 255; }))
      return rewriter.notifyMatchFailure(
          op, "synthesis takes strides and dilations from 1 to 255");
    Location loc = op.getLoc();
    auto conv = spec::Conv2DOp::create(
        rewriter, loc, image, filters, out, /*accumulate=*/true, format,
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
    if (ArrayRef<int64_t>(used) !=
        cast<ShapedType>(image.getType()).getShape()) {
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

  std::string format;
};

} // namespace

void tessel::populateConvImportPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ImportConv<linalg::Conv2DNhwcHwcfOp>>(ctx, "nhwc_hwcf");
  patterns.add<ImportConv<linalg::Conv2DNchwFchwOp>>(ctx, "nchw_fchw");
  patterns.add<ImportConv<linalg::Conv2DNhwcFhwcOp>>(ctx, "nhwc_fhwc");
  patterns.add<ImportConv<linalg::DepthwiseConv2DNhwcHwcOp>>(ctx, "nhwc_hwc");
  patterns.add<ImportConv<linalg::DepthwiseConv2DNchwChwOp>>(ctx, "nchw_chw");
}
