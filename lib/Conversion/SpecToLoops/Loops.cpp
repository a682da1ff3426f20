//===- Loops.cpp - Tilings, splits and parallel bodies --------------------===//
#include "Emitter.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/ADT/ScopeExit.h"

using namespace tessel;
using namespace tessel::emitter;

void Emitter::emit(OpBuilder &b, const Impl &impl, ArrayRef<View> views) {
  switch (impl.action.kind) {
  case synth::ActionKind::None:
    llvm_unreachable("unsolved spec in a program");
  case synth::ActionKind::Select:
    return emitKernel(b, impl, views);
  case synth::ActionKind::ToAccum:
    // Zero C, then accumulate into it.
    emit(b, impl.children[0], views.take_back(1));
    return emit(b, impl.children[1], views);
  case synth::ActionKind::Move:
    return emitMove(b, impl, views);
  case synth::ActionKind::TileOut:
  case synth::ActionKind::Split:
    return emitLoops(b, impl, views);
  }
}

/// Whether every kernel of `impl` is a scalar one.
static bool onlyScalarKernels(const Impl &impl) {
  if (impl.action.kind == synth::ActionKind::Select)
    return synth::isScalarKernel(impl.action.kernel);
  return llvm::all_of(impl.children, onlyScalarKernels);
}

/// Keeps LLVM from vectorizing and unrolling a loop of scalar kernels: the
/// search priced them one element at a time, and LLVM's vectorized, fully
/// unrolled version of a small strided copy is a block of thousands of
/// instructions that takes seconds to schedule. (Every marked loop shares
/// one attribute, hence one !llvm.loop node: harmless for hints that only
/// disable.)
static void keepScalar(scf::ForOp loop) {
  MLIRContext *ctx = loop.getContext();
  auto disable = BoolAttr::get(ctx, true);
  auto vectorize = LLVM::LoopVectorizeAttr::get(
      ctx, disable, /*predicateEnable=*/{}, /*scalableEnable=*/{},
      /*width=*/{}, /*followupVectorized=*/{}, /*followupEpilogue=*/{},
      /*followupAll=*/{});
  auto unroll = LLVM::LoopUnrollAttr::get(
      ctx, disable, /*count=*/{}, /*runtimeDisable=*/{}, /*full=*/{},
      /*followupUnrolled=*/{}, /*followupRemainder=*/{}, /*followupAll=*/{});
  loop->setAttr("llvm.loop_annotation",
                LLVM::LoopAnnotationAttr::get(
                    ctx, /*disableNonforced=*/{}, vectorize,
                    /*interleave=*/{}, unroll, /*unrollAndJam=*/{},
                    /*licm=*/{}, /*distribute=*/{}, /*pipeline=*/{},
                    /*peeled=*/{}, /*unswitch=*/{}, /*mustProgress=*/{},
                    /*isVectorized=*/{}, /*startLoc=*/{}, /*endLoc=*/{},
                    /*parallelAccesses=*/{}));
}

void Emitter::emitLoops(OpBuilder &b, const Impl &impl, ArrayRef<View> views) {
  const synth::Spec &s = impl.spec;
  const synth::IterationSpace space = *synth::iterationSpace(s);
  bool isSplit = impl.action.kind == synth::ActionKind::Split;
  synth::Shape extent, tile;
  if (isSplit) {
    extent = {space.extents[synth::loopOf(space, impl.action, 0)]};
    tile = {impl.action.size[0]};
  } else {
    llvm::ArrayRef<uint32_t> out = s.output().dims();
    extent.assign(out.begin(), out.end());
    tile.assign(impl.action.size.begin(),
                impl.action.size.begin() + extent.size());
  }
  SmallVector<unsigned> dims; // the tiled dimensions, as the engine numbers
  for (unsigned d = 0; d < extent.size(); ++d)
    if (tile[d] < extent[d])
      dims.push_back(d);

  for (unsigned c = 0; c < impl.children.size(); ++c) {
    const Impl &child = impl.children[c];
    const synth::Child &info = impl.childInfo[c];
    // Full tiles loop; a remainder region sits after the last full tile.
    SmallVector<unsigned> loopDims;
    SmallVector<OpFoldResult> fixed(extent.size(), b.getIndexAttr(0));
    for (auto [j, d] : llvm::enumerate(dims)) {
      uint32_t full = extent[d] / tile[d] * tile[d];
      if (info.remainderMask & (1u << j))
        fixed[d] = b.getIndexAttr(full);
      else if (full > tile[d])
        loopDims.push_back(d);
    }
    auto childViews = [&](OpBuilder &nb, ValueRange ivs) {
      SmallVector<OpFoldResult> local = fixed;
      for (unsigned i = 0; i < loopDims.size(); ++i)
        local[loopDims[i]] = ivs[i];
      SmallVector<View> result;
      for (unsigned o = 0; o < s.numOperands(); ++o) {
        View v = views[o];
        // Each operand dim moves by its loops' offsets times their stride
        // (dilation for a window).
        for (unsigned od = 0; od < s.operands[o].rank; ++od) {
          const synth::IndexExpr &e = space.maps[o][od];
          for (unsigned d = 0; d < extent.size(); ++d) {
            unsigned loop = synth::loopOf(space, impl.action, d);
            if (isConstantIntValue(local[d], 0) || !e.uses(loop))
              continue;
            v.offsets[od] = add(nb, v.offsets[od], local[d],
                                int(loop) == e.loop ? e.stride : e.dilation);
          }
        }
        llvm::ArrayRef<uint32_t> sizes = child.spec.operands[o].dims();
        v.sizes.assign(sizes.begin(), sizes.end());
        result.push_back(v);
      }
      return result;
    };

    auto emitBody = [&](OpBuilder &nb, ValueRange ivs) {
      SmallVector<View> cv = childViews(nb, ivs);
      if (impl.action.parallel)
        emitParallelBody(nb, child, cv);
      else
        emit(nb, child, cv);
    };
    // Only the first child (the loop over full tiles, or the single tile)
    // takes the enclosing body's prefetches; later ones would repeat them.
    SmallVector<Prefetch> enclosing = prefetches;
    if (c > 0 || impl.action.parallel)
      prefetches.clear();
    llvm::scope_exit restore([&] { prefetches = enclosing; });
    if (loopDims.empty()) {
      emitBody(b, {});
      continue;
    }
    SmallVector<OpFoldResult> lbs, ubs, steps;
    for (unsigned d : loopDims) {
      lbs.push_back(b.getIndexAttr(0));
      ubs.push_back(b.getIndexAttr(extent[d] / tile[d] * tile[d]));
      steps.push_back(b.getIndexAttr(tile[d]));
    }
    Operation *outer;
    if (impl.action.parallel) {
      auto forall = scf::ForallOp::create(b, loc, lbs, ubs, steps, ValueRange{},
                                          std::nullopt);
      OpBuilder nb = OpBuilder::atBlockTerminator(forall.getBody());
      emitBody(nb, forall.getInductionVars());
      outer = forall;
    } else {
      // A nest of scf.for, outermost first.
      SmallVector<Value> ivs;
      OpBuilder nb = b;
      outer = nullptr;
      bool scalar = onlyScalarKernels(child);
      for (unsigned i = 0; i < loopDims.size(); ++i) {
        auto loop = scf::ForOp::create(
            nb, loc, getValueOrCreateConstantIndexOp(nb, loc, lbs[i]),
            getValueOrCreateConstantIndexOp(nb, loc, ubs[i]),
            getValueOrCreateConstantIndexOp(nb, loc, steps[i]));
        if (!outer)
          outer = loop;
        if (scalar)
          keepScalar(loop);
        ivs.push_back(loop.getInductionVar());
        nb.setInsertionPoint(loop.getBody()->getTerminator());
      }
      SmallVector<int64_t> trips, tileSteps;
      for (unsigned d : loopDims) {
        trips.push_back(extent[d] / tile[d]);
        tileSteps.push_back(tile[d]);
      }
      sharePrefetches(nb, ivs, trips, tileSteps);
      prefetchNextTiles(nb, impl, child, views, ivs, tileSteps.back(),
                        (trips.back() - 1) * tileSteps.back(), childViews);
      emitBody(nb, ivs);
    }
    tag(outer, impl);
  }
}

void Emitter::emitParallelBody(OpBuilder &b, const Impl &impl,
                               ArrayRef<View> views) {
  // The body runs on some thread: it becomes a function whose entry block
  // holds that thread's buffers. It takes the operands' buffers (statically
  // typed, so any calling convention can pass them) and the tile offsets.
  SmallVector<Value> bases;
  for (const View &v : views)
    bases.push_back(v.base);
  CallArguments args(b, loc, bases);
  for (const View &v : views)
    for (OpFoldResult offset : v.offsets) {
      args.values.push_back(getValueOrCreateConstantIndexOp(b, loc, offset));
      args.types.push_back(b.getIndexType());
    }
  Scope inner = createFunction(loc, baseName + "_body", args.types);
  Scope *outer = scope;
  scope = &inner;
  OpBuilder ib(inner.exit);
  unsigned next = 0;
  SmallVector<Value> innerBases =
      args.rebuild(ib, loc, inner.func, ValueRange(bases).getTypes(), next);
  SmallVector<View> innerViews;
  for (auto [i, v] : llvm::enumerate(views)) {
    View iv{innerBases[i], v.layout, {}, v.sizes, v.padLanes};
    for (unsigned d = 0; d < v.offsets.size(); ++d)
      iv.offsets.push_back(inner.func.getArgument(next++));
    innerViews.push_back(iv);
  }
  emit(ib, impl, innerViews);
  inner.freeHeapBuffers();
  scope = outer;
  tag(inner.func, impl);
  func::CallOp::create(b, loc, inner.func, args.values);
}
