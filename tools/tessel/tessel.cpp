//===- tessel.cpp - The Tessel command-line driver ------------------------===//
//
//   tessel specs FILE.mlir      parse and verify FILE, list its spec ops
//   tessel explain FILE.mlir    print each spec op's chosen program
//   ... one file per command (see Driver.h); `tessel --help` lists them.
//
// Every error is a located diagnostic and exit status 1.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"
#include "tessel/InitAllTessel.h"

#include "mlir/InitAllDialects.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"
#include <vector>

using namespace mlir;
using namespace tessel::driver;
namespace cl = llvm::cl;

cl::OptionCategory &tessel::driver::category() {
  static cl::OptionCategory cat("tessel options");
  return cat;
}

static std::vector<std::pair<cl::SubCommand *, int (*)()>> &commands() {
  static std::vector<std::pair<cl::SubCommand *, int (*)()>> list;
  return list;
}

CommandRegistration::CommandRegistration(cl::SubCommand &command,
                                         int (*run)()) {
  commands().emplace_back(&command, run);
}

Session::Session() : handler(sourceMgr, &context) {
  DialectRegistry registry;
  mlir::registerAllDialects(registry);
  tessel::registerAllDialects(registry);
  context.appendDialectRegistry(registry);
  // Diagnostics point at the source line; the generic op dump adds noise.
  context.printOpOnDiagnostic(false);
}

OwningOpRef<ModuleOp> Session::load(StringRef path) {
  std::string error;
  auto file = openInputFile(path, &error);
  if (!file) {
    llvm::errs() << "tessel: " << error << "\n";
    return {};
  }
  sourceMgr.AddNewSourceBuffer(std::move(file), SMLoc());
  return parseSourceFile<ModuleOp>(sourceMgr, &context);
}

PipelineFlags::PipelineFlags(cl::SubCommand &command)
    : target("target", cl::desc("Target: host, avx512 or avx2"),
             cl::init("host"), cl::sub(command), cl::cat(category())),
      threads("threads",
              cl::desc("Cores to synthesize for and run on (0: all; 1: "
                       "serial code)"),
              cl::init(0), cl::sub(command), cl::cat(category())),
      db("db",
         cl::desc("Memo database to read and update (default: a memo that "
                  "lives for this run)"),
         cl::sub(command), cl::cat(category())),
      dbIgnoreMismatch(
          "db-ignore-mismatch",
          cl::desc("Replace a database made for another target or cost "
                   "model, or a damaged one, with a warning"),
          cl::sub(command), cl::cat(category())) {}

void PipelineFlags::apply(ToLLVMOptions &options) const {
  options.target = target.getValue();
  options.threads = threads.getValue();
  options.db = db.getValue();
  options.dbIgnoreMismatch = dbIgnoreMismatch.getValue();
}

std::optional<CompiledFile>
tessel::driver::compileRunnable(Session &session, StringRef path,
                                StringRef funcName,
                                const PipelineFlags &flags) {
  CompiledFile file;
  file.module = session.load(path);
  if (!file.module)
    return std::nullopt;
  for (auto func : file.module->getOps<func::FuncOp>())
    if (funcName.empty() || func.getName() == funcName)
      file.funcs.push_back(func);
  if (file.funcs.empty()) {
    llvm::errs() << "tessel: " << path << ": no function"
                 << (funcName.empty() ? "" : " named '" + funcName + "'")
                 << " to run\n";
    return std::nullopt;
  }
  for (func::FuncOp func : file.funcs)
    if (failed(exec::verifyRunnable(func)))
      return std::nullopt;
  ToLLVMOptions options;
  flags.apply(options);
  auto kernel = exec::Kernel::compile(*file.module, options);
  if (!kernel) {
    llvm::errs() << "tessel: " << llvm::toString(kernel.takeError()) << "\n";
    return std::nullopt;
  }
  file.kernel = std::move(*kernel);
  return file;
}

std::optional<tessel::synth::Target>
tessel::driver::parseTarget(StringRef name) {
  if (std::optional<synth::Target> target = synth::Target::byName(name))
    return target;
  llvm::errs() << "tessel: unknown target '" << name
               << "'; expected host, avx512 or avx2\n";
  return std::nullopt;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // libLLVM and libMLIR register hundreds of options; show only Tessel's.
  cl::HideUnrelatedOptions(category());
  cl::ParseCommandLineOptions(argc, argv,
                              "Tessel: synthesize fast tensor kernels\n");
  for (auto [command, run] : commands())
    if (*command)
      return run();
  llvm::errs() << "tessel: no command given; see 'tessel --help'\n";
  return 1;
}
