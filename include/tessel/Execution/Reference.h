//===- Reference.h - A reference interpreter for spec ops -------*- C++ -*-===//
//
// Computes what a spec op states, directly from its definition and in double
// precision, on host buffers: the oracle synthesized code is checked
// against. It shares no code with synthesis or lowering.
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_EXECUTION_REFERENCE_H
#define TESSEL_EXECUTION_REFERENCE_H

#include "tessel/Execution/HostBuffer.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/Operation.h"

namespace tessel::exec {

/// An output's error budget: per element, the magnitude its rounding error
/// scales with (sum of |a*b| over the reduction, plus what was accumulated
/// into), and the longest reduction that produced it.
struct ErrorBound {
  std::unique_ptr<HostBuffer> magnitude; // f64, the output's shape
  int64_t terms = 0;
};

} // namespace tessel::exec

#include "tessel/Execution/ReferenceInterface.h.inc"

namespace tessel::exec {

/// Attaches ReferenceOpInterface to every spec op. exec::createContext and
/// the tools that run programs register it.
void registerReferenceExternalModels(mlir::DialectRegistry &registry);

/// Runs spec op `op` on `operands` (one buffer per operand, in order) through
/// its ReferenceOpInterface and updates the output's `bound` (created on
/// first use). Emits an error and fails on ops the interpreter does not
/// model.
mlir::LogicalResult runReference(mlir::Operation *op,
                                 llvm::ArrayRef<HostBuffer *> operands,
                                 ErrorBound &bound);

} // namespace tessel::exec

#endif // TESSEL_EXECUTION_REFERENCE_H
