//===- Emitter.h - A synthesized program as loops and kernels ---*- C++ -*-===//
//
// Shared by the files of --tessel-synthesize's emitter (not installed). The
// emitter tracks every operand as a View: a physical buffer (one memref
// dimension per layout entry), the layout that maps logical to physical
// dimensions, and the logical offsets and sizes of the tile at hand. Loops
// shift offsets, moves swap in new buffers, and a kernel leaf cuts its
// operands' physical boxes out with memref.subview.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_LIB_CONVERSION_SPECTOLOOPS_EMITTER_H
#define TESSEL_LIB_CONVERSION_SPECTOLOOPS_EMITTER_H

#include "tessel/Synthesis/Impl.h"
#include "tessel/Synthesis/Kind.h"
#include "tessel/Synthesis/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace tessel::emitter {

using namespace mlir;
using synth::Impl;

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

/// The MLIR element type of `t`.
Type elementType(MLIRContext *ctx, synth::Dtype t);

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

/// Emits the programs of one module's spec ops. Its members are defined by
/// concern: Views.cpp (operand views and their boxes), Buffers.cpp
/// (functions, their buffers and moves), Loops.cpp (tilings and parallel
/// bodies), Prefetch.cpp and Kernels.cpp (leaves), SpecToLoops.cpp (a spec
/// op at the function boundary).
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

  /// Inside a nest of serial loops (`ivs`, `trips[i]` iterations of step
  /// `steps[i]`, outermost first): the enclosing body's prefetches, shared
  /// out over the iterations.
  void sharePrefetches(OpBuilder &b, ValueRange ivs, ArrayRef<int64_t> trips,
                       ArrayRef<int64_t> steps);
  /// Adds, for the kernels of `body` (the loop `impl`'s body, its operand
  /// views `views`), the lines of the input tiles the next iteration of the
  /// innermost loop reads (`step` apart, none past `last`) that the engine
  /// chose to fetch ahead. `viewsAt(b, ivs)` are the body's views at `ivs`.
  void prefetchNextTiles(
      OpBuilder &b, const Impl &impl, const Impl &body, ArrayRef<View> views,
      ValueRange ivs, int64_t step, int64_t last,
      llvm::function_ref<SmallVector<View>(OpBuilder &, ValueRange)> viewsAt);

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
  /// The spec op moves enough bytes that its elementwise outputs in main
  /// memory go out with streaming stores (Target::streamingStoresFrom).
  bool streamOutputs = false;
};

} // namespace tessel::emitter

#endif // TESSEL_LIB_CONVERSION_SPECTOLOOPS_EMITTER_H
