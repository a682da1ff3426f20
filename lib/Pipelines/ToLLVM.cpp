//===- ToLLVM.cpp - The --tessel-to-llvm pipeline -------------------------===//

#include "tessel/Conversion/Passes.h"
#include "tessel/Conversion/SpecToLoops/SpecToLoops.h"
#include "tessel/Pipelines/Pipelines.h"
#include "tessel/Synthesis/Target.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

tessel::spec::SynthesisOptions tessel::ToLLVMOptions::synthesis() const {
  spec::SynthesisOptions s;
  s.target = target;
  s.threads = threads;
  s.searchThreads = searchThreads;
  s.searchBudget = searchBudget;
  s.db = db;
  s.dbIgnoreMismatch = dbIgnoreMismatch;
  return s;
}

void tessel::buildToLLVMPipeline(OpPassManager &pm,
                                 const ToLLVMOptions &options) {
  TesselCheckBuffersOptions check;
  check.barePtrCallConv = options.barePtrCallConv;
  pm.addPass(createTesselCheckBuffers(check));
  pm.addPass(createTesselSynthesize(options.synthesis()));
  TesselLowerMicrokernelsOptions lower;
  bool bf16Instructions = false;
  if (options.avx512Instructions) {
    // (A target that does not resolve fails in the synthesize pass.)
    llvm::Expected<synth::Target> target = synth::Target::named(options.target);
    if (target) {
      lower.avx512 = target->isa == synth::Isa::AVX512;
      bf16Instructions =
          lower.avx512 && target->hasBf16Dot && options.bf16Instructions;
    } else {
      llvm::consumeError(target.takeError());
    }
  }
  pm.addPass(createTesselLowerMicrokernels(lower));
  // Ops Tessel does not synthesize (linalg on memrefs that the import left
  // alone) take upstream's loop lowering.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // Parallel tiles: scf.forall -> scf.parallel -> omp.parallel + wsloop.
  pm.addPass(createForallToParallelLoopPass());
  ConvertSCFToOpenMPPassOptions openmp;
  openmp.numThreads = options.threads;
  pm.addPass(createConvertSCFToOpenMPPass(openmp));
  // It wraps each parallel body in a memref.alloca_scope, which must stay
  // one block: inline the scopes that allocate nothing (all of synthesis's,
  // most of a user's) before loops inside them become branches.
  pm.addPass(createCanonicalizerPass());

  // Standard lowering to the llvm dialect.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  ConvertVectorToLLVMPassOptions vector;
  vector.x86Vector = true;
  pm.addPass(createConvertVectorToLLVMPass(vector));
  if (!bf16Instructions) {
    // bf16 arithmetic of ops left to upstream's loops goes through f32, and
    // every bf16 rounding then through integer ops.
    arith::ArithEmulateUnsupportedFloatsOptions emulate;
    emulate.sourceTypeStrs = {"bf16"};
    pm.addPass(arith::createArithEmulateUnsupportedFloats(emulate));
    pm.addPass(createTesselLegalizeBf16());
  }
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  ConvertFuncToLLVMPassOptions func;
  func.useBarePtrCallConv = options.barePtrCallConv;
  pm.addPass(createConvertFuncToLLVMPass(func));
  pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createTesselLoopAnnotations());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(tessel::createTesselCheckLowered());
}

void tessel::registerToLLVMPipeline() {
  // PassPipelineRegistration's builder cannot fail, and adding the module
  // passes to a pass manager nested on another op aborts: refuse that
  // nesting with an error instead (and `any`, which would skip every pass
  // on the ops it meets and leave the module as it was).
  registerPassPipeline(
      "tessel-to-llvm",
      "Synthesize spec ops and lower everything to the llvm dialect",
      [](OpPassManager &pm, StringRef text,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        if (pm.getOpAnchorName() != ModuleOp::getOperationName())
          return errorHandler("tessel-to-llvm lowers a whole builtin.module; "
                              "it cannot run nested in '" +
                              pm.getOpAnchorName() + "'");
        ToLLVMOptions options;
        if (failed(options.parseFromString(text)))
          return failure();
        buildToLLVMPipeline(pm, options);
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> handler) {
        handler(ToLLVMOptions());
      });
}
