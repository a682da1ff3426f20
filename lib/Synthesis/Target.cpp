//===- Target.cpp - Target descriptions -----------------------------------===//
//
// The shipped descriptions are the files in targets/, built in; their
// constants are explained, with their sources, in docs/cost-model.md.
//
//===----------------------------------------------------------------------===//
#include "tessel/Synthesis/Target.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include "llvm/TargetParser/Host.h"
#include <cpuid.h>
#include <cstring>
#include <utility>

namespace tessel::synth {

namespace {
struct BuiltinTarget {
  llvm::StringLiteral name, text;
};
/// targets/*.target, embedded at build time (lib/Synthesis/CMakeLists.txt).
constexpr BuiltinTarget kBuiltinTargets[] = {
#include "BuiltinTargets.inc"
};

const Target *builtin(llvm::StringRef name) {
  static const llvm::SmallVector<Target> parsed = [] {
    llvm::SmallVector<Target> all;
    for (const BuiltinTarget &b : kBuiltinTargets) {
      llvm::Expected<Target> t =
          Target::parse(b.text, ("targets/" + b.name + ".target").str());
      if (!t)
        llvm::report_fatal_error(t.takeError()); // a broken build
      all.push_back(std::move(*t));
    }
    return all;
  }();
  for (auto [b, t] : llvm::zip_equal(kBuiltinTargets, parsed))
    if (b.name == name)
      return &t;
  return nullptr;
}
} // namespace

llvm::ArrayRef<llvm::StringRef> Target::builtinNames() {
  static const llvm::SmallVector<llvm::StringRef> names = [] {
    llvm::SmallVector<llvm::StringRef> n;
    for (const BuiltinTarget &b : kBuiltinTargets)
      n.push_back(b.name);
    return n;
  }();
  return names;
}

Target Target::avx512() { return *builtin("avx512"); }

Target Target::avx2() { return *builtin("avx2"); }

std::string Target::hostCpu() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx))
    return "unknown x86";
  char vendor[13] = {};
  std::memcpy(vendor, &ebx, 4);
  std::memcpy(vendor + 4, &edx, 4);
  std::memcpy(vendor + 8, &ecx, 4);
  __get_cpuid(1, &eax, &ebx, &ecx, &edx);
  unsigned family = (eax >> 8) & 0xF, model = (eax >> 4) & 0xF;
  if (family == 0xF)
    family += (eax >> 20) & 0xFF;
  if (family == 6 || family >= 0xF)
    model += ((eax >> 16) & 0xF) << 4;
  std::string s;
  llvm::raw_string_ostream os(s);
  os << vendor << " family " << family << " model " << model << " stepping "
     << (eax & 0xF);
  unsigned brand[12] = {};
  if (__get_cpuid(0x80000000, &eax, &ebx, &ecx, &edx) && eax >= 0x80000004) {
    for (unsigned i = 0; i < 3; ++i)
      __get_cpuid(0x80000002 + i, &brand[4 * i], &brand[4 * i + 1],
                  &brand[4 * i + 2], &brand[4 * i + 3]);
    os << ": "
       << llvm::StringRef(reinterpret_cast<const char *>(brand),
                          strnlen(reinterpret_cast<const char *>(brand), 48))
              .trim();
  }
  return s;
}

std::string Target::calibrationPath() {
  llvm::SmallString<128> dir;
  if (const char *env = std::getenv("TESSEL_CACHE_DIR"); env && *env)
    dir = env;
  else if (llvm::sys::path::cache_directory(dir))
    llvm::sys::path::append(dir, "tessel");
  else
    return "";
  // One file per kind of CPU: a home directory shared between machines
  // keeps each one's calibration, and a new CPU is measured anew.
  llvm::sys::path::append(
      dir, "host-" + llvm::utohexstr(llvm::xxh3_64bits(hostCpu())) + ".target");
  return std::string(dir);
}

std::optional<Target> Target::calibration() {
  std::string path = calibrationPath();
  if (path.empty() || !llvm::sys::fs::exists(path))
    return std::nullopt;
  llvm::Expected<Target> t = load(path);
  if (!t) {
    static bool warned = false; // once per process, not per spec op
    if (!std::exchange(warned, true))
      llvm::errs()
          << "tessel: warning: ignoring the host calibration: "
          << llvm::toString(t.takeError())
          << "; run `tessel calibrate` to measure this machine again\n";
    else
      llvm::consumeError(t.takeError());
    return std::nullopt;
  }
  if (t->cpu != hostCpu())
    return std::nullopt;
  return *t;
}

/// The cores this process may use (an affinity mask, e.g. taskset).
static unsigned hostCores() {
  unsigned n = llvm::hardware_concurrency().compute_thread_count();
  return n ? n : 1;
}

Target Target::shippedForHost() {
  llvm::StringMap<bool> f = llvm::sys::getHostCPUFeatures();
  bool hasAvx512 =
      f.lookup("avx512f") && f.lookup("avx512bw") && f.lookup("avx512vl");
  Target t = hasAvx512 ? avx512() : avx2();
  t.hasBf16Dot = hasAvx512 && f.lookup("avx512bf16");
  t.cores = hostCores();
  return t;
}

Target Target::host() {
  std::optional<Target> t = calibration();
  if (!t)
    return shippedForHost();
  t->cores = hostCores();
  return *t;
}

static bool looksLikePath(llvm::StringRef name) {
  return name.contains('/') || name.ends_with(".target");
}

std::optional<Target> Target::byName(llvm::StringRef name) {
  if (name == "host")
    return host();
  if (const Target *t = builtin(name))
    return *t;
  if (looksLikePath(name)) {
    llvm::Expected<Target> t = load(name);
    if (t)
      return *t;
    llvm::consumeError(t.takeError());
  }
  return std::nullopt;
}

llvm::Expected<Target> Target::named(llvm::StringRef name) {
  if (looksLikePath(name))
    return load(name);
  if (std::optional<Target> target = byName(name))
    return *target;
  return llvm::createStringError(
      "unknown target '" + name + "'; expected host, " +
      llvm::join(builtinNames(), ", ") + " or a description file (.target)");
}

std::optional<Target> Target::fromName(llvm::StringRef name) {
  auto [labelAndBf16, coresName] = name.split('/');
  unsigned cores;
  if (!coresName.consume_back("c") || coresName.getAsInteger(10, cores) ||
      cores == 0)
    return std::nullopt;
  bool bf16 = labelAndBf16.consume_back("+bf16");
  const Target *b = builtin(labelAndBf16);
  if (!b || (bf16 && b->isa != Isa::AVX512))
    return std::nullopt;
  Target t = *b;
  t.hasBf16Dot = bf16;
  t.cores = cores;
  return t;
}

std::string Target::name() const {
  std::string s = label;
  if (hasBf16Dot)
    s += "+bf16";
  return s + "/" + std::to_string(cores) + "c";
}

uint64_t Target::fingerprint() const {
  // xxh3 over the constants, not llvm::hash_code (whose seed may vary
  // between processes): the value is meant to be stored in databases.
  llvm::SmallVector<uint32_t, 40> v = {
      unsigned(isa),     hasBf16Dot,      cores,          vectorBytes,
      fmaCost,           fmaLatencyFloor, loadCost,       storeCost,
      cvtCost,           scalarOpCost,    kernelCallCost, loopIterCost,
      parallelSetupCost, bf16DotCost};
  for (const LevelInfo &l : levels)
    v.append({l.capacity, l.lineCost, l.ways, l.aliasPeriod, l.runCost});
  return llvm::xxh3_64bits(llvm::ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(v.data()), v.size() * 4));
}

} // namespace tessel::synth
