//===- Driver.h - Shared pieces of the tessel driver's commands -*- C++ -*-===//
//
// Each `tessel` subcommand lives in its own file: it declares its
// cl::SubCommand and options, and registers a run function with
// TESSEL_COMMAND. main() runs the one the command line selected.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_TOOLS_TESSEL_DRIVER_H
#define TESSEL_TOOLS_TESSEL_DRIVER_H

#include "tessel/Execution/Runner.h"
#include "tessel/Pipelines/Pipelines.h"
#include "tessel/Synthesis/Target.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"
#include <optional>

namespace tessel::driver {

/// The category of every option of the driver (all others are hidden).
llvm::cl::OptionCategory &category();

/// Registers `run` for `command`; see TESSEL_COMMAND.
struct CommandRegistration {
  CommandRegistration(llvm::cl::SubCommand &command, int (*run)());
};
#define TESSEL_COMMAND(subcommand, fn)                                         \
  static ::tessel::driver::CommandRegistration fn##Registration(subcommand, fn)

/// A context with every dialect Tessel reads; parses and verifies files with
/// diagnostics (file:line:col) on stderr. Modules nested deeper than
/// tessel::kMaxNesting are refused with a located error.
class Session {
public:
  Session();
  /// Nothing (after printing why) if the file is missing or invalid.
  mlir::OwningOpRef<mlir::ModuleOp> load(llvm::StringRef path);
  mlir::MLIRContext &getContext() { return context; }

private:
  mlir::MLIRContext context;
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler handler;
};

/// The flags of every command that compiles programs (run, bench, compile):
/// --target, --threads, --db and --db-ignore-mismatch, registered for
/// `command`.
class PipelineFlags {
public:
  explicit PipelineFlags(llvm::cl::SubCommand &command);
  /// Sets the --tessel-to-llvm options they select.
  void apply(ToLLVMOptions &options) const;
  /// --db: the memo database (empty: none).
  llvm::StringRef dbPath() const { return db.getValue(); }

private:
  llvm::cl::opt<std::string> target;
  llvm::cl::opt<unsigned> threads;
  llvm::cl::opt<unsigned> searchBudget;
  llvm::cl::opt<std::string> db;
  llvm::cl::opt<bool> dbIgnoreMismatch;
};

/// With a function named, erases the module's other functions, so that they
/// are neither synthesized nor compiled (runnable functions hold spec ops
/// only: nothing calls them).
void keepOnlyFunction(mlir::ModuleOp module, llvm::StringRef funcName);

/// A file's runnable functions (all, or the one named), lowered and
/// JIT-compiled with `flags`. Nothing, after printing why, if the file does
/// not load, has no such function, holds one that cannot run, or does not
/// compile.
struct CompiledFile {
  mlir::OwningOpRef<mlir::ModuleOp> module;
  llvm::SmallVector<mlir::func::FuncOp> funcs;
  std::unique_ptr<exec::Kernel> kernel;
};
std::optional<CompiledFile> compileRunnable(Session &session,
                                            llvm::StringRef path,
                                            llvm::StringRef funcName,
                                            const PipelineFlags &flags);

/// Seeded random buffers for `func`'s arguments (what bench and tune time
/// on), or nothing after printing why.
struct RandomArguments {
  llvm::SmallVector<std::unique_ptr<exec::HostBuffer>> buffers;
  llvm::SmallVector<exec::HostBuffer *> args;
};
std::optional<RandomArguments> randomArguments(mlir::func::FuncOp func);

/// A file a command reads or writes, and the flag (or role) that names it.
struct NamedPath {
  llvm::StringRef role, path;
};
/// Fails, after printing why, if an output names the same file as an input
/// or as another output (through links and `..`, existing or not); empty
/// paths are ignored.
mlir::LogicalResult refuseCollisions(llvm::ArrayRef<NamedPath> inputs,
                                     llvm::ArrayRef<NamedPath> outputs);

/// host, a shipped target or a description file; prints an error and returns
/// nothing otherwise.
std::optional<synth::Target> parseTarget(llvm::StringRef name);

} // namespace tessel::driver

#endif // TESSEL_TOOLS_TESSEL_DRIVER_H
