//===- Session.h - One synthesis: options, target, memo, database -*- C++
//-*-===//
//
// What the synthesize pass, `tessel explain`, the pipeline and the C API
// share: the options of a synthesis (declared once here), the target they
// select, one memo for every op (the database's, or one for the session),
// the search's warnings and errors at each op, and saving at the end.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_DIALECT_SPEC_SYNTHESIS_SESSION_H
#define TESSEL_DIALECT_SPEC_SYNTHESIS_SESSION_H

#include "tessel/Memo/Database.h"
#include "tessel/Synthesis/Impl.h"
#include "tessel/Synthesis/Search.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

namespace tessel::spec {

/// What a synthesis is asked for.
struct SynthesisOptions {
  /// "host", a shipped target or a .target file (Target::named).
  std::string target = "host";
  /// Cores the programs are synthesized for (0: the target's own).
  unsigned threads = 0;
  /// Threads of the search (0: all cores); the programs are the same.
  unsigned searchThreads = 0;
  /// Specs the search may expand per op (0: no limit).
  uint64_t searchBudget = synth::SearchOptions::kDefaultBudget;
  /// The memo database to read and update (empty: a memo for the session).
  std::string db;
  /// Replace a mismatched or damaged database (with a warning).
  bool dbIgnoreMismatch = false;
};

class SynthesisSession {
public:
  /// Fails on an unknown target, a thread count above synth::kMaxThreads or a
  /// database that cannot be used.
  static llvm::Expected<std::unique_ptr<SynthesisSession>>
  open(const SynthesisOptions &options);

  const synth::Target &getTarget() const { return target; }
  /// Warnings from opening the database (an ignored mismatch or damage).
  llvm::ArrayRef<std::string> getWarnings() const;
  /// What the searches have done so far.
  const synth::SearchStats &getStats() const { return stats; }

  /// The best program for spec op `op` (stated with getEngineSpec and
  /// searched with this session's memo). Emits the search's warnings at
  /// `op`, and an error when it fails.
  mlir::FailureOr<synth::Impl> synthesize(mlir::Operation *op);

  /// Up to `k` genuinely different programs for spec op `op`, the model's
  /// best first (synth::Search::alternatives), for `tessel tune` to time.
  mlir::FailureOr<std::vector<synth::Alternative>>
  alternatives(mlir::Operation *op, unsigned k, double minGap = 0);
  /// Records in the database that `op`'s spec takes `pin` (the program
  /// `tessel tune` measured fastest): every later synthesis of that spec
  /// with this database builds it. Fails, at `op`, without a database.
  mlir::LogicalResult recordTuned(mlir::Operation *op, const synth::Pin &pin);

  /// Decomposes `module`'s composite spec ops, synthesizes every spec op
  /// and prints each op and its program's explanation to `os`. Fails,
  /// after emitting why, if any op has no program.
  mlir::LogicalResult explain(mlir::ModuleOp module, llvm::raw_ostream &os);

  /// Saves what the session found into its database, if it has one.
  llvm::Error save();

private:
  SynthesisSession() = default;
  synth::Target target;
  synth::SearchOptions search;
  std::unique_ptr<memo::Database> db;
  synth::HashMemo memo;
  synth::SearchStats stats;
};

} // namespace tessel::spec

#endif // TESSEL_DIALECT_SPEC_SYNTHESIS_SESSION_H
