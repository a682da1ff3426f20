//===- tessel.cpp - The Tessel command-line driver ------------------------===//
//
//   tessel specs FILE.mlir    parse and verify FILE, list its spec ops
//
// Every error is a located diagnostic and exit status 1.
//
//===----------------------------------------------------------------------===//

#include "tessel/Dialect/Spec/IR/SpecDialect.h"
#include "tessel/InitAllTessel.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory tesselCategory("tessel options");

static cl::SubCommand specsCommand(
    "specs", "Parse and verify a spec program, and list its spec ops");
static cl::opt<std::string> specsInput(cl::Positional, cl::Required,
                                       cl::desc("<input.mlir>"),
                                       cl::sub(specsCommand),
                                       cl::cat(tesselCategory));

namespace {
/// Parses and verifies a file; diagnostics go to stderr with locations.
class Session {
public:
  Session() : handler(sourceMgr, &context) {
    DialectRegistry registry;
    registerAllDialects(registry);
    tessel::registerAllDialects(registry);
    context.appendDialectRegistry(registry);
  }

  OwningOpRef<ModuleOp> load(StringRef path) {
    std::string error;
    auto file = openInputFile(path, &error);
    if (!file) {
      llvm::errs() << "tessel: " << error << "\n";
      return {};
    }
    sourceMgr.AddNewSourceBuffer(std::move(file), SMLoc());
    return parseSourceFile<ModuleOp>(sourceMgr, &context);
  }

private:
  MLIRContext context;
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler;
};
} // namespace

static int runSpecs() {
  Session session;
  OwningOpRef<ModuleOp> module = session.load(specsInput);
  if (!module)
    return 1;
  AsmState state(*module);
  unsigned count = 0;
  module->walk([&](Operation *op) {
    if (!isa<tessel::spec::SpecDialect>(op->getDialect()))
      return;
    ++count;
    if (auto loc = dyn_cast<FileLineColLoc>(op->getLoc()))
      llvm::outs() << loc.getFilename().getValue() << ":" << loc.getLine()
                   << ":" << loc.getColumn() << ": ";
    op->print(llvm::outs(), state);
    llvm::outs() << "\n";
  });
  llvm::outs() << count << " spec op" << (count == 1 ? "" : "s")
               << ", verified\n";
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // libLLVM and libMLIR register hundreds of options; show only Tessel's.
  cl::HideUnrelatedOptions(tesselCategory);
  cl::ParseCommandLineOptions(argc, argv,
                              "Tessel: synthesize fast tensor kernels\n");
  if (specsCommand)
    return runSpecs();
  llvm::errs() << "tessel: no command given; see 'tessel --help'\n";
  return 1;
}
