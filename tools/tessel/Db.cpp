//===- Db.cpp - tessel db: inspect, check, merge and fill memo databases --===//
//
//   tessel db stats FILE          tables, specs solved, boxes, bytes, ratio
//   tessel db verify FILE         check every block; exit 1 if any is damaged
//   tessel db merge A B -o C      everything A and B know, in C
//   tessel db precompute FILE     solve a family of matmuls up to a size
//
// The format is described in docs/memo-format.md.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"
#include "tessel/Memo/Database.h"
#include "tessel/Synthesis/Search.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <cmath>

using namespace tessel;
using namespace tessel::driver;
namespace cl = llvm::cl;

static cl::SubCommand
    dbCommand("db", "Memo databases: 'db stats FILE', 'db verify FILE', "
                    "'db merge A B -o C', 'db precompute FILE'");
static cl::list<std::string> dbArgs(cl::Positional, cl::OneOrMore,
                                    cl::desc("<stats|verify|merge|precompute> "
                                             "<files...>"),
                                    cl::sub(dbCommand), cl::cat(category()));
static cl::opt<std::string> dbOutput("o", cl::desc("Output of 'db merge'"),
                                     cl::value_desc("file"), cl::sub(dbCommand),
                                     cl::cat(category()));
static cl::opt<std::string> dbTarget(
    "target",
    cl::desc("precompute: target (host (its calibration, else avx512/avx2), "
             "avx512, avx2, zen5, sapphire-rapids or a .target file)"),
    cl::init("host"), cl::sub(dbCommand), cl::cat(category()));
static cl::opt<unsigned>
    dbMaxSize("max-size",
              cl::desc("precompute: largest m, k and n (matmuls of every "
                       "power of two up to it, and it)"),
              cl::init(64), cl::sub(dbCommand), cl::cat(category()));
static cl::opt<std::string>
    dbDtype("dtype", cl::desc("precompute: input dtype, f32 or bf16"),
            cl::init("f32"), cl::sub(dbCommand), cl::cat(category()));
static cl::opt<unsigned>
    dbThreads("search-threads",
              cl::desc("precompute: threads the search uses (0: all cores)"),
              cl::init(0), cl::sub(dbCommand), cl::cat(category()));
static cl::opt<double> dbSaveEvery(
    "save-every",
    cl::desc("precompute: save at least this often (seconds), so an "
             "interrupted run loses little; rerunning resumes"),
    cl::init(30), cl::sub(dbCommand), cl::cat(category()));

static int fail(llvm::Error e) {
  llvm::errs() << "tessel: " << llvm::toString(std::move(e)) << "\n";
  return 1;
}

static int usage(llvm::StringRef why) {
  llvm::errs() << "tessel db: " << why
               << "\nusage: tessel db stats FILE | verify FILE | merge A B -o "
                  "C | precompute FILE [--target T] [--max-size N]\n";
  return 1;
}

static int runStats(llvm::StringRef path) {
  llvm::Expected<memo::LoadedFile> f = memo::readDatabaseFile(path);
  if (!f)
    return fail(f.takeError());
  memo::MemoStats st = f->memo->stats();
  auto &os = llvm::outs();
  os << path << ": target " << f->header.targetName << ", "
     << f->header.producer << ", format " << f->header.version << "\n";
  os << "  tables:         " << st.tables << "\n";
  os << "  specs solved:   " << st.solves << "\n";
  os << "  boxes:          " << st.boxes << "\n";
  os << "  side entries:   " << st.sideEntries << "\n";
  unsigned tuned = 0;
  f->memo->forEachTuned(
      [&](const synth::Spec &, const synth::Pin &) { ++tuned; });
  os << "  tuned choices:  " << tuned << "\n";
  os << "  bytes:          " << f->bytes << "\n";
  double stored = double(st.boxes + st.sideEntries);
  if (stored > 0)
    os << "  compression:    "
       << llvm::format("%.2f", double(st.solves) / stored)
       << " specs solved per box; "
       << llvm::format("%.3g", st.specsAnswered / stored)
       << " specs (points of the limit space) answered per box\n";
  return 0;
}

static int runVerify(llvm::StringRef path) {
  llvm::Expected<memo::LoadedFile> f =
      memo::readDatabaseFile(path, &llvm::outs());
  llvm::outs().flush();
  if (!f)
    return fail(f.takeError());
  // The answers, against the specs they answer, if this build made the
  // file (another build's actions may mean something else).
  std::optional<synth::Target> target;
  if (!f->header.targetDescription.empty()) {
    llvm::Expected<synth::Target> described = synth::Target::parse(
        f->header.targetDescription, (path + ": recorded target").str());
    if (described)
      target = *described;
    else
      llvm::consumeError(described.takeError());
  } else {
    target = synth::Target::fromName(f->header.targetName);
  }
  if (!target ||
      !memo::mismatchReason(f->header, memo::headerFor(*target)).empty()) {
    llvm::outs() << path << ": answers not checked: made by another Tessel "
                 << "build or for another target (" << f->header.producer
                 << ", " << f->header.targetName << ")\n";
    return 0;
  }
  size_t bad = memo::verifyAnswers(*f, *target, &llvm::outs());
  if (bad) {
    llvm::errs() << "tessel: " << path << ": " << bad
                 << " answer(s) do not fit the specs they answer (an edited "
                    "or corrupted database); delete the file, or synthesize "
                    "with --db-ignore-mismatch to replace it\n";
    return 1;
  }
  llvm::outs() << path << ": every answer fits its spec\n";
  return 0;
}

static int runMerge(llvm::StringRef a, llvm::StringRef b) {
  if (dbOutput.empty())
    return usage("merge needs an output: -o FILE");
  llvm::Expected<memo::LoadedFile> fa = memo::readDatabaseFile(a);
  if (!fa)
    return fail(fa.takeError());
  llvm::Expected<memo::LoadedFile> fb = memo::readDatabaseFile(b);
  if (!fb)
    return fail(fb.takeError());
  std::string why = memo::mismatchReason(fb->header, fa->header);
  if (!why.empty()) {
    llvm::errs() << "tessel: cannot merge " << b << " into " << a << ": " << b
                 << " does not match: " << why << "\n";
    return 1;
  }
  fa->memo->mergeFrom(*fb->memo);
  llvm::Expected<std::string> out = memo::resolveDatabasePath(dbOutput);
  if (!out)
    return fail(out.takeError());
  if (llvm::Error e = memo::withDatabaseLock(*out, [&] {
        return memo::writeDatabaseFile(*out, fa->header, *fa->memo);
      }))
    return fail(std::move(e));
  memo::MemoStats st = fa->memo->stats();
  llvm::outs() << dbOutput << ": " << st.boxes << " boxes, " << st.solves
               << " specs solved\n";
  return 0;
}

static int runPrecompute(llvm::StringRef path) {
  std::optional<synth::Target> target = parseTarget(dbTarget);
  if (!target)
    return 1;
  synth::Dtype in;
  if (dbDtype == "f32")
    in = synth::Dtype::F32;
  else if (dbDtype == "bf16")
    in = synth::Dtype::BF16;
  else
    return usage("--dtype must be f32 or bf16");
  if (dbMaxSize == 0 || dbMaxSize > 16384)
    return usage("--max-size must be between 1 and 16384");
  if (!(dbSaveEvery > 0) || !std::isfinite(dbSaveEvery))
    return usage("--save-every must be a positive number of seconds");
  if (dbThreads > synth::kMaxThreads)
    return usage("--search-threads must be at most " +
                 std::to_string(synth::kMaxThreads));
  llvm::Expected<std::unique_ptr<memo::Database>> db =
      memo::Database::open(path, *target);
  if (!db)
    return fail(db.takeError());

  // Every (m, k, n) from the sizes, smallest volume first: bigger specs reuse
  // the smaller ones' sub-specs.
  llvm::SmallVector<uint32_t, 16> sizes;
  for (uint32_t s = 1; s < dbMaxSize; s *= 2)
    sizes.push_back(s);
  sizes.push_back(dbMaxSize);
  std::vector<synth::Spec> family;
  for (uint32_t m : sizes)
    for (uint32_t k : sizes)
      for (uint32_t n : sizes)
        family.push_back(synth::Spec::matmul(
            synth::TensorSpec::rowMajor({1, m, k}, in),
            synth::TensorSpec::rowMajor({1, k, n}, in),
            synth::TensorSpec::rowMajor({1, m, n}, synth::Dtype::F32),
            /*accum=*/false, synth::fullLimits(*target)));
  llvm::sort(family, [](const synth::Spec &a, const synth::Spec &b) {
    auto key = [](const synth::Spec &s) {
      return std::make_tuple(uint64_t(s.m()) * s.k() * s.n(), s.m(), s.k(),
                             s.n());
    };
    return key(a) < key(b);
  });

  synth::SearchOptions options;
  options.budget = 0; // an offline job: every spec in full
  options.threads = dbThreads
                        ? dbThreads
                        : llvm::hardware_concurrency().compute_thread_count();
  synth::Search search(*target, (*db)->memo(), options);
  using Clock = std::chrono::steady_clock;
  auto lastSave = Clock::now();
  unsigned solved = 0, known = 0;
  for (unsigned i = 0; i < family.size(); ++i) {
    const synth::Spec &spec = family[i];
    // Resuming: what an earlier (interrupted) run saved is answered at once.
    if ((*db)->memo().lookup(spec)) {
      ++known;
      continue;
    }
    auto start = Clock::now();
    std::optional<synth::MemoEntry> e = search.solve(spec);
    double secs = std::chrono::duration<double>(Clock::now() - start).count();
    ++solved;
    llvm::outs() << "[" << i + 1 << "/" << family.size() << "] "
                 << spec.str(/*withLimits=*/false) << ": "
                 << (e ? "solved" : "no implementation") << " in "
                 << llvm::format("%.2f", secs) << " s\n";
    llvm::outs().flush();
    if (std::chrono::duration<double>(Clock::now() - lastSave).count() >=
        dbSaveEvery) {
      if (llvm::Error err = (*db)->save())
        return fail(std::move(err));
      lastSave = Clock::now();
    }
  }
  if (llvm::Error err = (*db)->save())
    return fail(std::move(err));
  llvm::outs() << path << ": " << solved << " specs solved now, " << known
               << " already in the database\n";
  return 0;
}

static int runDb() {
  llvm::StringRef action = dbArgs[0];
  size_t files = dbArgs.size() - 1;
  if (action == "stats" && files == 1)
    return runStats(dbArgs[1]);
  if (action == "verify" && files == 1)
    return runVerify(dbArgs[1]);
  if (action == "merge" && files == 2)
    return runMerge(dbArgs[1], dbArgs[2]);
  if (action == "precompute" && files == 1)
    return runPrecompute(dbArgs[1]);
  return usage(
      ("unknown action or wrong number of files: '" + action + "'").str());
}
TESSEL_COMMAND(dbCommand, runDb);
