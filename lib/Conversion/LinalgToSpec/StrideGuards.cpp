//===- StrideGuards.cpp - run-time checks for unknown innermost strides ---===//
//
// One-shot bufferization gives tensor function arguments fully dynamic
// layouts (`strided<[?, ?], offset: ?>`), so nothing says statically that a
// row is contiguous, and vector code needs it. Such an op is imported behind
// a check: `scf.if` the innermost strides are 1 runs a copy on operands cast
// to that layout (what the spec dialect takes), else a copy left to upstream
// lowering. Outer strides and the offset stay dynamic; the engine assumes
// padded rows for them.
//
//===----------------------------------------------------------------------===//

#include "Views.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace tessel;

/// The last dimension of extent above 1, if any.
static std::optional<unsigned> innermostDim(MemRefType type) {
  for (unsigned d = type.getRank(); d-- > 0;)
    if (type.getDimSize(d) != 1)
      return d;
  return std::nullopt;
}

bool tessel::needsStrideGuard(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  std::optional<unsigned> inner = innermostDim(type);
  return type.hasStaticShape() && inner &&
         succeeded(type.getStridesAndOffset(strides, offset)) &&
         ShapedType::isDynamic(strides[*inner]);
}

/// `type` with the stride of its innermost non-unit dimension fixed to 1.
static MemRefType withUnitInnermostStride(MemRefType type) {
  auto [strides, offset] = type.getStridesAndOffset();
  strides[*innermostDim(type)] = 1;
  auto layout = StridedLayoutAttr::get(type.getContext(), offset, strides);
  return MemRefType::get(type.getShape(), type.getElementType(), layout,
                         type.getMemorySpace());
}

/// Guards `op`, whose operands `guarded` need it: the guard's then-branch
/// gets a copy on cast operands; `op` itself is taken out of the IR until
/// the import patterns have run.
static StrideGuard guard(Operation *op, ArrayRef<OpOperand *> guarded) {
  OpBuilder b(op);
  Location loc = op->getLoc();
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value contiguous;
  for (OpOperand *operand : guarded) {
    auto type = cast<MemRefType>(operand->get().getType());
    auto meta =
        memref::ExtractStridedMetadataOp::create(b, loc, operand->get());
    Value isUnit =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                              meta.getStrides()[*innermostDim(type)], one);
    contiguous =
        contiguous ? arith::AndIOp::create(b, loc, contiguous, isUnit) : isUnit;
  }
  auto ifOp = scf::IfOp::create(b, loc, contiguous, /*withElseRegion=*/true);
  b.setInsertionPointToStart(ifOp.thenBlock());
  IRMapping casts;
  for (OpOperand *operand : guarded) {
    Value value = operand->get();
    if (casts.contains(value))
      continue;
    auto type = withUnitInnermostStride(cast<MemRefType>(value.getType()));
    casts.map(value, memref::CastOp::create(b, loc, type, value));
  }
  b.clone(*op, casts);
  op->remove();
  return {ifOp, op};
}

SmallVector<StrideGuard> tessel::guardRuntimeStrides(Operation *root) {
  SmallVector<std::pair<Operation *, SmallVector<OpOperand *>>> candidates;
  root->walk([&](DestinationStyleOpInterface op) {
    if (!isa<linalg::LinalgDialect>(op->getDialect()) ||
        !op.hasPureBufferSemantics())
      return;
    SmallVector<OpOperand *> guarded;
    for (OpOperand &operand : op->getOpOperands()) {
      auto type = dyn_cast<MemRefType>(operand.get().getType());
      if (type && needsStrideGuard(type))
        guarded.push_back(&operand);
    }
    if (!guarded.empty())
      candidates.push_back({op, std::move(guarded)});
  });
  return llvm::map_to_vector(candidates, [](auto &candidate) {
    return guard(candidate.first, candidate.second);
  });
}

llvm::DenseSet<Operation *>
tessel::finishStrideGuards(ArrayRef<StrideGuard> guards) {
  llvm::DenseSet<Operation *> fallbacks;
  for (auto [ifOp, original] : guards) {
    bool imported = llvm::none_of(*ifOp.thenBlock(), [](Operation &inner) {
      return isa<linalg::LinalgDialect>(inner.getDialect());
    });
    if (imported) {
      ifOp.elseBlock()->getOperations().insert(
          ifOp.elseBlock()->getTerminator()->getIterator(), original);
      fallbacks.insert(original);
      continue;
    }
    // Not imported after all: the op takes the guard's place, and the
    // condition's ops (comparisons of strides read from metadata) go, users
    // before what they use.
    ifOp->getBlock()->getOperations().insert(ifOp->getIterator(), original);
    SetVector<Operation *> condition;
    condition.insert(ifOp.getCondition().getDefiningOp());
    for (unsigned i = 0; i < condition.size(); ++i)
      if (!isa<memref::ExtractStridedMetadataOp>(condition[i]))
        for (Value operand : condition[i]->getOperands())
          condition.insert(operand.getDefiningOp());
    ifOp.erase();
    SmallVector<Operation *> dead = condition.takeVector();
    llvm::sort(
        dead, [](Operation *a, Operation *b) { return b->isBeforeInBlock(a); });
    for (Operation *def : dead)
      if (def->use_empty())
        def->erase();
  }
  return fallbacks;
}
