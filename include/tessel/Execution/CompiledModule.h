//===- CompiledModule.h - MLIR text in, callable functions out --*- C++ -*-===//
//
// What the C API (and through it Python) is built on: compile MLIR text of
// spec or linalg ops into JIT-compiled functions, describe their arguments
// as plain data, and call them on caller-owned buffers of any layout,
// checking every argument first. Nothing here aborts: failures are
// tessel::exec::Failure errors of a kind a binding maps to its exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_EXECUTION_COMPILEDMODULE_H
#define TESSEL_EXECUTION_COMPILEDMODULE_H

#include "tessel/Execution/Runner.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"
#include <functional>

namespace tessel::exec {

/// The kinds of failure (the C API's TesselErrorKind, in the same order).
enum class FailureKind { Compile = 1, Type, Value, Runtime };

/// An error with a kind and a message.
class Failure : public llvm::ErrorInfo<Failure> {
public:
  static char ID;
  Failure(FailureKind kind, std::string message)
      : kind(kind), message(std::move(message)) {}
  FailureKind getKind() const { return kind; }
  const std::string &getMessage() const { return message; }
  void log(llvm::raw_ostream &os) const override { os << message; }
  std::error_code convertToErrorCode() const override {
    return llvm::inconvertibleErrorCode();
  }

private:
  FailureKind kind;
  std::string message;
};
llvm::Error makeFailure(FailureKind kind, const llvm::Twine &message);

/// Element types a caller's buffer may hold (the C API's TesselDType).
enum class DType { F32, F64, F16, BF16, I8, I16, I32, I64 };
llvm::StringRef dtypeName(DType dtype);
unsigned dtypeBytes(DType dtype);

/// One memref argument of a compiled function.
struct Argument {
  DType dtype;
  llvm::SmallVector<int64_t> shape, strides; // strides in elements
  int64_t offset = 0;
  /// Elements from the memref's base to one past its last element.
  int64_t footprint = 0;
  bool written = false;
  std::string type;
  mlir::MemRefType memrefType;
};

/// A caller's buffer: `data` is the address of element [0, ..., 0];
/// strides are in bytes.
struct BufferRef {
  void *data;
  DType dtype;
  llvm::ArrayRef<int64_t> shape, strides;
  bool readonly;
};

class CompiledModule;

struct Function {
  std::string name;
  std::vector<Argument> arguments;
  double flops = 0;
  /// The JIT's packed entry point (bare-pointer arguments).
  void (*entry)(void **) = nullptr;
  const CompiledModule *module = nullptr;

  /// Checks `buffers` against the arguments and calls the function;
  /// thread-safe.
  llvm::Error call(llvm::ArrayRef<BufferRef> buffers) const;
  /// Best seconds of one call (timeBest) on `buffers`, or on seeded random
  /// buffers of its own when `buffers` is empty and the function takes
  /// arguments.
  llvm::Expected<double> bench(llvm::ArrayRef<BufferRef> buffers,
                               unsigned samples) const;
};

class CompiledModule {
public:
  ~CompiledModule();
  /// Parses `source`, imports linalg, synthesizes, lowers and JIT-compiles
  /// it with `options`. Its callable functions are the public ones with a
  /// body that take statically shaped strided memrefs and return nothing;
  /// other public functions are left out with a warning, and a module
  /// with none is an error. A Compile failure's message holds the located
  /// diagnostics.
  static llvm::Expected<std::unique_ptr<CompiledModule>>
  compile(llvm::StringRef source, llvm::StringRef sourceName,
          const ToLLVMOptions &options);

  llvm::ArrayRef<Function> getFunctions() const { return functions; }
  /// The function named `name`, or null.
  const Function *lookup(llvm::StringRef name) const;
  /// Why the public function `name` was left out (empty if it was not).
  llvm::StringRef whyNotCallable(llvm::StringRef name) const;
  /// Warnings and remarks printed while compiling.
  llvm::StringRef getDiagnostics() const { return diagnostics; }

private:
  CompiledModule();
  llvm::Error build(llvm::StringRef source, llvm::StringRef sourceName,
                    const ToLLVMOptions &options);
  std::unique_ptr<mlir::MLIRContext> context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::unique_ptr<Kernel> kernel;
  std::vector<Function> functions;
  std::vector<std::pair<std::string, std::string>> uncallableReasons;
  std::string diagnostics;
};

/// Writes each spec op of `source` (linalg imported first) and its chosen
/// program to `os`, as `tessel explain` does.
llvm::Error explainSource(llvm::StringRef source, llvm::StringRef sourceName,
                          const ToLLVMOptions &options, llvm::raw_ostream &os);

/// A context with every dialect Tessel reads (upstream's and its own).
std::unique_ptr<mlir::MLIRContext> createContext();

} // namespace tessel::exec

#endif // TESSEL_EXECUTION_COMPILEDMODULE_H
