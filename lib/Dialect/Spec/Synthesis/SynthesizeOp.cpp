//===- SynthesizeOp.cpp - The best program for one spec op ----------------===//

#include "tessel/Dialect/Spec/Synthesis/SynthesizeOp.h"
#include "tessel/Dialect/Spec/IR/SpecDialect.h"
#include "tessel/Dialect/Spec/Synthesis/Decompose.h"
#include "tessel/Dialect/Spec/Synthesis/EngineSpec.h"

#include "mlir/IR/AsmState.h"

using namespace mlir;
using namespace tessel;

FailureOr<synth::Impl> spec::synthesizeOp(Operation *op,
                                          const synth::Target &target,
                                          const synth::SearchOptions &options,
                                          memo::Database *db, synth::Memo &memo,
                                          synth::SearchStats *stats) {
  FailureOr<synth::Spec> spec = getEngineSpec(op, target);
  if (failed(spec))
    return failure();
  memo::Synthesis result =
      memo::synthesizeFrom(*spec, target, options, db, memo);
  if (stats) {
    stats->specsExpanded += result.stats.specsExpanded;
    stats->specsSolved += result.stats.specsSolved;
    stats->actionsTried += result.stats.actionsTried;
    stats->actionsPruned += result.stats.actionsPruned;
    stats->memoHits += result.stats.memoHits;
    stats->budgetExceeded |= result.stats.budgetExceeded;
  }
  for (const std::string &warning : result.warnings)
    op->emitWarning(warning);
  if (!result.error.empty())
    return op->emitError(result.error);
  if (result.programs.empty())
    return op->emitError("no implementation of this spec fits target ")
           << target.name() << ": " << spec->str(/*withLimits=*/false);
  return std::move(result.programs.front());
}

LogicalResult spec::explainModule(ModuleOp module, const synth::Target &target,
                                  const synth::SearchOptions &options,
                                  memo::Database *db, llvm::raw_ostream &os,
                                  synth::SearchStats *stats) {
  if (mlir::failed(decomposeSpecOps(module)))
    return failure();
  synth::HashMemo runMemo;
  bool failed = false;
  AsmState state(module);
  module->walk([&](Operation *op) {
    if (!isa<SpecDialect>(op->getDialect()))
      return;
    FailureOr<synth::Impl> program =
        synthesizeOp(op, target, options, db, runMemo, stats);
    if (mlir::failed(program)) {
      failed = true;
      return;
    }
    op->print(os, state);
    os << "\n";
    program->explain(os, target);
    os << "\n";
  });
  return failure(failed);
}
