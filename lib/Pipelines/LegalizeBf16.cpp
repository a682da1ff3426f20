//===- LegalizeBf16.cpp - --tessel-legalize-bf16 --------------------------===//
//
// Without AVX512-BF16, LLVM's x86 backend treats bf16 as a float type it
// must emulate: an f32 -> bf16 truncation becomes a call of `__truncsfbf2`,
// and a masked load or store of bf16 lanes (AVX2 has none of 16-bit lanes)
// is split into lanes that round-trip through f32 with the same call. Neither
// the JIT nor Debian 12's libgcc (GCC 12) provides it: the code would not
// load, or an object would not link. Rounding in integer arithmetic and
// moving bf16 lanes as i16 need no runtime.
//
//===----------------------------------------------------------------------===//

#include "tessel/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace tessel {
#define GEN_PASS_DEF_TESSELLEGALIZEBF16
#include "tessel/Conversion/Passes.h.inc"
} // namespace tessel

using namespace mlir;

namespace {
/// The same lanes as i16, or null if `t` is no vector of bf16.
VectorType asI16(Type t) {
  auto vector = dyn_cast<VectorType>(t);
  if (!vector || !vector.getElementType().isBF16())
    return {};
  return vector.clone(IntegerType::get(t.getContext(), 16));
}

struct MaskedLoadAsI16 : OpRewritePattern<LLVM::MaskedLoadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LLVM::MaskedLoadOp op,
                                PatternRewriter &b) const override {
    VectorType i16 = asI16(op.getType());
    if (!i16)
      return failure();
    Value passThru = op.getPassThru();
    if (passThru)
      passThru = LLVM::BitcastOp::create(b, op.getLoc(), i16, passThru);
    auto load = LLVM::MaskedLoadOp::create(
        b, op.getLoc(), i16, op.getData(), op.getMask(), passThru,
        op.getAlignmentAttr(), op.getNontemporalAttr());
    b.replaceOpWithNewOp<LLVM::BitcastOp>(op, op.getType(), load);
    return success();
  }
};

struct MaskedStoreAsI16 : OpRewritePattern<LLVM::MaskedStoreOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LLVM::MaskedStoreOp op,
                                PatternRewriter &b) const override {
    VectorType i16 = asI16(op.getValue().getType());
    if (!i16)
      return failure();
    Value lanes = LLVM::BitcastOp::create(b, op.getLoc(), i16, op.getValue());
    b.modifyOpInPlace(op, [&] { op.getValueMutable().assign(lanes); });
    return success();
  }
};

struct TesselLegalizeBf16
    : public tessel::impl::TesselLegalizeBf16Base<TesselLegalizeBf16> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    arith::populateExpandBFloat16Patterns(patterns);
    patterns.add<MaskedLoadAsI16, MaskedStoreAsI16>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
