//===- SpecToLoops.cpp - --tessel-synthesize: spec ops to programs --------===//
//
// Asks the engine for each spec op's best program (a synth::Impl tree) and
// emits it (Emitter.h) as a call of a function of its own.
//
//===----------------------------------------------------------------------===//

#include "tessel/Conversion/SpecToLoops/SpecToLoops.h"
#include "Emitter.h"
#include "tessel/Conversion/Passes.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"
#include "tessel/Dialect/Spec/Synthesis/Decompose.h"
#include "tessel/Dialect/Spec/Synthesis/EngineSpec.h"
#include "tessel/Dialect/Spec/Synthesis/Session.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "llvm/ADT/MapVector.h"

namespace tessel {
#define GEN_PASS_DEF_TESSELSYNTHESIZE
#include "tessel/Conversion/Passes.h.inc"
} // namespace tessel

using namespace mlir;
using namespace tessel;
using namespace tessel::emitter;

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
  // Each operand as the engine states it: its dims in the engine's logical
  // order (a convolution's), after the unit dims the engine adds (an
  // unbatched matmul's batch).
  auto engineOp = cast<spec::EngineSpecOpInterface>(op);
  SmallVector<View> views;
  for (auto [i, operand] : llvm::enumerate(operands)) {
    SmallVector<int64_t> dims = engineOp.getEngineDims(i);
    auto positions = ArrayRef(dims).drop_while([](int64_t d) { return d < 0; });
    unsigned unitDims = dims.size() - positions.size();
    if (!llvm::equal(positions, llvm::seq<int64_t>(0, positions.size())))
      operand = memref::TransposeOp::create(
          b, loc, operand,
          AffineMapAttr::get(AffineMap::getPermutationMap(
              llvm::to_vector_of<unsigned>(positions), ctx)));
    FailureOr<View> v = boundaryView(b, loc, op, operand, unitDims);
    if (failed(v)) {
      fn.func.erase();
      callArgs.eraseMetadata();
      return failure();
    }
    // An operand the engine states smaller than its buffer (a
    // convolution's image, cut to the rows and columns its windows reach)
    // is viewed at the engine's extents.
    auto stated = impl.spec.operands[i].dims();
    if (stated.size() == v->sizes.size() &&
        llvm::all_of(llvm::zip(stated, v->sizes), [](auto pair) {
          return std::get<0>(pair) <= std::get<1>(pair);
        }))
      v->sizes.assign(stated.begin(), stated.end());
    assert(llvm::equal(stated, v->sizes) &&
           "getEngineDims disagrees with the engine spec's operand");
    views.push_back(*v);
  }
  // Streaming pays when the op's buffers (each counted once) would not stay
  // in cache anyway, and not for an output it also reads: that read has
  // brought each line in already.
  // (The engine's output is its last operand.)
  uint64_t bytes = 0;
  OperandRange given = op->getOperands();
  for (auto [i, operand] : llvm::enumerate(given))
    if (llvm::find(given, operand) == given.begin() + i)
      bytes += impl.spec.operands[i].bytes();
  bool outputIsRead = llvm::is_contained(given.drop_back(), given.back());
  streamOutputs = target.streamingStoresFrom && !outputIsRead &&
                  bytes >= target.streamingStoresFrom;
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
  // Each op's program goes into the module nearest it (a module may nest
  // others, each with its own symbols).
  llvm::MapVector<Operation *, std::unique_ptr<Emitter>> emitters;
  bool failed = false;
  for (Operation *op : ops) {
    auto module = op->getParentOfType<ModuleOp>();
    std::unique_ptr<Emitter> &emitter = emitters[module];
    if (!emitter)
      emitter = std::make_unique<Emitter>(module, session.getTarget());
    FailureOr<synth::Impl> program = session.synthesize(op);
    FailureOr<func::CallOp> call = failure();
    if (mlir::succeeded(program))
      call = emitter->emitSpecOp(op, *program);
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

  void getDependentDialects(DialectRegistry &registry) const override {
    TesselSynthesizeBase::getDependentDialects(registry);
    // Spec ops state their engine specs through external models: a tool
    // that registered only the dialect still gets them.
    spec::registerEngineSpecExternalModels(registry);
  }

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
    if (failed(spec::decomposeSpecOps(module, (*session)->getTarget())))
      return signalPassFailure();

    SmallVector<Operation *> specOps;
    module.walk([&](Operation *op) {
      if (isa<spec::SpecOpInterface>(op))
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

std::unique_ptr<Pass>
tessel::createTesselSynthesize(const spec::SynthesisOptions &options) {
  // The inverse of the mapping at the top of runOnOperation.
  TesselSynthesizeOptions pass;
  pass.targetName = options.target;
  pass.threads = options.threads;
  pass.searchThreads = options.searchThreads;
  pass.searchBudget = options.searchBudget;
  pass.dbPath = options.db;
  pass.dbIgnoreMismatch = options.dbIgnoreMismatch;
  return createTesselSynthesize(pass);
}
