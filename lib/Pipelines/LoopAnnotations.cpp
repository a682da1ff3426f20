//===- LoopAnnotations.cpp - --tessel-loop-annotations --------------------===//
//
// `convert-scf-to-cf` carries an `scf.for`'s `llvm.loop_annotation` to the
// loop's back edge, and `convert-cf-to-llvm` keeps it there as a plain
// attribute of `llvm.br`, which the translation to LLVM IR ignores: it reads
// the branch's own `loop_annotation`. This pass moves it there, so that the
// hints the emitter gives (no unrolling of a loop of scalar kernels) reach
// LLVM as `!llvm.loop` metadata.
//
//===----------------------------------------------------------------------===//

#include "tessel/Conversion/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace tessel {
#define GEN_PASS_DEF_TESSELLOOPANNOTATIONS
#include "tessel/Conversion/Passes.h.inc"
} // namespace tessel

using namespace mlir;

namespace {
constexpr llvm::StringLiteral kCarried = "llvm.loop_annotation";

template <typename Branch> void adopt(Branch br) {
  auto carried = br->template getAttrOfType<LLVM::LoopAnnotationAttr>(kCarried);
  if (!carried)
    return;
  br->removeAttr(kCarried);
  if (!br.getLoopAnnotationAttr())
    br.setLoopAnnotationAttr(carried);
}

struct LoopAnnotations
    : tessel::impl::TesselLoopAnnotationsBase<LoopAnnotations> {
  void runOnOperation() override {
    getOperation()->walk([](Operation *op) {
      if (auto br = dyn_cast<LLVM::BrOp>(op))
        adopt(br);
      else if (auto condBr = dyn_cast<LLVM::CondBrOp>(op))
        adopt(condBr);
    });
  }
};
} // namespace
