//===- Buffers.cpp - Functions, their buffers and moves -------------------===//
#include "Emitter.h"

using namespace tessel;
using namespace tessel::emitter;

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
