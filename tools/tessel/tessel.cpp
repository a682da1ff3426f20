//===- tessel.cpp - The Tessel command-line driver ------------------------===//
//
//   tessel specs FILE.mlir      parse and verify FILE, list its spec ops
//   tessel explain FILE.mlir    synthesize each spec op, print the chosen
//                               program as a tree with costs
//
// Every error is a located diagnostic and exit status 1.
//
//===----------------------------------------------------------------------===//

#include "tessel/Dialect/Spec/IR/SpecDialect.h"
#include "tessel/Dialect/Spec/Synthesis/EngineSpec.h"
#include "tessel/Synthesis/Search.h"
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

static cl::SubCommand explainCommand(
    "explain", "Synthesize each spec op and print the chosen program as a "
               "tree of actions with their costs");
static cl::opt<std::string> explainInput(cl::Positional, cl::Required,
                                         cl::desc("<input.mlir>"),
                                         cl::sub(explainCommand),
                                         cl::cat(tesselCategory));
static cl::opt<std::string> targetName(
    "target", cl::desc("Target: host, avx512 or avx2 (the latter two model "
                       "this 2-core machine)"),
    cl::init("host"), cl::sub(explainCommand), cl::cat(tesselCategory));
static cl::opt<unsigned> searchThreads(
    "threads", cl::desc("Search threads (0: all cores); the result is the "
                        "same for any count"),
    cl::init(0), cl::sub(explainCommand), cl::cat(tesselCategory));

namespace {
/// Parses and verifies a file; diagnostics go to stderr with locations.
class Session {
public:
  Session() : handler(sourceMgr, &context) {
    DialectRegistry registry;
    registerAllDialects(registry);
    tessel::registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    // Diagnostics point at the source line; the generic op dump adds noise.
    context.printOpOnDiagnostic(false);
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

static std::optional<tessel::synth::Target> getTarget() {
  if (targetName == "host")
    return tessel::synth::Target::host();
  if (targetName == "avx512")
    return tessel::synth::Target::avx512();
  if (targetName == "avx2")
    return tessel::synth::Target::avx2();
  llvm::errs() << "tessel: unknown target '" << targetName
               << "'; expected host, avx512 or avx2\n";
  return std::nullopt;
}

static int runExplain() {
  std::optional<tessel::synth::Target> target = getTarget();
  if (!target)
    return 1;
  Session session;
  OwningOpRef<ModuleOp> module = session.load(explainInput);
  if (!module)
    return 1;
  tessel::synth::HashMemo memo; // shared by all ops of the file
  tessel::synth::SearchOptions options;
  options.threads = searchThreads ? searchThreads
                                  : llvm::hardware_concurrency()
                                        .compute_thread_count();
  bool failed = false;
  AsmState state(*module);
  module->walk([&](Operation *op) {
    if (!isa<tessel::spec::SpecDialect>(op->getDialect()))
      return;
    FailureOr<tessel::synth::Spec> spec =
        tessel::spec::getEngineSpec(op, *target);
    if (mlir::failed(spec)) {
      failed = true;
      return;
    }
    tessel::synth::Search search(*target, memo, options);
    std::vector<tessel::synth::Impl> programs = search.synthesize(*spec);
    if (programs.empty()) {
      op->emitError("no implementation of this spec fits target ")
          << target->name();
      failed = true;
      return;
    }
    op->print(llvm::outs(), state);
    llvm::outs() << "\n";
    programs.front().explain(llvm::outs(), *target);
    llvm::outs() << "\n";
  });
  return failed ? 1 : 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // libLLVM and libMLIR register hundreds of options; show only Tessel's.
  cl::HideUnrelatedOptions(tesselCategory);
  cl::ParseCommandLineOptions(argc, argv,
                              "Tessel: synthesize fast tensor kernels\n");
  if (specsCommand)
    return runSpecs();
  if (explainCommand)
    return runExplain();
  llvm::errs() << "tessel: no command given; see 'tessel --help'\n";
  return 1;
}
