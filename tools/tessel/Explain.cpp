//===- Explain.cpp - tessel explain: show each spec op's program ----------===//

#include "Driver.h"
#include "tessel/Dialect/Spec/Synthesis/Session.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace tessel::driver;
namespace cl = llvm::cl;

static cl::SubCommand
    explainCommand("explain",
                   "Synthesize each spec op and print the chosen program as a "
                   "tree of actions with their costs");
static cl::opt<std::string> explainInput(cl::Positional, cl::Required,
                                         cl::desc("<input.mlir>"),
                                         cl::sub(explainCommand),
                                         cl::cat(category()));
static cl::opt<std::string>
    targetName("target",
               cl::desc("Target: host (its calibration, else avx512/avx2), "
                        "avx512, avx2, zen5, sapphire-rapids or a .target "
                        "file (the shipped ones describe 2 cores)"),
               cl::init("host"), cl::sub(explainCommand), cl::cat(category()));
// --threads means what it means for compile, run and bench (the program's
// cores), so that explain shows the program those commands build.
static cl::opt<unsigned>
    cores("threads",
          cl::desc("Cores to synthesize for (0: all; 1: serial code), as for "
                   "compile, run and bench"),
          cl::init(0), cl::sub(explainCommand), cl::cat(category()));
static cl::opt<unsigned> searchThreads(
    "search-threads",
    cl::desc("Threads the search uses (0: all cores); the program is the "
             "same for any count"),
    cl::init(0), cl::sub(explainCommand), cl::cat(category()));

static cl::opt<unsigned> searchBudget(
    "search-budget",
    cl::desc("Specs the search may expand per op (0: no limit); past it, "
             "the program is the best among blocks of 256, with a warning"),
    cl::init(tessel::synth::SearchOptions::kDefaultBudget),
    cl::sub(explainCommand), cl::cat(category()));

static cl::opt<std::string>
    dbPath("db",
           cl::desc("Memo database to read and update (default: a memo that "
                    "lives for this run only)"),
           cl::value_desc("file"), cl::sub(explainCommand),
           cl::cat(category()));
static cl::opt<bool> dbIgnoreMismatch(
    "db-ignore-mismatch",
    cl::desc("Start empty (with a warning) instead of failing when the "
             "database was made for another target or cost model, or is "
             "damaged; it is replaced on save"),
    cl::sub(explainCommand), cl::cat(category()));

static cl::opt<bool> searchStats(
    "search-stats",
    cl::desc("Print how many specs the search expanded (0 when everything "
             "came from the memo) to stderr"),
    cl::sub(explainCommand), cl::cat(category()));

static int runExplain() {
  tessel::spec::SynthesisOptions options;
  options.target = targetName;
  options.threads = cores;
  options.searchThreads = searchThreads;
  options.searchBudget = searchBudget;
  options.db = dbPath;
  options.dbIgnoreMismatch = dbIgnoreMismatch;
  Session session;
  OwningOpRef<ModuleOp> module = session.load(explainInput);
  if (!module)
    return 1;
  auto synthesis = tessel::spec::SynthesisSession::open(options);
  if (!synthesis) {
    llvm::errs() << "tessel: " << llvm::toString(synthesis.takeError()) << "\n";
    return 1;
  }
  for (const std::string &w : (*synthesis)->getWarnings())
    llvm::errs() << "tessel: warning: " << w << "\n";
  bool failed = mlir::failed((*synthesis)->explain(*module, llvm::outs()));
  if (searchStats)
    llvm::errs() << "search: " << (*synthesis)->getStats().specsExpanded
                 << " specs expanded, " << (*synthesis)->getStats().specsSolved
                 << " solved\n";
  if (llvm::Error e = (*synthesis)->save()) {
    llvm::errs() << "tessel: " << llvm::toString(std::move(e)) << "\n";
    return 1;
  }
  return failed ? 1 : 0;
}
TESSEL_COMMAND(explainCommand, runExplain);
