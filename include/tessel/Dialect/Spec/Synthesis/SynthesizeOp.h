//===- SynthesizeOp.h - The best program for one spec op --------*- C++ -*-===//
#ifndef TESSEL_DIALECT_SPEC_SYNTHESIS_SYNTHESIZEOP_H
#define TESSEL_DIALECT_SPEC_SYNTHESIS_SYNTHESIZEOP_H

#include "tessel/Memo/Database.h"
#include "tessel/Synthesis/Impl.h"
#include "tessel/Synthesis/Search.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Operation.h"

namespace tessel::spec {

/// The best program for spec op `op`: states it (getEngineSpec) and
/// synthesizes it with `db`'s memo, or `memo` without a database
/// (memo::synthesizeFrom). Emits the search's warnings at `op`, and an error
/// when it fails. `stats`, if given, accumulates the search's work.
mlir::FailureOr<synth::Impl> synthesizeOp(mlir::Operation *op,
                                          const synth::Target &target,
                                          const synth::SearchOptions &options,
                                          memo::Database *db, synth::Memo &memo,
                                          synth::SearchStats *stats = nullptr);

/// Synthesizes every spec op of `module` (one memo for all: `db`'s, or one
/// for this call) and prints each op and its program's explanation to `os`.
/// Fails, after emitting why, if any op has no program.
mlir::LogicalResult explainModule(mlir::ModuleOp module,
                                  const synth::Target &target,
                                  const synth::SearchOptions &options,
                                  memo::Database *db, llvm::raw_ostream &os,
                                  synth::SearchStats *stats = nullptr);

} // namespace tessel::spec

#endif // TESSEL_DIALECT_SPEC_SYNTHESIS_SYNTHESIZEOP_H
