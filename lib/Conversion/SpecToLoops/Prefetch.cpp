//===- Prefetch.cpp - Lines the kernels fetch ahead -----------------------===//
#include "Emitter.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "tessel/Dialect/Ukernel/IR/UkernelOps.h"

using namespace tessel;
using namespace tessel::emitter;

/// Whether `impl` runs a kernel that can carry prefetches.
static bool hasPrefetchingKernel(const Impl &impl) {
  if (impl.action.kind == synth::ActionKind::Select)
    return impl.action.kernel == synth::KernelId::BroadcastFmaTile ||
           impl.action.kernel == synth::KernelId::DotBf16Tile;
  return llvm::any_of(impl.children, hasPrefetchingKernel);
}

void Emitter::sharePrefetches(OpBuilder &nb, ValueRange ivs,
                              ArrayRef<int64_t> trips,
                              ArrayRef<int64_t> steps) {
  AffineExpr iteration = getAffineConstantExpr(0, ctx);
  int64_t total = 1;
  for (unsigned i = 0; i < ivs.size(); ++i) {
    iteration =
        iteration * trips[i] + getAffineDimExpr(i, ctx).floorDiv(steps[i]);
    total *= trips[i];
  }
  for (Prefetch &p : prefetches) {
    int64_t share = llvm::divideCeil(p.count, total);
    SmallVector<OpFoldResult> operands(ivs.begin(), ivs.end());
    operands.push_back(p.first);
    p.first = affine::makeComposedFoldedAffineApply(
        nb, loc,
        AffineMap::get(ivs.size() + 1, 0,
                       getAffineDimExpr(ivs.size(), ctx) + iteration * share),
        operands);
    p.count = share;
  }
}

void Emitter::prefetchNextTiles(
    OpBuilder &nb, const Impl &impl, const Impl &child, ArrayRef<View> views,
    ValueRange ivs, int64_t step, int64_t last,
    llvm::function_ref<SmallVector<View>(OpBuilder &, ValueRange)> viewsAt) {
  // The engine decided which input tiles the body fetches ahead
  // (prefetchNextTiles in Actions.cpp): those the body holds prefetched and
  // this loop does not. The body's kernels fetch the next iteration's tile
  // while they run.
  if (!hasPrefetchingKernel(child))
    return;
  const synth::Spec &s = impl.spec;
  for (unsigned o = 0; o < s.numOperands(); ++o) {
    const synth::TensorSpec &read = child.spec.operands[o];
    if (!read.prefetched || s.operands[o].prefetched)
      continue;
    SmallVector<int64_t> extents;
    for (uint32_t e : views[o].layout.physicalExtents(read.dims()))
      extents.push_back(e);
    int64_t lines = ukernel::cacheLines(
                        MemRefType::get(extents, elementType(ctx, read.dtype)))
                        .count;
    // The next tile along the innermost loop (the last one stays put).
    SmallVector<Value> next(ivs);
    AffineExpr d0 = getAffineDimExpr(0, ctx);
    next.back() = affine::AffineMinOp::create(
        nb, loc,
        AffineMap::get(1, 0, {d0 + step, getAffineConstantExpr(last, ctx)},
                       ctx),
        ValueRange{ivs.back()});
    View source = viewsAt(nb, next)[o];
    prefetches.push_back(
        Prefetch{box(nb, source, {}, nullptr, /*dropUnit=*/false),
                 nb.getIndexAttr(0), lines});
  }
}
