//===- SpecToLoops.cpp - --tessel-synthesize: spec ops to programs --------===//
//
// Asks the engine for each spec op's best program (a synth::Impl tree) and
// emits it node by node. The emitter tracks every operand as a View: a
// physical buffer (one memref dimension per layout entry), the layout that
// maps logical to physical dimensions, and the logical offsets and sizes of
// the tile at hand. Loops shift offsets, moves swap in new buffers, and a
// kernel leaf cuts its operands' physical boxes out with memref.subview.
//
//===----------------------------------------------------------------------===//

#include "tessel/Conversion/SpecToLoops/SpecToLoops.h"
#include "tessel/Conversion/Passes.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"
#include "tessel/Dialect/Spec/Synthesis/Decompose.h"
#include "tessel/Dialect/Spec/Synthesis/EngineSpec.h"
#include "tessel/Dialect/Spec/Synthesis/Session.h"
#include "tessel/Dialect/Ukernel/IR/UkernelOps.h"
#include "tessel/Memo/Database.h"
#include "tessel/Synthesis/Elementwise.h"
#include "tessel/Synthesis/Kind.h"
#include "tessel/Synthesis/Search.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/Threading.h"

namespace tessel {
#define GEN_PASS_DEF_TESSELSYNTHESIZE
#include "tessel/Conversion/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;
using synth::Impl;

namespace {

/// One operand of the spec being emitted.
struct View {
  Value base;
  synth::Layout layout;
  SmallVector<OpFoldResult> offsets;
  synth::Shape sizes;
  /// A register tile whose rows are padded to whole vectors of this many
  /// lanes (0: not padded): its boxes span the padding, so kernels access
  /// it a whole vector at a time.
  unsigned padLanes = 0;
};

/// Buffers beyond this size go to the heap instead of the stack.
constexpr int64_t kMaxStackBytes = 64 * 1024;

Type elementType(MLIRContext *ctx, synth::Dtype t) {
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

/// Whether `impl` runs a kernel that can carry prefetches.
bool hasPrefetchingKernel(const Impl &impl) {
  if (impl.action.kind == synth::ActionKind::Select)
    return impl.action.kernel == synth::KernelId::BroadcastFmaTile ||
           impl.action.kernel == synth::KernelId::DotBf16Tile;
  return llvm::any_of(impl.children, hasPrefetchingKernel);
}

/// Values passed to a function the emitter makes, so that any calling
/// convention can pass them: a memref whose offset is only known at run
/// time (a view in a loop) cannot cross a bare-pointer call (`tessel
/// compile`'s convention), so it goes as its base buffer and offset, and
/// the function rebuilds the view.
struct CallArguments {
  SmallVector<Value> values;
  SmallVector<Type> types;
  SmallVector<bool> split;
  SmallVector<Operation *> metadata;

  CallArguments(OpBuilder &b, Location loc, ValueRange operands) {
    for (Value operand : operands) {
      auto type = dyn_cast<MemRefType>(operand.getType());
      SmallVector<int64_t> strides;
      int64_t offset = 0;
      bool dynamicOffset =
          type && type.hasStaticShape() &&
          succeeded(type.getStridesAndOffset(strides, offset)) &&
          ShapedType::isDynamic(offset) &&
          !llvm::any_of(strides, ShapedType::isDynamic);
      split.push_back(dynamicOffset);
      if (!dynamicOffset) {
        values.push_back(operand);
        types.push_back(operand.getType());
        continue;
      }
      auto meta = memref::ExtractStridedMetadataOp::create(b, loc, operand);
      metadata.push_back(meta);
      values.append({meta.getBaseBuffer(), meta.getOffset()});
      types.append({meta.getBaseBuffer().getType(), b.getIndexType()});
    }
  }

  /// The operands inside `fn`, from its arguments starting at `next` (which
  /// moves past them); `originalTypes` are the operands' types.
  SmallVector<Value> rebuild(OpBuilder &b, Location loc, func::FuncOp fn,
                             TypeRange originalTypes, unsigned &next) const {
    SmallVector<Value> operands;
    for (auto [type, isSplit] : llvm::zip_equal(originalTypes, split)) {
      Value arg = fn.getArgument(next++);
      if (!isSplit) {
        operands.push_back(arg);
        continue;
      }
      auto memref = cast<MemRefType>(type);
      auto [strides, unused] = memref.getStridesAndOffset();
      Value offset = fn.getArgument(next++);
      MLIRContext *ctx = b.getContext();
      operands.push_back(memref::ReinterpretCastOp::create(
          b, loc, memref, arg, offset,
          getAsIndexOpFoldResult(ctx, memref.getShape()),
          getAsIndexOpFoldResult(ctx, strides)));
    }
    return operands;
  }

  void eraseMetadata() {
    for (Operation *meta : metadata)
      meta->erase();
  }
};

/// Emits the programs of one module's spec ops.
class Emitter {
public:
  Emitter(ModuleOp module, const synth::Target &target)
      : module(module), symbols(module), target(target),
        ctx(module.getContext()) {}

  /// Replaces `op` by a call of a new function holding `impl`.
  FailureOr<func::CallOp> emitSpecOp(Operation *op, const Impl &impl);

private:
  /// A function being filled: where its stack buffers go and where heap
  /// buffers are freed.
  struct Scope {
    func::FuncOp func;
    Operation *exit;
    /// Heap buffers, freed once the whole body has been emitted (code
    /// emitted later also goes before `exit`, so freeing cannot go there
    /// when the buffer is made).
    SmallVector<Value> heapBuffers;
    Block *entry() { return &func.getBody().front(); }
    void freeHeapBuffers() {
      OpBuilder b(exit);
      for (Value buffer : llvm::reverse(heapBuffers))
        memref::DeallocOp::create(b, buffer.getLoc(), buffer);
      heapBuffers.clear();
    }
  };

  Scope createFunction(Location loc, StringRef name, TypeRange args);
  void emit(OpBuilder &b, const Impl &impl, ArrayRef<View> views);
  void emitLoops(OpBuilder &b, const Impl &impl, ArrayRef<View> views);
  void emitMove(OpBuilder &b, const Impl &impl, ArrayRef<View> views);
  void emitKernel(OpBuilder &b, const Impl &impl, ArrayRef<View> views);
  void emitParallelBody(OpBuilder &b, const Impl &impl, ArrayRef<View> views);

  /// Cache lines the next tile kernel emitted prefetches while it runs:
  /// lines [first, first + count) of `box`, numbered row by row along its
  /// innermost dimension.
  struct Prefetch {
    Value box;
    OpFoldResult first;
    int64_t count;
  };

  /// The physical box of `v` as a subview. `domain[d]` is the kernel index
  /// of logical dim d (-1: extent 1, not indexed); the box's map from kernel
  /// indices to box indices is appended to `exprs`. With `dropUnit`,
  /// dimensions of extent 1 are left out of the box. `steps[d]` > 1 takes
  /// every steps[d]-th element along logical dim d (a strided view).
  Value box(OpBuilder &b, const View &v, ArrayRef<int> domain,
            SmallVectorImpl<AffineExpr> *exprs, bool dropUnit,
            ArrayRef<uint8_t> steps = {});
  AffineMapAttr boxMap(OpBuilder &b, const View &v, ArrayRef<int> domain,
                       unsigned numDims, Value &boxValue,
                       ArrayRef<uint8_t> steps = {});
  /// boxMap of operand `o` of `s` whose kernel indices are the loops of
  /// its iteration space.
  AffineMapAttr loopBoxMap(OpBuilder &b, const View &v,
                           const synth::IterationSpace &space,
                           const synth::Spec &s, unsigned o, Value &boxValue);
  /// The loops' extents: the `sizes` of a kernel indexed by them.
  DenseI64ArrayAttr loopSizes(OpBuilder &b,
                              const synth::IterationSpace &space) {
    return b.getDenseI64ArrayAttr(SmallVector<int64_t>(
        space.loopExtents().begin(), space.loopExtents().end()));
  }
  /// x + y * scale.
  OpFoldResult add(OpBuilder &b, OpFoldResult x, OpFoldResult y,
                   int64_t scale = 1);

  void tag(Operation *op, const Impl &impl) {
    op->setAttr("tessel.spec",
                StringAttr::get(ctx, impl.spec.str(/*withLimits=*/false)));
    op->setAttr("tessel.action",
                StringAttr::get(ctx, impl.action.str(impl.spec)));
  }

  ModuleOp module;
  SymbolTable symbols;
  const synth::Target &target;
  MLIRContext *ctx;
  Location loc = UnknownLoc::get(ctx);
  std::string baseName;
  Scope *scope = nullptr;
  /// Lines for the kernels of the loop body being emitted to prefetch.
  SmallVector<Prefetch> prefetches;
};

} // namespace

Emitter::Scope Emitter::createFunction(Location loc, StringRef name,
                                       TypeRange args) {
  OpBuilder b(ctx);
  auto func =
      func::FuncOp::create(b, loc, name, FunctionType::get(ctx, args, {}));
  func.setPrivate();
  symbols.insert(func); // renames on collision
  Block *block = func.addEntryBlock();
  b.setInsertionPointToEnd(block);
  Operation *exit = func::ReturnOp::create(b, loc);
  return Scope{func, exit, {}};
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

void Emitter::emitMove(OpBuilder &b, const Impl &impl, ArrayRef<View> views) {
  const synth::Action &a = impl.action;
  if (a.moveKind == synth::MoveKind::CacheView) // reserves cache, no code
    return emit(b, impl.children[0], views);

  // A new buffer in the destination layout and type, allocated where the
  // function starts (static allocas stay promotable to registers). The
  // layout is the body's canonical one: no entries of extent 1, so the
  // kernels see the same contiguous runs the engine reasoned about.
  const View &op = views[a.operand];
  const synth::Layout &layout =
      llvm::find_if(impl.childInfo,
                    [](const synth::Child &c) {
                      return c.role == synth::ChildRole::Body;
                    })
          ->spec.operands[a.operand]
          .layout;
  SmallVector<int64_t> shape;
  for (uint32_t e : layout.physicalExtents(op.sizes))
    shape.push_back(e);
  // A register tile's rows end in a whole vector (its last lanes unused).
  unsigned padLanes =
      a.dstLevel == synth::MemoryLevel::VRF ? target.lanes(a.dstDtype) : 0;
  if (padLanes)
    shape.back() = llvm::alignTo(shape.back(), padLanes);
  auto type = MemRefType::get(shape, elementType(ctx, a.dstDtype));
  int64_t bytes = type.getNumElements() * synth::dtypeBytes(a.dstDtype);
  IntegerAttr align = b.getI64IntegerAttr(64);
  Value buffer;
  OpBuilder entry = OpBuilder::atBlockBegin(scope->entry());
  if (bytes <= kMaxStackBytes) {
    buffer = memref::AllocaOp::create(entry, loc, type, ValueRange{},
                                      ValueRange{}, align);
  } else {
    buffer = memref::AllocOp::create(entry, loc, type, ValueRange{},
                                     ValueRange{}, align);
    scope->heapBuffers.push_back(buffer);
  }
  buffer.getDefiningOp()->setAttr("tessel.spec",
                                  StringAttr::get(ctx, a.str(impl.spec)));

  View moved{buffer, layout,
             SmallVector<OpFoldResult>(op.sizes.size(), b.getIndexAttr(0)),
             op.sizes, padLanes};
  SmallVector<View> body(views.begin(), views.end());
  body[a.operand] = moved;
  for (auto [child, info] : llvm::zip(impl.children, impl.childInfo)) {
    switch (info.role) {
    case synth::ChildRole::Prologue:
      emit(b, child, {op, moved});
      break;
    case synth::ChildRole::Epilogue:
      emit(b, child, {moved, op});
      break;
    default:
      emit(b, child, body);
      break;
    }
  }
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
      for (unsigned i = 0; i < loopDims.size(); ++i) {
        auto loop = scf::ForOp::create(
            nb, loc, getValueOrCreateConstantIndexOp(nb, loc, lbs[i]),
            getValueOrCreateConstantIndexOp(nb, loc, ubs[i]),
            getValueOrCreateConstantIndexOp(nb, loc, steps[i]));
        if (!outer)
          outer = loop;
        ivs.push_back(loop.getInductionVar());
        nb.setInsertionPoint(loop.getBody()->getTerminator());
      }
      // The enclosing body's lines are shared out over the iterations.
      AffineExpr iteration = getAffineConstantExpr(0, ctx);
      int64_t trips = 1;
      for (unsigned i = 0; i < loopDims.size(); ++i) {
        int64_t n = extent[loopDims[i]] / tile[loopDims[i]];
        iteration = iteration * n +
                    getAffineDimExpr(i, ctx).floorDiv(tile[loopDims[i]]);
        trips *= n;
      }
      for (Prefetch &p : prefetches) {
        int64_t share = llvm::divideCeil(p.count, trips);
        SmallVector<OpFoldResult> operands(ivs.begin(), ivs.end());
        operands.push_back(p.first);
        p.first = affine::makeComposedFoldedAffineApply(
            nb, loc,
            AffineMap::get(ivs.size() + 1, 0,
                           getAffineDimExpr(ivs.size(), ctx) +
                               iteration * share),
            operands);
        p.count = share;
      }
      // The engine decided which input tiles the body fetches ahead
      // (prefetchNextTiles in Actions.cpp): those the body holds prefetched
      // and this loop does not. The body's kernels fetch the next
      // iteration's tile while they run.
      unsigned d = loopDims.back();
      bool prefetching = hasPrefetchingKernel(child);
      for (unsigned o = 0; prefetching && o < s.numOperands(); ++o) {
        const synth::TensorSpec &read = child.spec.operands[o];
        if (!read.prefetched || s.operands[o].prefetched)
          continue;
        SmallVector<int64_t> extents;
        for (uint32_t e : views[o].layout.physicalExtents(read.dims()))
          extents.push_back(e);
        int64_t lines =
            ukernel::cacheLines(
                MemRefType::get(extents, elementType(ctx, read.dtype)))
                .count;
        // The next tile along the innermost loop (the last one stays put).
        SmallVector<Value> next(ivs);
        int64_t last = (extent[d] / tile[d] - 1) * tile[d];
        AffineExpr d0 = getAffineDimExpr(0, ctx);
        next.back() = affine::AffineMinOp::create(
            nb, loc,
            AffineMap::get(
                1, 0, {d0 + tile[d], getAffineConstantExpr(last, ctx)}, ctx),
            ValueRange{ivs.back()});
        View source = childViews(nb, next)[o];
        prefetches.push_back(
            Prefetch{box(nb, source, {}, nullptr, /*dropUnit=*/false),
                     nb.getIndexAttr(0), lines});
      }
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

void Emitter::emitKernel(OpBuilder &b, const Impl &impl, ArrayRef<View> views) {
  using synth::KernelId;
  const synth::Spec &s = impl.spec;
  KernelId kernel = impl.action.kernel;
  auto i64 = [&](int64_t v) { return b.getI64IntegerAttr(v); };
  Operation *op = nullptr;

  auto fillValue = [&](Type type, synth::FillValue value) -> TypedAttr {
    if (auto ft = dyn_cast<FloatType>(type)) {
      const llvm::fltSemantics &sem = ft.getFloatSemantics();
      switch (value) {
      case synth::FillValue::Zero:
        return FloatAttr::get(ft, llvm::APFloat::getZero(sem));
      case synth::FillValue::NegInf:
        return FloatAttr::get(ft, llvm::APFloat::getInf(sem, true));
      case synth::FillValue::Min:
        return FloatAttr::get(ft, llvm::APFloat::getLargest(sem, true));
      case synth::FillValue::Inf:
        return FloatAttr::get(ft, llvm::APFloat::getInf(sem, false));
      }
    }
    unsigned width = type.getIntOrFloatBitWidth();
    return IntegerAttr::get(type, value == synth::FillValue::Zero
                                      ? llvm::APInt(width, 0)
                                      : llvm::APInt::getSignedMinValue(width));
  };
  auto identity = [&](unsigned rank) {
    return llvm::to_vector(llvm::seq<int>(0, rank));
  };

  switch (kernel) {
  case KernelId::BroadcastFmaTile:
  case KernelId::DotBf16Tile:
  case KernelId::DotReduceTile:
  case KernelId::ScalarMulAdd: {
    // Kernel indices (m, k, n), and the operands and dims that are A, B
    // and C, as the kind declares them (Kind::matmulForm).
    Value lhs, rhs, acc;
    synth::MatmulForm form = *synth::kindOf(s.kind).matmulForm(s);
    auto boxOf = [&](unsigned i, Value &value) {
      unsigned o = form.operands[i], rank = s.operands[o].rank;
      SmallVector<int> domain(form.dims[i].begin(),
                              form.dims[i].begin() + rank);
      return boxMap(b, views[o], domain, 3, value,
                    ArrayRef(form.steps[i]).take_front(rank));
    };
    AffineMapAttr lhsMap = boxOf(0, lhs);
    AffineMapAttr rhsMap = boxOf(1, rhs);
    AffineMapAttr accMap = boxOf(2, acc);
    synth::Spec product = *synth::asMatmul(s);
    auto sizes = b.getDenseI64ArrayAttr(
        {int64_t(product.m()), int64_t(product.k()), int64_t(product.n())});
    if (kernel == KernelId::ScalarMulAdd) {
      if (!s.accum) // c = a * b: zero c first.
        ukernel::FillOp::create(
            b, loc, acc, accMap, sizes,
            fillValue(cast<MemRefType>(acc.getType()).getElementType(),
                      synth::FillValue::Zero),
            i64(0), i64(0));
      op = ukernel::ScalarFmaOp::create(b, loc, lhs, rhs, acc, lhsMap, rhsMap,
                                        accMap, sizes, i64(0));
    } else if (kernel == KernelId::DotReduceTile) {
      op = ukernel::DotReduceOp::create(b, loc, lhs, rhs, acc, lhsMap, rhsMap,
                                        accMap, sizes,
                                        i64(target.lanes(synth::Dtype::F32)));
    } else {
      // The lines this kernel is to prefetch, if any (taken once: later
      // kernels of the body would repeat them).
      SmallVector<Value> prefetchBoxes, prefetchFirsts;
      SmallVector<int64_t> prefetchCounts;
      for (const Prefetch &p : prefetches) {
        prefetchBoxes.push_back(p.box);
        prefetchFirsts.push_back(
            getValueOrCreateConstantIndexOp(b, loc, p.first));
        prefetchCounts.push_back(p.count);
      }
      prefetches.clear();
      DenseI64ArrayAttr prefetchLines = b.getDenseI64ArrayAttr(prefetchCounts);
      int64_t lanes = target.lanes(synth::Dtype::F32);
      if (kernel == KernelId::DotBf16Tile)
        op = ukernel::DotBf16Op::create(b, loc, lhs, rhs, acc, prefetchBoxes,
                                        prefetchFirsts, lhsMap, rhsMap, accMap,
                                        sizes, i64(lanes), prefetchLines);
      else
        op = ukernel::BroadcastFmaOp::create(
            b, loc, lhs, rhs, acc, prefetchBoxes, prefetchFirsts, lhsMap,
            rhsMap, accMap, sizes, i64(lanes), prefetchLines);
    }
    break;
  }
  case KernelId::VectorMove:
  case KernelId::VectorCvtBf16F32:
  case KernelId::ScalarMove: {
    unsigned rank = views[1].sizes.size();
    Value src, dst;
    AffineMapAttr srcMap = boxMap(b, views[0], identity(rank), rank, src);
    AffineMapAttr dstMap = boxMap(b, views[1], identity(rank), rank, dst);
    int64_t lanes =
        kernel == KernelId::ScalarMove ? 0 : target.lanes(s.operands[1].dtype);
    int64_t dim = lanes ? s.operands[1].layout.innermostDim() : 0;
    op = ukernel::CopyOp::create(
        b, loc, src, dst, srcMap, dstMap,
        b.getDenseI64ArrayAttr(
            SmallVector<int64_t>(views[1].sizes.begin(), views[1].sizes.end())),
        i64(lanes), i64(dim));
    break;
  }
  case KernelId::VectorPackBf16Pairs: {
    // Kernel indices (k, n) over the last two logical dimensions.
    unsigned rank = views[0].sizes.size();
    SmallVector<int> domain(rank, -1);
    domain[rank - 2] = 0;
    domain[rank - 1] = 1;
    Value src, dst;
    AffineMapAttr srcMap = boxMap(b, views[0], domain, 2, src);
    AffineMapAttr dstMap = boxMap(b, views[1], domain, 2, dst);
    op = ukernel::PackBf16PairsOp::create(
        b, loc, src, dst, srcMap, dstMap,
        b.getDenseI64ArrayAttr({2, int64_t(views[0].sizes[rank - 1])}),
        i64(target.lanes(synth::Dtype::BF16)));
    break;
  }
  case KernelId::VectorElementwise:
  case KernelId::ScalarElementwise: {
    // Kernel indices are the spec's loops (the output's dims); a broadcast
    // input's map does not use the dims no loop indexes.
    synth::IterationSpace space = *synth::iterationSpace(s);
    unsigned n = s.numOperands();
    SmallVector<Value> inputs;
    SmallVector<Attribute> maps;
    for (unsigned i = 0; i + 1 < n; ++i) {
      Value box;
      maps.push_back(loopBoxMap(b, views[i], space, s, i, box));
      inputs.push_back(box);
    }
    Value out;
    AffineMapAttr outMap = loopBoxMap(b, views[n - 1], space, s, n - 1, out);
    int64_t lanes = kernel == KernelId::VectorElementwise
                        ? target.lanes(synth::Dtype::F32)
                        : 0;
    int64_t dim = lanes ? s.output().layout.innermostDim() : 0;
    uint8_t epilogue =
        s.kind == synth::SpecKind::Binary ? s.params[synth::kEpilogueParam] : 0;
    op = ukernel::ElementwiseOp::create(
        b, loc, inputs, out, b.getArrayAttr(maps), outMap, loopSizes(b, space),
        b.getStringAttr(synth::nameOf(synth::ElementwiseFn(s.params[0]))),
        i64(lanes), i64(dim),
        epilogue
            ? b.getStringAttr(synth::nameOf(synth::ElementwiseFn(epilogue)))
            : StringAttr());
    break;
  }
  case KernelId::VectorMulAddTile: {
    // out = image * filter + out over the spec's loops (one tap), in
    // vectors along out's contiguous dim (out's dims are the first loops).
    synth::IterationSpace space = *synth::iterationSpace(s);
    SmallVector<Value> boxes(3);
    SmallVector<Attribute> maps;
    for (unsigned i = 0; i < 3; ++i)
      maps.push_back(loopBoxMap(b, views[i], space, s, i, boxes[i]));
    op = ukernel::ElementwiseOp::create(
        b, loc, boxes, boxes[2], b.getArrayAttr(maps),
        cast<AffineMapAttr>(maps[2]), loopSizes(b, space),
        b.getStringAttr(synth::nameOf(synth::ElementwiseFn::MulAdd)),
        i64(target.lanes(synth::Dtype::F32)),
        i64(s.output().layout.innermostDim()), /*epilogue=*/StringAttr());
    break;
  }
  case KernelId::VectorReduce:
  case KernelId::ScalarReduce: {
    // Kernel indices are the spec's loops: the output's dims, then the
    // reduced one.
    synth::IterationSpace space = *synth::iterationSpace(s);
    Value x, out;
    AffineMapAttr xMap = loopBoxMap(b, views[0], space, s, 0, x);
    AffineMapAttr outMap = loopBoxMap(b, views[1], space, s, 1, out);
    int64_t lanes =
        kernel == KernelId::VectorReduce ? target.lanes(synth::Dtype::F32) : 0;
    int64_t dim =
        lanes ? space.maps[0][s.operands[0].layout.innermostDim()].loop : 0;
    op = ukernel::ReduceOp::create(
        b, loc, x, out, xMap, outMap, loopSizes(b, space),
        b.getStringAttr(synth::nameOf(synth::ReduceFn(s.params[0]))),
        i64(space.numParallel), i64(lanes), i64(dim));
    break;
  }
  case KernelId::VectorFill:
  case KernelId::ScalarFill: {
    unsigned rank = views[0].sizes.size();
    Value dst;
    AffineMapAttr dstMap = boxMap(b, views[0], identity(rank), rank, dst);
    Type type = cast<MemRefType>(dst.getType()).getElementType();
    int64_t lanes =
        kernel == KernelId::ScalarFill ? 0 : target.lanes(s.operands[0].dtype);
    int64_t dim = lanes ? s.operands[0].layout.innermostDim() : 0;
    op = ukernel::FillOp::create(
        b, loc, dst, dstMap,
        b.getDenseI64ArrayAttr(
            SmallVector<int64_t>(views[0].sizes.begin(), views[0].sizes.end())),
        fillValue(type, s.fillValue()), i64(lanes), i64(dim));
    break;
  }
  }
  tag(op, impl);
}

/// The view of a function-boundary operand: its non-unit dimensions in
/// physical order (decreasing stride), as the engine's layout sees them.
static FailureOr<View> boundaryView(OpBuilder &b, Location loc, Operation *op,
                                    Value value, unsigned unitDims) {
  auto type = cast<MemRefType>(value.getType());
  std::optional<spec::StridedForm> form;
  if (!type.getMemorySpace())
    form = spec::getStridedForm(type);
  if (!form)
    return op->emitError("cannot lower an operand of type ")
           << type
           << ": synthesized code takes memrefs in main memory with a "
              "strided layout";
  // The engine's physical order, without the unit dimensions (they place
  // no data, so the base drops them).
  SmallVector<unsigned> kept, order;
  for (unsigned d = 0; d < type.getRank(); ++d)
    if (type.getDimSize(d) != 1)
      kept.push_back(d);
  for (int64_t d : form->order)
    if (type.getDimSize(d) != 1)
      order.push_back(d);

  Value base = value;
  if (kept.size() != unsigned(type.getRank())) {
    SmallVector<OpFoldResult> zeros(type.getRank(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes, ones(type.getRank(), b.getIndexAttr(1));
    SmallVector<int64_t> shape;
    for (int64_t s : type.getShape())
      sizes.push_back(b.getIndexAttr(s));
    for (unsigned d : kept)
      shape.push_back(type.getDimSize(d));
    auto reduced = memref::SubViewOp::inferRankReducedResultType(
        shape, type, zeros, sizes, ones);
    base =
        memref::SubViewOp::create(b, loc, reduced, value, zeros, sizes, ones);
  }
  if (order != kept) {
    SmallVector<unsigned> perm;
    for (unsigned d : order)
      perm.push_back(llvm::find(kept, d) - kept.begin());
    base = memref::TransposeOp::create(
        b, loc, base,
        AffineMapAttr::get(AffineMap::getPermutationMap(perm, b.getContext())));
  }
  SmallVector<unsigned> logical;
  for (unsigned d : order)
    logical.push_back(d + unitDims);
  View v{base, synth::Layout::permuted(logical), {}, {}};
  v.offsets.assign(type.getRank() + unitDims, b.getIndexAttr(0));
  v.sizes.assign(unitDims, 1);
  for (int64_t s : type.getShape())
    v.sizes.push_back(s);
  return v;
}

FailureOr<func::CallOp> Emitter::emitSpecOp(Operation *op, const Impl &impl) {
  loc = op->getLoc();
  auto parent = op->getParentOfType<FunctionOpInterface>();
  baseName = (parent ? parent.getName().str() : std::string("spec")) + "_" +
             op->getName().stripDialect().str();
  OpBuilder call(op);
  CallArguments callArgs(call, loc, op->getOperands());
  Scope fn = createFunction(loc, baseName, callArgs.types);
  scope = &fn;
  OpBuilder b(fn.exit);
  unsigned next = 0;
  SmallVector<Value> operands =
      callArgs.rebuild(b, loc, fn.func, op->getOperandTypes(), next);
  // The engine states unbatched matmuls with a unit batch dimension.
  unsigned unitDims =
      isa<spec::MatmulOp>(op) &&
              cast<MemRefType>(op->getOperand(0).getType()).getRank() == 2
          ? 1
          : 0;
  // A convolution's operands in the engine's logical dim order.
  auto conv = dyn_cast<spec::Conv2DOp>(op);
  if (conv)
    for (auto [operand, all] : llvm::zip(operands, conv.getDimPositions())) {
      auto positions = ArrayRef(all).take_front(
          cast<MemRefType>(operand.getType()).getRank());
      if (!llvm::equal(positions, llvm::seq<int64_t>(0, positions.size())))
        operand = memref::TransposeOp::create(
            b, loc, operand,
            AffineMapAttr::get(AffineMap::getPermutationMap(
                SmallVector<unsigned>(positions.begin(), positions.end()),
                ctx)));
    }
  SmallVector<View> views;
  for (Value operand : operands) {
    FailureOr<View> v = boundaryView(b, loc, op, operand, unitDims);
    if (failed(v)) {
      fn.func.erase();
      callArgs.eraseMetadata();
      return failure();
    }
    views.push_back(*v);
  }
  // Only the image rows and columns the windows reach (EngineSpec.cpp).
  if (conv)
    views[0].sizes.assign(impl.spec.operands[0].dims().begin(),
                          impl.spec.operands[0].dims().end());
  emit(b, impl, views);
  fn.freeHeapBuffers();
  fn.func->setAttr("tessel.spec", StringAttr::get(ctx, impl.spec.str(false)));
  auto callOp = func::CallOp::create(call, loc, fn.func, callArgs.values);
  op->erase();
  scope = nullptr;
  return callOp;
}

/// Operands with static strides the engine has no layout for (a non-unit
/// innermost stride, strides that do not nest) are computed through a
/// dense copy: copied in before the op, out after it if the op writes them.
/// Every strided view is thus supported; the copies are outside the search.
static void stageUnsupportedViews(Operation *op) {
  OpBuilder b(op);
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = cast<MemRefType>(operand.get().getType());
    if (isa<spec::LayoutAttr>(type.getLayout()) || type.getMemorySpace() ||
        spec::getStridedForm(type))
      continue;
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(type.getStridesAndOffset(strides, offset)) ||
        llvm::any_of(strides, ShapedType::isDynamic))
      continue; // the engine's error names it
    Location loc = op->getLoc();
    Value view = operand.get();
    b.setInsertionPoint(op);
    Value dense = memref::AllocOp::create(
        b, loc, MemRefType::get(type.getShape(), type.getElementType()));
    linalg::CopyOp::create(b, loc, view, dense);
    operand.set(dense);
    b.setInsertionPointAfter(op);
    if (mightHaveEffect<MemoryEffects::Write>(op, dense))
      linalg::CopyOp::create(b, loc, dense, view);
    memref::DeallocOp::create(b, loc, dense);
  }
}

LogicalResult tessel::synthesizeSpecOps(ArrayRef<Operation *> ops,
                                        spec::SynthesisSession &session,
                                        SmallVectorImpl<Operation *> *calls) {
  if (ops.empty())
    return success();
  for (Operation *op : ops)
    if (failed(spec::verifyOnBuffers(op)))
      return failure();
  // Code for one core runs parallel loops around spec ops (the dynamic-size
  // import makes them) as plain loops, with no OpenMP runtime.
  if (session.getTarget().cores == 1) {
    IRRewriter rewriter(ops.front()->getContext());
    for (Operation *op : ops)
      while (auto forall = op->getParentOfType<scf::ForallOp>()) {
        rewriter.setInsertionPoint(forall);
        if (failed(scf::forallToForLoop(rewriter, forall)))
          return forall.emitError("cannot run this loop serially");
      }
  }
  for (Operation *op : ops)
    stageUnsupportedViews(op);
  Emitter emitter(ops.front()->getParentOfType<ModuleOp>(),
                  session.getTarget());
  bool failed = false;
  for (Operation *op : ops) {
    FailureOr<synth::Impl> program = session.synthesize(op);
    FailureOr<func::CallOp> call = failure();
    if (mlir::succeeded(program))
      call = emitter.emitSpecOp(op, *program);
    if (mlir::failed(call))
      failed = true;
    else if (calls)
      calls->push_back(*call);
  }
  return failure(failed);
}

namespace {
struct TesselSynthesize
    : public tessel::impl::TesselSynthesizeBase<TesselSynthesize> {
  using TesselSynthesizeBase::TesselSynthesizeBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    spec::SynthesisOptions options;
    options.target = targetName;
    options.threads = threads;
    options.searchThreads = searchThreads;
    options.searchBudget = searchBudget;
    options.db = dbPath;
    options.dbIgnoreMismatch = dbIgnoreMismatch;
    auto session = spec::SynthesisSession::open(options);
    if (!session) {
      module.emitError() << llvm::toString(session.takeError());
      return signalPassFailure();
    }
    for (const std::string &warning : (*session)->getWarnings())
      module.emitWarning() << warning;
    // Spec ops on tensors (imported before bufferization) need it first.
    if (failed(spec::verifyOnBuffers(module)))
      return signalPassFailure();
    // Ops the engine has no kind for become ops it has (softmax, scalars).
    if (failed(spec::decomposeSpecOps(module)))
      return signalPassFailure();

    SmallVector<Operation *> specOps;
    module.walk([&](Operation *op) {
      if (isa<spec::SpecDialect>(op->getDialect()))
        specOps.push_back(op);
    });
    bool failed = mlir::failed(synthesizeSpecOps(specOps, **session));
    if (llvm::Error e = (*session)->save()) {
      module.emitError() << llvm::toString(std::move(e));
      failed = true;
    }
    if (failed)
      signalPassFailure();
  }
};
} // namespace
