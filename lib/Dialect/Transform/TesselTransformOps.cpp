//===- TesselTransformOps.cpp - Tessel in the transform dialect ----------===//

#include "tessel/Dialect/Transform/TesselTransformOps.h"
#include "tessel/Conversion/LinalgToSpec/LinalgToSpec.h"
#include "tessel/Conversion/SpecToLoops/SpecToLoops.h"
#include "tessel/Dialect/Spec/IR/SpecDialect.h"
#include "tessel/Dialect/Spec/Synthesis/Decompose.h"
#include "tessel/Dialect/Spec/Synthesis/EngineSpec.h"
#include "tessel/Dialect/Ukernel/IR/UkernelDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace tessel;

#define GET_OP_CLASSES
#include "tessel/Dialect/Transform/TesselTransformOps.cpp.inc"

namespace {
/// What a rewrite of one op made, and why a pattern declined.
struct Recorder : RewriterBase::Listener {
  SmallVector<Operation *> inserted;
  llvm::SmallPtrSet<Operation *, 4> erased;
  std::string reason;
  void notifyOperationInserted(Operation *op, OpBuilder::InsertPoint) override {
    inserted.push_back(op);
  }
  void notifyOperationErased(Operation *op) override { erased.insert(op); }
  void
  notifyMatchFailure(Location loc,
                     function_ref<void(Diagnostic &)> reasonCallback) override {
    Diagnostic diag(loc, DiagnosticSeverity::Remark);
    reasonCallback(diag);
    reason = diag.str();
  }
};

/// Applies `patterns` to `op` alone (and to what they make of it). The spec
/// ops that stand for `op` afterwards, or `reason` when nothing applied.
FailureOr<SmallVector<Operation *>>
rewriteOne(Operation *op, const FrozenRewritePatternSet &patterns,
           std::string &reason) {
  Recorder recorder;
  GreedyRewriteConfig config;
  config.setListener(&recorder);
  config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
  config.enableFolding(false);
  bool changed = false;
  (void)applyOpPatternsGreedily(ArrayRef<Operation *>{op}, patterns, config,
                                &changed);
  if (!changed) {
    reason = recorder.reason;
    return failure();
  }
  SmallVector<Operation *> specOps;
  if (!recorder.erased.contains(op) && isa<spec::SpecOpInterface>(op))
    specOps.push_back(op);
  for (Operation *made : recorder.inserted)
    if (!recorder.erased.contains(made) && isa<spec::SpecOpInterface>(made))
      specOps.push_back(made);
  return specOps;
}
} // namespace

//===----------------------------------------------------------------------===//
// transform.tessel.import
//===----------------------------------------------------------------------===//

namespace {
/// Records the ops erased, and forwards every notification.
struct ErasedOps : RewriterBase::ForwardingListener {
  using ForwardingListener::ForwardingListener;
  void notifyOperationErased(Operation *op) override {
    ops.insert(op);
    ForwardingListener::notifyOperationErased(op);
  }
  llvm::DenseSet<Operation *> ops;
};
} // namespace

DiagnosedSilenceableFailure
transform::TesselImportOp::apply(transform::TransformRewriter &rewriter,
                                 transform::TransformResults &results,
                                 transform::TransformState &state) {
  RewritePatternSet set(getContext());
  populateLinalgToSpecPatterns(set);
  FrozenRewritePatternSet patterns(std::move(set));
  SmallVector<Operation *> made;
  // The functions of the imported ops: padded images the convolutions no
  // longer read go after the import, through `rewriter` so that handles to
  // them are updated, and out of the result (a spec.fill of one may be in
  // it).
  llvm::SetVector<Operation *> scopes;
  auto cleanUp = [&] {
    ErasedOps erased(rewriter.getListener());
    OpBuilder::Listener *tracking = rewriter.getListener();
    rewriter.setListener(&erased);
    for (Operation *scope : scopes)
      erasePaddedImages(scope, rewriter);
    rewriter.setListener(tracking);
    llvm::erase_if(made,
                   [&](Operation *op) { return erased.ops.contains(op); });
  };
  auto fail = [&](Operation *op, const Twine &why) {
    // The clean-up may erase `op` (a dealloc of a padded image).
    Location at = op->getLoc();
    cleanUp();
    results.set(cast<OpResult>(getResult()), made);
    DiagnosedSilenceableFailure diag = emitSilenceableError() << why;
    diag.attachNote(at) << "this op";
    return diag;
  };
  for (Operation *op : state.getPayloadOps(getOps())) {
    if (!isa_and_present<linalg::LinalgDialect>(op->getDialect()))
      return fail(op, "expects linalg ops, got '" +
                          op->getName().getStringRef() + "'");
    if (failed(verifySizeHints(op)))
      return DiagnosedSilenceableFailure::definiteFailure();
    std::string reason;
    scopes.insert(op->getParentWithTrait<OpTrait::IsIsolatedFromAbove>());
    FailureOr<SmallVector<Operation *>> specOps =
        rewriteOne(op, patterns, reason);
    if (failed(specOps))
      return fail(op, "cannot import this op" +
                          (reason.empty() ? Twine() : ": " + reason));
    made.append(*specOps);
  }
  cleanUp();
  results.set(cast<OpResult>(getResult()), made);
  return DiagnosedSilenceableFailure::success();
}

//===----------------------------------------------------------------------===//
// transform.tessel.synthesize
//===----------------------------------------------------------------------===//

DiagnosedSilenceableFailure
transform::TesselSynthesizeOp::apply(transform::TransformRewriter &rewriter,
                                     transform::TransformResults &results,
                                     transform::TransformState &state) {
  for (Operation *op : state.getPayloadOps(getOps()))
    if (!isa<spec::SpecOpInterface>(op)) {
      results.set(cast<OpResult>(getResult()), {});
      DiagnosedSilenceableFailure diag =
          emitSilenceableError()
          << "expects spec ops (import linalg ops first with "
             "transform.tessel.import), got '"
          << op->getName() << "'";
      diag.attachNote(op->getLoc()) << "this op";
      return diag;
    }

  spec::SynthesisOptions options;
  options.target = getTarget().str();
  options.threads = unsigned(getThreads());
  options.searchThreads = unsigned(getSearchThreads());
  if (std::optional<uint64_t> budget = getSearchBudget())
    options.searchBudget = *budget;
  options.db = getDb().str();
  auto session = spec::SynthesisSession::open(options);
  if (!session)
    return emitDefiniteFailure() << llvm::toString(session.takeError());
  for (const std::string &warning : (*session)->getWarnings())
    emitWarning() << warning;

  SmallVector<Operation *> specOps;
  RewritePatternSet set(getContext());
  spec::populateDecompositionPatterns(set, (*session)->getTarget());
  FrozenRewritePatternSet decompositions(std::move(set));
  for (Operation *op : state.getPayloadOps(getOps())) {
    if (failed(spec::verifyOnBuffers(op)))
      return DiagnosedSilenceableFailure::definiteFailure();
    // Composite ops (softmax) become the ops they are made of.
    std::string unused;
    FailureOr<SmallVector<Operation *>> parts =
        rewriteOne(op, decompositions, unused);
    if (succeeded(parts))
      specOps.append(*parts);
    else
      specOps.push_back(op);
  }

  SmallVector<Operation *> calls;
  if (failed(synthesizeSpecOps(specOps, **session, &calls)))
    return emitDefiniteFailure() << "synthesis failed (see the errors above)";
  if (llvm::Error e = (*session)->save())
    return emitDefiniteFailure() << llvm::toString(std::move(e));
  results.set(cast<OpResult>(getResult()), calls);
  return DiagnosedSilenceableFailure::success();
}

//===----------------------------------------------------------------------===//
// The extension
//===----------------------------------------------------------------------===//

namespace {
class TesselTransformExtension
    : public transform::TransformDialectExtension<TesselTransformExtension> {
public:
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TesselTransformExtension)
  using Base::Base;

  void init() {
    // What the transforms make: spec ops, then programs.
    declareGeneratedDialect<spec::SpecDialect>();
    declareGeneratedDialect<ukernel::UkernelDialect>();
    declareGeneratedDialect<affine::AffineDialect>();
    declareGeneratedDialect<arith::ArithDialect>();
    declareGeneratedDialect<func::FuncDialect>();
    declareGeneratedDialect<linalg::LinalgDialect>();
    // Loop hints (llvm.loop_annotation) on loops of scalar kernels.
    declareGeneratedDialect<LLVM::LLVMDialect>();
    declareGeneratedDialect<memref::MemRefDialect>();
    declareGeneratedDialect<scf::SCFDialect>();
    registerTransformOps<
#define GET_OP_LIST
#include "tessel/Dialect/Transform/TesselTransformOps.cpp.inc"
        >();
  }
};
} // namespace

void tessel::registerTransformExtension(DialectRegistry &registry) {
  registry.addExtensions<TesselTransformExtension>();
  // transform.tessel.synthesize asks spec ops for their engine specs.
  spec::registerEngineSpecExternalModels(registry);
}
