//===- Views.cpp - Operand views and their boxes --------------------------===//
#include "Emitter.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"

using namespace tessel;
using namespace tessel::emitter;

Type tessel::emitter::elementType(MLIRContext *ctx, synth::Dtype t) {
  switch (t) {
  case synth::Dtype::F32:
    return Float32Type::get(ctx);
  case synth::Dtype::BF16:
    return BFloat16Type::get(ctx);
  case synth::Dtype::F16:
    return Float16Type::get(ctx);
  case synth::Dtype::I8:
    return IntegerType::get(ctx, 8);
  case synth::Dtype::I16:
    return IntegerType::get(ctx, 16);
  case synth::Dtype::I32:
    return IntegerType::get(ctx, 32);
  }
  llvm_unreachable("bad dtype");
}

OpFoldResult Emitter::add(OpBuilder &b, OpFoldResult x, OpFoldResult y,
                          int64_t scale) {
  AffineExpr d0, d1;
  bindDims(ctx, d0, d1);
  return affine::makeComposedFoldedAffineApply(b, loc, d0 + d1 * scale, {x, y});
}

Value Emitter::box(OpBuilder &b, const View &v, ArrayRef<int> domain,
                   SmallVectorImpl<AffineExpr> *exprs, bool dropUnit,
                   ArrayRef<uint8_t> steps) {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  SmallVector<int64_t> keptShape;
  AffineExpr d0;
  bindDims(ctx, d0);
  const synth::Layout &l = v.layout;
  for (unsigned i = 0; i < l.size(); ++i) {
    unsigned d = l.dim(i);
    int64_t size = v.sizes[d];
    unsigned block = l.block(i), blockOfDim = l.blockOf(d);
    OpFoldResult offset = v.offsets[d];
    int64_t extent = size;
    AffineExpr expr = domain.empty() || domain[d] < 0
                          ? getAffineConstantExpr(0, ctx)
                          : getAffineDimExpr(domain[d], ctx);
    if (block) { // the inner block of a blocked dimension
      offset =
          affine::makeComposedFoldedAffineApply(b, loc, d0 % block, {offset});
      extent = std::min<int64_t>(size, block);
      if (size > block)
        expr = expr % block;
    } else if (blockOfDim) { // the outer part of a blocked dimension
      offset = affine::makeComposedFoldedAffineApply(
          b, loc, d0.floorDiv(blockOfDim), {offset});
      extent = llvm::divideCeil(size, blockOfDim);
      expr = extent == 1 ? getAffineConstantExpr(0, ctx)
                         : expr.floorDiv(blockOfDim);
    }
    if (v.padLanes && i + 1 == l.size())
      extent = llvm::alignTo(extent, v.padLanes);
    // Every step-th element (a strided convolution's image columns).
    int64_t step = steps.empty() ? 1 : steps[d];
    if (step > 1)
      extent = (extent - 1) / step + 1;
    offsets.push_back(offset);
    sizes.push_back(b.getIndexAttr(extent));
    strides.push_back(b.getIndexAttr(step));
    if (dropUnit && extent == 1)
      continue;
    keptShape.push_back(extent);
    if (exprs)
      exprs->push_back(expr);
  }
  auto baseType = cast<MemRefType>(v.base.getType());
  MemRefType type = dropUnit ? memref::SubViewOp::inferRankReducedResultType(
                                   keptShape, baseType, offsets, sizes, strides)
                             : memref::SubViewOp::inferResultType(
                                   baseType, offsets, sizes, strides);
  return memref::SubViewOp::create(b, loc, type, v.base, offsets, sizes,
                                   strides);
}

AffineMapAttr Emitter::boxMap(OpBuilder &b, const View &v, ArrayRef<int> domain,
                              unsigned numDims, Value &boxValue,
                              ArrayRef<uint8_t> steps) {
  SmallVector<AffineExpr> exprs;
  boxValue = box(b, v, domain, &exprs, /*dropUnit=*/true, steps);
  return AffineMapAttr::get(AffineMap::get(numDims, 0, exprs, ctx));
}

AffineMapAttr Emitter::loopBoxMap(OpBuilder &b, const View &v,
                                  const synth::IterationSpace &space,
                                  const synth::Spec &s, unsigned o,
                                  Value &boxValue) {
  // A window's taps are one here (kernels take one tap); its loop steps
  // by the stride.
  SmallVector<int> domain;
  SmallVector<uint8_t> steps;
  for (unsigned d = 0; d < s.operands[o].rank; ++d) {
    domain.push_back(space.maps[o][d].loop);
    steps.push_back(space.maps[o][d].stride);
  }
  return boxMap(b, v, domain, space.numLoops, boxValue, steps);
}
