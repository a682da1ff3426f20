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

std::optional<tessel::synth::Target>
tessel::driver::parseTarget(StringRef name) {
  if (name == "host")
    return synth::Target::host();
  if (name == "avx512")
    return synth::Target::avx512();
  if (name == "avx2")
    return synth::Target::avx2();
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
