//===- Explain.cpp - tessel explain: show each spec op's program ----------===//

#include "Driver.h"
#include "tessel/Dialect/Spec/IR/SpecDialect.h"
#include "tessel/Dialect/Spec/Synthesis/EngineSpec.h"
#include "tessel/Synthesis/Search.h"

#include "mlir/IR/AsmState.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace tessel::driver;
namespace cl = llvm::cl;

static cl::SubCommand explainCommand(
    "explain", "Synthesize each spec op and print the chosen program as a "
               "tree of actions with their costs");
static cl::opt<std::string> explainInput(cl::Positional, cl::Required,
                                         cl::desc("<input.mlir>"),
                                         cl::sub(explainCommand),
                                         cl::cat(category()));
static cl::opt<std::string> targetName(
    "target", cl::desc("Target: host, avx512 or avx2 (the latter two model "
                       "this 2-core machine)"),
    cl::init("host"), cl::sub(explainCommand), cl::cat(category()));
static cl::opt<unsigned> searchThreads(
    "threads", cl::desc("Search threads (0: all cores); the result is the "
                        "same for any count"),
    cl::init(0), cl::sub(explainCommand), cl::cat(category()));

static int runExplain() {
  std::optional<tessel::synth::Target> target = parseTarget(targetName);
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
TESSEL_COMMAND(explainCommand, runExplain);
