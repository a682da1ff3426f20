//===- CheckBuffers.cpp - --tessel-check-buffers --------------------------===//
//
// --tessel-to-llvm lowers buffers. Ops still on tensors would reach the
// conversions to the llvm dialect, which rewrite what they can inside them
// (a named linalg op's body) and leave IR that no longer verifies: name
// each such op first, and say what to do.
//
//===----------------------------------------------------------------------===//

#include "tessel/Conversion/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace tessel {
#define GEN_PASS_DEF_TESSELCHECKBUFFERS
#include "tessel/Conversion/Passes.h.inc"
} // namespace tessel

using namespace mlir;

namespace {
struct TesselCheckBuffers
    : public tessel::impl::TesselCheckBuffersBase<TesselCheckBuffers> {
  using TesselCheckBuffersBase::TesselCheckBuffersBase;

  void runOnOperation() override {
    auto isTensor = [](Type t) { return isa<TensorType>(t); };
    bool found = false;
    // The ops that make or take tensors, not the returns that pass them on
    // or what a reported op holds.
    getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (op->hasTrait<OpTrait::ReturnLike>() ||
          (!llvm::any_of(op->getOperandTypes(), isTensor) &&
           !llvm::any_of(op->getResultTypes(), isTensor)))
        return WalkResult::advance();
      op->emitError("'") << op->getName()
                         << "' works on tensors; --tessel-to-llvm lowers "
                            "buffers: bufferize first (--one-shot-bufferize)";
      found = true;
      return WalkResult::skip();
    });
    // Upstream converts a function it cannot give bare pointers with
    // descriptors, but then cannot convert the calls to it.
    if (barePtrCallConv)
      getOperation()->walk([&](FunctionOpInterface func) {
        if (SymbolTable::symbolKnownUseEmpty(func, getOperation()))
          return;
        if (std::optional<unsigned> i =
                tessel::findNonBarePointerArgument(func)) {
          func.emitError("cannot pass argument #")
              << *i << " of '" << func.getName() << "', "
              << func.getArgumentTypes()[*i]
              << ", as a bare pointer (bare-ptr-call-conv): it needs a "
                 "static shape, strides and offset";
          found = true;
        }
      });
    if (found)
      signalPassFailure();
  }
};
} // namespace

bool tessel::passesAsBarePointer(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  SmallVector<int64_t> strides;
  int64_t offset;
  return memref && memref.hasStaticShape() &&
         succeeded(memref.getStridesAndOffset(strides, offset)) &&
         !ShapedType::isDynamic(offset) &&
         !llvm::any_of(strides, ShapedType::isDynamic);
}

std::optional<unsigned>
tessel::findNonBarePointerArgument(FunctionOpInterface func) {
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes()))
    if (isa<MemRefType>(type) && !passesAsBarePointer(type))
      return i;
  return std::nullopt;
}
