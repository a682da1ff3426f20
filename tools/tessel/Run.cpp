//===- Run.cpp - tessel run: JIT, random inputs, check vs. the reference --===//

#include "Driver.h"
#include "tessel/Execution/Runner.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <cmath>
#include <limits>

using namespace mlir;
using namespace tessel;
using namespace tessel::driver;
namespace cl = llvm::cl;

static cl::SubCommand runCommand(
    "run", "Synthesize, compile and run each function on random inputs, and "
           "check its outputs against the reference interpreter (exit 1 on "
           "a mismatch)");
static cl::opt<std::string> input(cl::Positional, cl::Required,
                                  cl::desc("<input.mlir>"), cl::sub(runCommand),
                                  cl::cat(category()));
static PipelineFlags flags(runCommand);
static cl::opt<std::string>
    funcName("func",
             cl::desc("Compile and run only this function (default: every "
                      "function)"),
             cl::sub(runCommand), cl::cat(category()));
static cl::opt<unsigned> seed("seed", cl::desc("Random seed of the inputs"),
                              cl::init(1), cl::sub(runCommand),
                              cl::cat(category()));

static cl::opt<double> range(
    "range",
    cl::desc("Floating-point inputs are uniform in [-range, range] (e.g. 30 "
             "to reach exp's overflow and tanh's saturation)"),
    cl::init(1.0), cl::sub(runCommand), cl::cat(category()));

static int runRun() {
  if (!(range > 0) || !std::isfinite(range)) {
    llvm::errs() << "tessel run: --range must be a positive finite number\n";
    return 1;
  }
  if (range > std::numeric_limits<float>::max()) {
    llvm::errs() << "tessel run: --range must be at most "
                 << std::numeric_limits<float>::max()
                 << " (the largest f32: inputs beyond it are infinite)\n";
    return 1;
  }
  Session session;
  std::optional<CompiledFile> file =
      compileRunnable(session, input, funcName, flags);
  if (!file)
    return 1;
  bool allPassed = true;
  for (func::FuncOp func : file->funcs) {
    auto checks = exec::checkFunction(func, *file->kernel, seed, range);
    if (!checks) {
      llvm::errs() << "tessel: " << func.getName() << ": "
                   << llvm::toString(checks.takeError()) << "\n";
      return 1;
    }
    for (const exec::OutputCheck &c : *checks) {
      llvm::outs() << func.getName() << " arg" << c.argument << ": max error "
                   << llvm::format("%.3g", c.maxAbsError) << " (relative "
                   << llvm::format("%.3g", c.maxRelError) << ", tolerance "
                   << llvm::format("%.3g", c.tolerance)
                   << "): " << (c.passed ? "PASS" : "FAIL") << "\n";
      if (!c.passed) {
        llvm::outs() << "  first mismatch at " << c.firstMismatch << "\n";
        allPassed = false;
      }
    }
  }
  return allPassed ? 0 : 1;
}
TESSEL_COMMAND(runCommand, runRun);
