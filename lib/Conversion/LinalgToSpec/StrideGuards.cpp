//===- StrideGuards.cpp - run-time checks for unknown innermost strides ---===//
//
// One-shot bufferization gives tensor function arguments fully dynamic
// layouts (`strided<[?, ?], offset: ?>`), so nothing says statically that a
// row is contiguous, and vector code needs it. Such an op is imported behind
// a check: `scf.if` the innermost strides are 1 runs a copy on operands cast
// to that layout (what the spec dialect takes), else a copy left to upstream
// lowering (or, for an op upstream cannot lower on memrefs, Tessel's program
// on dense copies of those operands). Outer strides and the offset stay
// dynamic; the engine assumes padded rows for them.
//
//===----------------------------------------------------------------------===//

#include "Views.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"

using namespace mlir;
using namespace tessel;

/// Guards `op`, whose operands `guarded` need it: the guard's then-branch
/// gets a copy on cast operands; `op` itself is taken out of the IR until
/// the import patterns have run.
static StrideGuard guard(Operation *op, ArrayRef<OpOperand *> guarded) {
  OpBuilder b(op);
  Location loc = op->getLoc();
  SmallVector<Operation *> condition;
  auto made = [&](Operation *def) {
    condition.push_back(def);
    return def->getResult(0);
  };
  Value one = made(arith::ConstantIndexOp::create(b, loc, 1));
  Value contiguous;
  for (OpOperand *operand : guarded) {
    auto type = cast<MemRefType>(operand->get().getType());
    auto meta =
        memref::ExtractStridedMetadataOp::create(b, loc, operand->get());
    condition.push_back(meta);
    Value isUnit = made(arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::eq,
        meta.getStrides()[*spec::innermostDim(type)], one));
    contiguous = contiguous
                     ? made(arith::AndIOp::create(b, loc, contiguous, isUnit))
                     : isUnit;
  }
  auto ifOp = scf::IfOp::create(b, loc, contiguous, /*withElseRegion=*/true);
  b.setInsertionPointToStart(ifOp.thenBlock());
  IRMapping casts;
  for (OpOperand *operand : guarded) {
    Value value = operand->get();
    if (casts.contains(value))
      continue;
    auto type =
        spec::withUnitInnermostStride(cast<MemRefType>(value.getType()));
    casts.map(value, memref::CastOp::create(b, loc, type, value));
  }
  b.clone(*op, casts);
  op->remove();
  return {ifOp, op, std::move(condition)};
}

SmallVector<StrideGuard> tessel::guardRuntimeStrides(Operation *root) {
  SmallVector<std::pair<Operation *, SmallVector<OpOperand *>>> candidates;
  root->walk([&](DestinationStyleOpInterface op) {
    if (!isa_and_present<linalg::LinalgDialect>(op->getDialect()) ||
        !op.hasPureBufferSemantics())
      return;
    SmallVector<OpOperand *> guarded;
    for (OpOperand &operand : op->getOpOperands()) {
      auto type = dyn_cast<MemRefType>(operand.get().getType());
      if (type && spec::hasDynamicInnermostStride(type))
        guarded.push_back(&operand);
    }
    if (!guarded.empty())
      candidates.push_back({op, std::move(guarded)});
  });
  return llvm::map_to_vector(candidates, [](auto &candidate) {
    return guard(candidate.first, candidate.second);
  });
}

/// The else-branch of an imported guard whose op upstream cannot lower on
/// memrefs (linalg.softmax is not a structured op): the then-branch's
/// program on dense copies of the guarded operands, the outputs copied
/// back. Fails, leaving the branch empty, unless the shapes are static.
static LogicalResult stageOnDenseCopies(const StrideGuard &guard) {
  scf::IfOp ifOp = guard.ifOp;
  OpBuilder b(ifOp.elseBlock()->getTerminator());
  Location loc = ifOp.getLoc();
  auto dps = cast<DestinationStyleOpInterface>(guard.original);
  IRMapping dense;
  SmallVector<std::pair<Value, Value>> outputs; // (dense, original)
  SmallVector<Value> buffers;
  for (Operation &inner : *ifOp.thenBlock()) {
    auto cast = dyn_cast<memref::CastOp>(inner);
    if (!cast || cast->getBlock() != ifOp.thenBlock() ||
        cast.getSource().getParentBlock() == ifOp.thenBlock())
      continue;
    auto type = dyn_cast<MemRefType>(cast.getSource().getType());
    if (!type || !type.hasStaticShape())
      return failure();
    Value buffer = memref::AllocOp::create(
        b, loc, MemRefType::get(type.getShape(), type.getElementType()));
    memref::CopyOp::create(b, loc, cast.getSource(), buffer);
    dense.map(cast.getResult(), buffer);
    buffers.push_back(buffer);
    for (OpOperand &init : dps.getDpsInitsMutable())
      if (init.get() == cast.getSource())
        outputs.push_back({buffer, cast.getSource()});
  }
  for (Operation &inner : ifOp.thenBlock()->without_terminator())
    if (!isa<memref::CastOp>(inner) || !dense.contains(inner.getResult(0)))
      b.clone(inner, dense);
  for (auto [buffer, original] : outputs)
    memref::CopyOp::create(b, loc, buffer, original);
  for (Value buffer : buffers)
    memref::DeallocOp::create(b, loc, buffer);
  return success();
}

llvm::DenseSet<Operation *>
tessel::finishStrideGuards(ArrayRef<StrideGuard> guards) {
  llvm::DenseSet<Operation *> fallbacks;
  for (const StrideGuard &guard : guards) {
    scf::IfOp ifOp = guard.ifOp;
    bool imported = llvm::none_of(*ifOp.thenBlock(), [](Operation &inner) {
      return isa_and_present<linalg::LinalgDialect>(inner.getDialect());
    });
    // Upstream lowers only structured ops to loops: for others the
    // fallback is Tessel's program on dense copies.
    if (imported && !isa<linalg::LinalgOp>(guard.original) &&
        succeeded(stageOnDenseCopies(guard))) {
      guard.original->destroy();
      continue;
    }
    if (imported) {
      ifOp.elseBlock()->getOperations().insert(
          ifOp.elseBlock()->getTerminator()->getIterator(), guard.original);
      fallbacks.insert(guard.original);
      continue;
    }
    // Not imported after all: the op takes the guard's place, and the
    // condition's ops go, users before what they use.
    ifOp->getBlock()->getOperations().insert(ifOp->getIterator(),
                                             guard.original);
    ifOp.erase();
    for (Operation *def : llvm::reverse(guard.condition))
      def->erase();
  }
  return fallbacks;
}
