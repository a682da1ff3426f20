//===- Tune.cpp - tessel tune: time the model's top programs, keep the best ==//
//
// For each spec op, the N best genuinely different programs under the cost
// model (synth::Search::alternatives) are each compiled, checked against the
// reference and timed; the table shows predicted against measured time with
// Spearman's rank correlation, and the fastest is recorded in the memo
// database as a tuned choice, which every later compile with that database
// builds (docs/search.md, "Tuning").
//
//===----------------------------------------------------------------------===//

#include "Driver.h"
#include "tessel/Dialect/Spec/IR/SpecDialect.h"
#include "tessel/Dialect/Spec/Synthesis/Decompose.h"
#include "tessel/Dialect/Spec/Synthesis/EngineSpec.h"
#include "tessel/Dialect/Spec/Synthesis/Session.h"
#include "tessel/Execution/Runner.h"

#include "mlir/IR/IRMapping.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <cmath>
#include <numeric>

using namespace mlir;
using namespace tessel;
using namespace tessel::driver;
namespace cl = llvm::cl;

static cl::SubCommand
    tuneCommand("tune",
                "Compile and time the cost model's N best different programs "
                "for each spec op, report predicted against measured time, "
                "and keep the fastest in the memo database");
static cl::opt<std::string> input(cl::Positional, cl::Required,
                                  cl::desc("<input.mlir>"),
                                  cl::sub(tuneCommand), cl::cat(category()));
static PipelineFlags flags(tuneCommand);
static cl::opt<unsigned>
    topK("top-k", cl::desc("Programs to compile and time per spec op"),
         cl::init(8), cl::sub(tuneCommand), cl::cat(category()));
static cl::opt<double> minDifference(
    "min-difference",
    cl::desc("Percent of predicted time by which each program must differ "
             "from the others (near-ties are passed over)"),
    cl::init(1.0), cl::sub(tuneCommand), cl::cat(category()));
static cl::opt<unsigned> samples("samples",
                                 cl::desc("Timed samples (best is kept)"),
                                 cl::init(5), cl::sub(tuneCommand),
                                 cl::cat(category()));
static cl::opt<std::string> funcName("func",
                                     cl::desc("Tune only this function"),
                                     cl::sub(tuneCommand), cl::cat(category()));

/// Ranks of `v` (1-based; ties share their mean rank).
static std::vector<double> ranks(llvm::ArrayRef<double> v) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  llvm::stable_sort(order, [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]])
      ++j;
    for (size_t t = i; t <= j; ++t)
      r[order[t]] = (i + j) / 2.0 + 1;
    i = j + 1;
  }
  return r;
}

/// Spearman's rank correlation (Pearson's on the ranks); NaN when either
/// side has no spread.
static double spearman(llvm::ArrayRef<double> x, llvm::ArrayRef<double> y) {
  std::vector<double> a = ranks(x), b = ranks(y);
  double n = double(a.size()), ma = 0, mb = 0;
  for (size_t i = 0; i < a.size(); ++i)
    ma += a[i] / n, mb += b[i] / n;
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : NAN;
}

/// The pin that makes `alt` (the model's best: its own root action).
static synth::Pin pinOf(const synth::Alternative &alt) {
  return alt.pin ? *alt.pin : synth::Pin{alt.program.spec, alt.program.action};
}

namespace {
/// A temporary database when the user gives none (removed at exit).
struct ScratchDb {
  llvm::SmallString<128> dir;
  ~ScratchDb() {
    if (!dir.empty())
      llvm::sys::fs::remove_directories(dir);
  }
};
} // namespace

static int runTune() {
  if (topK == 0 || samples == 0) {
    llvm::errs() << "tessel tune: --top-k and --samples must be at least 1\n";
    return 1;
  }
  if (!(minDifference >= 0 && minDifference < 100)) {
    llvm::errs() << "tessel tune: --min-difference must be a percentage "
                    "from 0 to below 100\n";
    return 1;
  }
  Session session;
  OwningOpRef<ModuleOp> module = session.load(input);
  if (!module)
    return 1;
  keepOnlyFunction(*module, funcName);
  ToLLVMOptions options;
  flags.apply(options);
  ScratchDb scratch;
  bool record = !flags.dbPath().empty();
  if (!record) {
    if (std::error_code ec =
            llvm::sys::fs::createUniqueDirectory("tessel-tune", scratch.dir)) {
      llvm::errs() << "tessel: cannot create a temporary database: "
                   << ec.message() << "\n";
      return 1;
    }
    options.db = (scratch.dir + "/tune.db").str();
  }

  auto synthesis = spec::SynthesisSession::open(options.synthesis());
  if (!synthesis) {
    llvm::errs() << "tessel: " << llvm::toString(synthesis.takeError()) << "\n";
    return 1;
  }
  for (const std::string &warning : (*synthesis)->getWarnings())
    llvm::errs() << "tessel: warning: " << warning << "\n";
  // The spec ops as the synthesize pass will see them (composites
  // decomposed), in a copy: the file itself is what each candidate compiles.
  OwningOpRef<ModuleOp> specs = module->clone();
  if (failed(spec::verifyOnBuffers(*specs)) ||
      failed(spec::decomposeSpecOps(*specs, (*synthesis)->getTarget())))
    return 1;

  if (!funcName.empty() &&
      !llvm::any_of(specs->getOps<func::FuncOp>(), [](func::FuncOp func) {
        return func.getName() == funcName;
      })) {
    llvm::errs() << "tessel: " << input << ": no function named '" << funcName
                 << "'\n";
    return 1;
  }
  bool tunedAny = false;
  for (auto func : specs->getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    SmallVector<Operation *> ops;
    func.walk([&](Operation *op) {
      if (isa<spec::SpecOpInterface>(op))
        ops.push_back(op);
    });
    if (ops.empty())
      continue;
    auto original = module->lookupSymbol<func::FuncOp>(func.getName());
    if (failed(exec::verifyRunnable(original)))
      return 1;
    // One set of random arguments for every candidate.
    std::optional<RandomArguments> random = randomArguments(original);
    if (!random)
      return 1;

    // The reference once: every candidate is checked against it.
    auto reference = exec::referenceRun(original, 1);
    if (!reference) {
      llvm::errs() << "tessel: " << func.getName() << ": "
                   << llvm::toString(reference.takeError()) << "\n";
      return 1;
    }

    for (Operation *op : ops) {
      auto alternatives =
          (*synthesis)->alternatives(op, topK, minDifference / 100);
      if (failed(alternatives))
        return 1;
      llvm::outs() << "@" << func.getName() << ": " << op->getName() << " "
                   << (*alternatives)[0].program.spec.str(false) << " ("
                   << alternatives->size() << " programs)\n"
                   << "   #  predicted cycles  measured us  program\n";
      // Compile and check every candidate first, then time them in
      // interleaved rounds (one sample of each per round, best kept), so
      // that a slow spell of the machine does not fall on one of them.
      std::vector<std::unique_ptr<exec::Kernel>> kernels;
      for (auto [i, alt] : llvm::enumerate(*alternatives)) {
        synth::Pin pin = pinOf(alt);
        if (failed((*synthesis)->recordTuned(op, pin)))
          return 1;
        if (llvm::Error e = (*synthesis)->save()) {
          llvm::errs() << "tessel: " << llvm::toString(std::move(e)) << "\n";
          return 1;
        }
        auto kernel = exec::Kernel::compile(*module, options);
        if (!kernel) {
          llvm::errs() << "tessel: " << llvm::toString(kernel.takeError())
                       << "\n";
          return 1;
        }
        auto checks = exec::checkAgainst(original, **kernel, *reference);
        if (!checks ||
            llvm::any_of(*checks, [](auto &c) { return !c.passed; })) {
          if (!checks)
            llvm::consumeError(checks.takeError());
          llvm::errs() << "tessel: " << func.getName() << ": program " << i + 1
                       << " gives wrong results\n";
          return 1;
        }
        kernels.push_back(std::move(*kernel));
      }
      std::vector<double> predicted, measured(kernels.size(), INFINITY);
      for (unsigned round = 0; round < samples; ++round)
        for (auto [i, kernel] : llvm::enumerate(kernels)) {
          auto seconds = kernel->time(func.getName(), random->args, 1);
          if (!seconds) {
            llvm::errs() << "tessel: " << llvm::toString(seconds.takeError())
                         << "\n";
            return 1;
          }
          measured[i] = std::min(measured[i], *seconds);
        }
      for (auto [i, alt] : llvm::enumerate(*alternatives)) {
        predicted.push_back(double(alt.program.cost.main));
        std::string what = alt.pin ? alt.pin->spec.str(false) + " => " +
                                         alt.pin->action.str(alt.pin->spec)
                                   : std::string("the model's best");
        llvm::outs() << llvm::format("  %2u  %16.0f  %11.2f  ", unsigned(i + 1),
                                     double(alt.program.cost.main) /
                                         synth::kTicksPerCycle,
                                     measured[i] * 1e6)
                     << what << "\n";
      }
      size_t fastest =
          std::min_element(measured.begin(), measured.end()) - measured.begin();
      const synth::Alternative &kept = (*alternatives)[fastest];
      synth::Pin pin = pinOf(kept);
      if (failed((*synthesis)->recordTuned(op, pin)))
        return 1;
      if (measured.size() > 1)
        llvm::outs() << llvm::format(
            "  Spearman rho (predicted vs measured): %.2f\n",
            spearman(predicted, measured));
      llvm::outs() << "  kept #" << fastest + 1;
      if (fastest)
        llvm::outs() << llvm::format(": %.1f%% faster than the model's best",
                                     (measured[0] / measured[fastest] - 1) *
                                         100);
      else
        llvm::outs() << ": the model's best is the fastest measured";
      llvm::outs() << "\n";
      tunedAny = true;
    }
  }
  if (!tunedAny) {
    llvm::errs() << "tessel: " << input << ": no spec op"
                 << (funcName.empty() ? "" : " in '" + funcName + "'")
                 << " to tune\n";
    return 1;
  }
  if (llvm::Error e = (*synthesis)->save()) {
    llvm::errs() << "tessel: " << llvm::toString(std::move(e)) << "\n";
    return 1;
  }
  llvm::outs() << (record ? "recorded in " + flags.dbPath().str() +
                                ": compiles with this database build the "
                                "kept programs"
                          : std::string("not recorded: give --db=FILE to "
                                        "keep the choices"))
               << "\n";
  return 0;
}

TESSEL_COMMAND(tuneCommand, runTune);
