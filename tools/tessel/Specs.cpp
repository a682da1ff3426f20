//===- Specs.cpp - tessel specs: list a file's spec ops -------------------===//

#include "Driver.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"

#include "mlir/IR/AsmState.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace tessel::driver;
namespace cl = llvm::cl;

static cl::SubCommand
    specsCommand("specs",
                 "Parse and verify a spec program, and list its spec ops");
static cl::opt<std::string> specsInput(cl::Positional, cl::Required,
                                       cl::desc("<input.mlir>"),
                                       cl::sub(specsCommand),
                                       cl::cat(category()));

static int runSpecs() {
  Session session;
  OwningOpRef<ModuleOp> module = session.load(specsInput);
  if (!module)
    return 1;
  AsmState state(*module);
  unsigned count = 0;
  module->walk([&](Operation *op) {
    if (!isa<tessel::spec::SpecOpInterface>(op))
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
TESSEL_COMMAND(specsCommand, runSpecs);
