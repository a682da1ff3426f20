//===- Runner.h - Compile, run, check and time spec programs ----*- C++ -*-===//
//
// What `tessel run`, `tessel bench` and the differential tests share: lower
// a module of spec functions with --tessel-to-llvm (bare-pointer calling
// convention), JIT it, call its functions on host buffers, check every
// output against the reference interpreter, and time calls.
//
// A runnable function takes statically shaped strided memrefs and its body
// is spec ops on those arguments (then `return`).
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_EXECUTION_RUNNER_H
#define TESSEL_EXECUTION_RUNNER_H

#include "tessel/Execution/HostBuffer.h"
#include "tessel/Execution/Reference.h"
#include "tessel/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include <map>

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace tessel::exec {

/// Emits a located error and fails unless `func` is runnable (see above).
mlir::LogicalResult verifyRunnable(mlir::func::FuncOp func);

/// A module lowered and JIT-compiled for this machine.
class Kernel {
public:
  ~Kernel();
  /// Lowers a clone of `module` (diagnostics go to its context) and compiles
  /// it with LLVM -O3 for the host CPU.
  static llvm::Expected<std::unique_ptr<Kernel>>
  compile(mlir::ModuleOp module, const ToLLVMOptions &options);

  /// The packed entry point of `name`: it takes an array of pointers to
  /// each argument's (bare) pointer.
  llvm::Expected<void (*)(void **)> lookup(llvm::StringRef name);
  /// Calls `name` with one buffer per argument.
  llvm::Error call(llvm::StringRef name, llvm::ArrayRef<HostBuffer *> args);
  /// Best time in seconds of `samples` timed batches of calls (after a
  /// warm-up), each batch long enough to time reliably.
  llvm::Expected<double> time(llvm::StringRef name,
                              llvm::ArrayRef<HostBuffer *> args,
                              unsigned samples);

private:
  Kernel() = default;
  std::unique_ptr<mlir::ExecutionEngine> engine;
};

/// Best time in seconds of one `call`, over `samples` timed batches (after a
/// warm-up), each batch about 50 ms so that the clock's resolution and the
/// loop's overhead do not matter. Kernels and peers are timed alike.
double timeBest(llvm::function_ref<void()> call, unsigned samples);

/// One output argument compared with the reference.
struct OutputCheck {
  unsigned argument = 0;
  /// Largest |got - expected|, and the largest such error relative to the
  /// element's error scale (sum of |a*b|): what the tolerance bounds.
  double maxAbsError = 0, maxRelError = 0;
  double tolerance = 0;
  bool passed = true;
  /// The first failing element, for the report.
  std::string firstMismatch;
};

/// The reference's result for `func` on seeded random inputs (floats
/// uniform in [-range, range], narrowed 4x at a time while the reference
/// overflows): the inputs, the expected arguments after the call, and each
/// written argument's error bound. Computed once, it checks any number of
/// compiled versions of `func` (tessel tune's candidates).
struct ReferenceRun {
  llvm::SmallVector<std::unique_ptr<HostBuffer>> inputs, expected;
  std::map<unsigned, ErrorBound> bounds;
};
llvm::Expected<ReferenceRun> referenceRun(mlir::func::FuncOp func,
                                          unsigned seed, double range = 1.0);
/// Calls `func` in `kernel` on `reference`'s inputs and checks each written
/// argument against it. A non-finite output where the reference is finite
/// fails.
llvm::Expected<std::vector<OutputCheck>>
checkAgainst(mlir::func::FuncOp func, Kernel &kernel,
             const ReferenceRun &reference);

/// Runs `func` (runnable) compiled in `kernel` on seeded random inputs
/// (floats uniform in [-range, range], narrowed 4x at a time while the
/// reference overflows) and checks each output argument against the
/// reference interpreter. A non-finite output where the reference is
/// finite fails.
llvm::Expected<std::vector<OutputCheck>> checkFunction(mlir::func::FuncOp func,
                                                       Kernel &kernel,
                                                       unsigned seed,
                                                       double range = 1.0);

/// Floating-point operations of one call of `func` (2 per multiply-add).
double countFlops(mlir::func::FuncOp func);

/// Bytes one call of `func` must move at least: each spec op reads its
/// inputs and writes its output once.
double countBytes(mlir::func::FuncOp func);

/// Measured peak f32 FMA rate of one core, GFLOP/s (a JIT-compiled loop of
/// independent vector FMAs).
llvm::Expected<double> measurePeakGflops(mlir::MLIRContext &context);

} // namespace tessel::exec

#endif // TESSEL_EXECUTION_RUNNER_H
