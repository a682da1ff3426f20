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
#include "tessel/Execution/Reference.h"
#include "tessel/InitAllTessel.h"
#include "tessel/Support/DeepStack.h"
#include "tessel/Support/Nesting.h"
#include "tessel/Synthesis/Progress.h"

#include "mlir/InitAllDialects.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include <random>
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
  tessel::exec::registerReferenceExternalModels(registry);
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
  unsigned id = sourceMgr.AddNewSourceBuffer(std::move(file), SMLoc());
  if (tessel::reportTooDeepNesting(sourceMgr, id, llvm::errs()))
    return {};
  return parseSourceFile<ModuleOp>(sourceMgr, &context);
}

PipelineFlags::PipelineFlags(cl::SubCommand &command)
    : target("target",
             cl::desc("Target: host (its calibration, else avx512/avx2), "
                      "avx512, avx2, zen5, sapphire-rapids or a .target file"),
             cl::init("host"), cl::sub(command), cl::cat(category())),
      threads("threads",
              cl::desc("Cores to synthesize for and run on (0: all; 1: "
                       "serial code)"),
              cl::init(0), cl::sub(command), cl::cat(category())),
      searchBudget(
          "search-budget",
          cl::desc("Specs the search may expand per op (0: no limit); past "
                   "it, the program is the best among blocks of 256, with a "
                   "warning"),
          cl::init(tessel::synth::SearchOptions::kDefaultBudget),
          cl::sub(command), cl::cat(category())),
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
  options.searchBudget = searchBudget.getValue();
  options.db = db.getValue();
  options.dbIgnoreMismatch = dbIgnoreMismatch.getValue();
}

void tessel::driver::keepOnlyFunction(ModuleOp module, StringRef funcName) {
  if (funcName.empty())
    return;
  for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
    if (func.getName() != funcName)
      func.erase();
}

std::optional<CompiledFile>
tessel::driver::compileRunnable(Session &session, StringRef path,
                                StringRef funcName,
                                const PipelineFlags &flags) {
  CompiledFile file;
  file.module = session.load(path);
  if (!file.module)
    return std::nullopt;
  keepOnlyFunction(*file.module, funcName);
  llvm::append_range(file.funcs, file.module->getOps<func::FuncOp>());
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

std::optional<RandomArguments>
tessel::driver::randomArguments(func::FuncOp func) {
  RandomArguments random;
  std::mt19937 rng(1);
  for (Type type : func.getArgumentTypes()) {
    random.buffers.push_back(exec::HostBuffer::create(cast<MemRefType>(type)));
    if (!random.buffers.back()) {
      llvm::errs() << "tessel: " << func.getName()
                   << ": cannot allocate its arguments\n";
      return std::nullopt;
    }
    random.buffers.back()->randomize(rng);
    random.args.push_back(random.buffers.back().get());
  }
  return random;
}

/// `path` made absolute with links and `..` resolved: the real path of the
/// file, or of its folder when the file does not exist yet. Files that
/// cannot be resolved keep their absolute spelling.
static std::string canonicalPath(StringRef path) {
  llvm::SmallString<256> real;
  if (!llvm::sys::fs::real_path(path, real))
    return real.str().str();
  llvm::SmallString<256> folder(path);
  llvm::sys::path::remove_filename(folder);
  if (folder.empty())
    folder = ".";
  if (llvm::sys::fs::real_path(folder, real)) {
    real = path;
    llvm::sys::fs::make_absolute(real);
    llvm::sys::path::remove_dots(real, /*remove_dot_dot=*/true);
    return real.str().str();
  }
  llvm::sys::path::append(real, llvm::sys::path::filename(path));
  return real.str().str();
}

LogicalResult tessel::driver::refuseCollisions(ArrayRef<NamedPath> inputs,
                                               ArrayRef<NamedPath> outputs) {
  SmallVector<std::pair<NamedPath, std::string>> seen;
  for (const NamedPath &p : inputs)
    if (!p.path.empty())
      seen.push_back({p, canonicalPath(p.path)});
  for (const NamedPath &out : outputs) {
    if (out.path.empty())
      continue;
    std::string canonical = canonicalPath(out.path);
    for (auto &[other, otherCanonical] : seen)
      if (canonical == otherCanonical) {
        llvm::errs() << "tessel: " << out.role << " " << out.path
                     << " is the same file as " << other.role << " "
                     << other.path << "; writing it would destroy that "
                     << "file: choose another name\n";
        return failure();
      }
    seen.push_back({out, std::move(canonical)});
  }
  return success();
}

std::optional<tessel::synth::Target>
tessel::driver::parseTarget(StringRef name) {
  llvm::Expected<synth::Target> target = synth::Target::named(name);
  if (target)
    return *target;
  llvm::errs() << "tessel: " << llvm::toString(target.takeError()) << "\n";
  return std::nullopt;
}

/// Draws one line on the terminal that a long search keeps up to date.
static void drawProgress(const tessel::synth::SearchProgress &p) {
  llvm::errs() << llvm::format(
      "\rtessel: searching: %llu specs solved, %llu memo hits, %.1f s",
      (unsigned long long)p.specsSolved, (unsigned long long)p.memoHits,
      p.seconds);
  llvm::errs() << (p.finished ? "\n" : "");
  llvm::errs().flush();
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // libLLVM and libMLIR register hundreds of options; show only Tessel's.
  cl::HideUnrelatedOptions(category());
  cl::ParseCommandLineOptions(argc, argv,
                              "Tessel: synthesize fast tensor kernels\n");
  // Long searches show their progress on a terminal (not in logs).
  std::optional<tessel::synth::ScopedProgressHandler> progress;
  if (llvm::sys::Process::StandardErrIsDisplayed())
    progress.emplace(drawProgress);
  for (auto &entry : commands())
    if (*entry.first)
      return tessel::runOnDeepStack(entry.second);
  llvm::errs() << "tessel: no command given; see 'tessel --help'\n";
  return 1;
}
