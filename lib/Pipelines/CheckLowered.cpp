//===- CheckLowered.cpp - --tessel-check-lowered --------------------------===//
//
// The pipeline's promise is all or nothing: a module comes out in the llvm
// dialect (with OpenMP's ops for parallel loops) or the run fails, naming
// each op that is left and where it is.
//
//===----------------------------------------------------------------------===//

#include "tessel/Conversion/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace tessel {
#define GEN_PASS_DEF_TESSELCHECKLOWERED
#include "tessel/Conversion/Passes.h.inc"
} // namespace tessel

using namespace mlir;

namespace {
struct TesselCheckLowered
    : public tessel::impl::TesselCheckLoweredBase<TesselCheckLowered> {
  void runOnOperation() override {
    unsigned reported = 0;
    // Casts between type systems are left only beside an op that stopped
    // the lowering: name that op, and the casts only if nothing else is.
    bool castsOnly = true;
    getOperation()->walk([&](Operation *op) {
      if (!isa<ModuleOp, UnrealizedConversionCastOp>(op) &&
          !op->hasTrait<OpTrait::ReturnLike>() &&
          !isa_and_nonnull<LLVM::LLVMDialect, omp::OpenMPDialect>(
              op->getDialect()))
        castsOnly = false;
    });
    auto lowered = [&](Operation *op) {
      return isa<ModuleOp>(op) ||
             (!castsOnly && isa<UnrealizedConversionCastOp>(op)) ||
             isa_and_nonnull<LLVM::LLVMDialect, omp::OpenMPDialect>(
                 op->getDialect());
    };
    auto report = [&](Operation *op) {
      auto isTensor = [](Type t) { return isa<TensorType>(t); };
      InFlightDiagnostic diag = op->emitError("'");
      diag << op->getName()
           << "' is left after lowering to the llvm dialect: Tessel does not "
              "synthesize it and the pipeline's upstream conversions do not "
              "lower it";
      if (llvm::any_of(op->getOperandTypes(), isTensor) ||
          llvm::any_of(op->getResultTypes(), isTensor))
        diag << " (ops on tensors need bufferization first)";
      ++reported;
    };
    // The ops that stopped the lowering, not what merely contains them (a
    // function left because its body was) or belongs to them (a return, a
    // linalg body's yield).
    getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (lowered(op))
        return WalkResult::advance();
      if (isa<FunctionOpInterface>(op)) {
        unsigned before = reported;
        op->walk<WalkOrder::PreOrder>([&](Operation *inner) {
          if (inner == op || lowered(inner) ||
              inner->hasTrait<OpTrait::ReturnLike>())
            return WalkResult::advance();
          report(inner);
          return WalkResult::skip();
        });
        if (reported == before) // only its signature is left
          report(op);
        return WalkResult::skip();
      }
      if (!op->hasTrait<OpTrait::ReturnLike>())
        report(op);
      return WalkResult::skip();
    });
    if (reported)
      signalPassFailure();
  }
};
} // namespace
