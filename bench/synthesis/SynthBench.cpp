//===- SynthBench.cpp - Time the synthesis search -------------------------===//
//
// Cold synthesis (fresh memo) of f32 (and bf16 -> f32) matmuls on the
// AVX-512 target, with 1 and 2 threads, with and without branch-and-bound;
// prints a markdown table.
//
//   tessel-synth-bench [--spec NAME]... [--jobs N]... [--pruning on/off/both]
//                      [--show-program] [--skip-after SECONDS]
//
//===----------------------------------------------------------------------===//
#include "tessel/Synthesis/Search.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>

using namespace tessel::synth;

namespace {
struct Case {
  const char *name;
  uint32_t m, k, n;
  Dtype in; // A and B; C is f32
};
const Case kCases[] = {
    {"64^3", 64, 64, 64, Dtype::F32},
    {"256^3", 256, 256, 256, Dtype::F32},
    {"1024^3", 1024, 1024, 1024, Dtype::F32},
    {"2048^3", 2048, 2048, 2048, Dtype::F32},
    {"1x2048x16384", 1, 2048, 16384, Dtype::F32},
    // Extents that are not powers of two: tiles leave remainders.
    {"333x555x777", 333, 555, 777, Dtype::F32},
    {"1000^3", 1000, 1000, 1000, Dtype::F32},
    // Beyond the table: bf16 x bf16 -> f32 (vdpbf16ps).
    {"bf16-1024^3", 1024, 1024, 1024, Dtype::BF16},
    {"bf16-1x2048x16384", 1, 2048, 16384, Dtype::BF16}};

llvm::cl::OptionCategory benchCategory("Benchmark options");

llvm::cl::list<std::string> caseNames("spec", llvm::cl::cat(benchCategory),
                                      llvm::cl::desc("cases to run (default all)"));
llvm::cl::list<unsigned> threadCounts("jobs", llvm::cl::cat(benchCategory),
                                      llvm::cl::desc("thread counts (default 1,2)"));
llvm::cl::opt<std::string> pruneMode("pruning", llvm::cl::cat(benchCategory),
                                     llvm::cl::desc("on, off or both (default both)"),
                                     llvm::cl::init("both"));
llvm::cl::opt<bool> explain("show-program", llvm::cl::cat(benchCategory),
                            llvm::cl::desc("print the chosen program of each case"));
llvm::cl::opt<double> timeLimit(
    "skip-after", llvm::cl::cat(benchCategory), llvm::cl::desc("skip unpruned runs of a case whose pruned "
                                 "run took longer than this many seconds"),
    llvm::cl::init(1e9));
} // namespace

int main(int argc, char **argv) {
  // libLLVM registers hundreds of options; show only ours.
  llvm::cl::HideUnrelatedOptions(benchCategory);
  llvm::cl::ParseCommandLineOptions(argc, argv, "Tessel synthesis benchmark\n");
  Target target = Target::avx512();
  std::vector<unsigned> threads(threadCounts.begin(), threadCounts.end());
  if (threads.empty())
    threads = {1, 2};
  std::vector<bool> prunes;
  if (pruneMode != "off")
    prunes.push_back(true);
  if (pruneMode != "on")
    prunes.push_back(false);

  llvm::outs() << "Target: " << target.name() << "\n\n"
               << "| spec | threads | pruning | time (s) | memo entries | "
                  "expansions | actions tried | pruned | predicted cycles |\n"
               << "|---|---|---|---|---|---|---|---|---|\n";
  llvm::outs().flush();
  for (const Case &c : kCases) {
    if (!caseNames.empty() &&
        llvm::find(caseNames, std::string(c.name)) == caseNames.end())
      continue;
    Spec spec = Spec::matmul(
        TensorSpec::rowMajor({1, c.m, c.k}, c.in),
        TensorSpec::rowMajor({1, c.k, c.n}, c.in),
        TensorSpec::rowMajor({1, c.m, c.n}, Dtype::F32), /*accum=*/false,
        fullLimits(target));
    double prunedTime = 0;
    for (bool prune : prunes) {
      if (!prune && prunedTime > timeLimit) {
        llvm::outs() << "| " << c.name << " | - | off | skipped (pruned run "
                     << llvm::format("%.1f", prunedTime) << " s) | | | | | |\n";
        continue;
      }
      for (unsigned t : threads) {
        HashMemo memo;
        SearchOptions opts;
        opts.threads = t;
        opts.prune = prune;
        Search search(target, memo, opts);
        auto start = std::chrono::steady_clock::now();
        std::vector<Impl> impls = search.synthesize(spec);
        double secs = std::chrono::duration<double>(
                          std::chrono::steady_clock::now() - start)
                          .count();
        if (prune)
          prunedTime = std::max(prunedTime, secs);
        SearchStats st = search.stats();
        llvm::outs() << "| " << c.name << " | " << t << " | "
                     << (prune ? "on" : "off") << " | "
                     << llvm::format("%.2f", secs) << " | " << memo.size()
                     << " | " << st.specsExpanded << " | " << st.actionsTried
                     << " | " << st.actionsPruned << " | "
                     << (impls.empty() ? std::string("unsat")
                                       : std::to_string(impls[0].cost.main /
                                                        kTicksPerCycle))
                     << " |\n";
        llvm::outs().flush();
        if (explain && !impls.empty() && t == threads.front() && prune)
          llvm::errs() << c.name << ":\n" << impls[0].explanation(target)
                       << "\n";
      }
    }
  }
  return 0;
}
