//===- Session.cpp - One synthesis: options, target, memo, database -------===//

#include "tessel/Dialect/Spec/Synthesis/Session.h"
#include "tessel/Dialect/Spec/IR/SpecDialect.h"
#include "tessel/Dialect/Spec/Synthesis/Decompose.h"
#include "tessel/Dialect/Spec/Synthesis/EngineSpec.h"

#include "mlir/IR/AsmState.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Threading.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::spec;

llvm::Expected<std::unique_ptr<SynthesisSession>>
SynthesisSession::open(const SynthesisOptions &options) {
  for (auto [name, count] : {std::pair{"threads", options.threads},
                             {"search threads", options.searchThreads}})
    if (count > synth::kMaxThreads)
      return llvm::createStringError(
          llvm::formatv("{0}: {1} asked for, at most {2}", name, count,
                        synth::kMaxThreads)
              .str());
  llvm::Expected<synth::Target> target = synth::Target::named(options.target);
  if (!target)
    return target.takeError();
  std::unique_ptr<SynthesisSession> session(new SynthesisSession());
  session->target = *target;
  if (options.threads)
    session->target.cores = options.threads;
  session->search.budget = options.searchBudget;
  session->search.threads =
      options.searchThreads
          ? options.searchThreads
          : llvm::hardware_concurrency().compute_thread_count();
  if (!options.db.empty()) {
    memo::DatabaseOptions dbOptions;
    dbOptions.ignoreMismatch = dbOptions.replaceDamaged =
        options.dbIgnoreMismatch;
    auto db = memo::Database::open(options.db, session->target, dbOptions);
    if (!db)
      return db.takeError();
    session->db = std::move(*db);
  }
  return session;
}

llvm::ArrayRef<std::string> SynthesisSession::getWarnings() const {
  return db ? db->warnings() : llvm::ArrayRef<std::string>();
}

FailureOr<synth::Impl> SynthesisSession::synthesize(Operation *op) {
  FailureOr<synth::Spec> spec = getEngineSpec(op, target);
  if (failed(spec))
    return failure();
  memo::Synthesis result =
      memo::synthesizeFrom(*spec, target, search, db.get(), memo);
  stats.specsExpanded += result.stats.specsExpanded;
  stats.specsSolved += result.stats.specsSolved;
  stats.actionsTried += result.stats.actionsTried;
  stats.actionsPruned += result.stats.actionsPruned;
  stats.memoHits += result.stats.memoHits;
  stats.budgetExceeded |= result.stats.budgetExceeded;
  for (const std::string &warning : result.warnings)
    op->emitWarning(warning);
  if (!result.error.empty())
    return op->emitError(result.error);
  if (result.programs.empty())
    return op->emitError("no implementation of this spec fits target ")
           << target.name() << ": " << spec->str(/*withLimits=*/false);
  return std::move(result.programs.front());
}

FailureOr<std::vector<synth::Alternative>>
SynthesisSession::alternatives(Operation *op, unsigned k, double minGap) {
  FailureOr<synth::Spec> spec = getEngineSpec(op, target);
  if (failed(spec))
    return failure();
  synth::Search s(target, db ? db->memo() : memo, search);
  std::vector<synth::Alternative> programs = s.alternatives(*spec, k, minGap);
  if (programs.empty())
    return op->emitError("no implementation of this spec fits target ")
           << target.name() << ": " << spec->str(/*withLimits=*/false);
  return programs;
}

LogicalResult SynthesisSession::recordTuned(Operation *op,
                                            const synth::Pin &pin) {
  if (!db)
    return op->emitError("a tuned choice is kept in a memo database: give "
                         "one (--db)");
  FailureOr<synth::Spec> spec = getEngineSpec(op, target);
  if (failed(spec))
    return failure();
  db->compressed().setTuned(spec->canonical(), pin);
  return success();
}

LogicalResult SynthesisSession::explain(ModuleOp module,
                                        llvm::raw_ostream &os) {
  if (failed(verifyOnBuffers(module)) ||
      failed(decomposeSpecOps(module, target)))
    return failure();
  bool failed = false;
  AsmState state(module);
  module->walk([&](Operation *op) {
    if (!isa<SpecOpInterface>(op))
      return;
    FailureOr<synth::Impl> program = synthesize(op);
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

llvm::Error SynthesisSession::save() {
  return db ? db->save() : llvm::Error::success();
}
