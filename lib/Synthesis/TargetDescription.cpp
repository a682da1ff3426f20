//===- TargetDescription.cpp - Target descriptions as text ----------------===//
//
// The text form of a Target (docs/targets.md): a `tessel-target 3` line,
// then one `key value` per line, `#` lines are comments. Costs are in core
// cycles, exact multiples of 1/16 (the engine's tick); capacities in bytes
// with an optional K or M suffix. Every key is required once, so a file
// cannot silently inherit a constant it forgot. Older formats lacked keys
// (kAddedKeys) and are still read, with what they meant then.
//
//===----------------------------------------------------------------------===//
#include "tessel/Synthesis/Target.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

namespace tessel::synth {

namespace {
enum class Unit { Cycles, Bytes, Count };

/// One numeric key: where it lives in a Target and what it counts.
struct NumericKey {
  llvm::StringLiteral key;
  Unit unit;
  uint32_t min, max;
  uint32_t &(*field)(Target &);
};

#define TARGET_FIELD(expr) [](Target &t) -> uint32_t & { return expr; }
#define LEVEL(l) t.levels[int(MemoryLevel::l)]
const NumericKey kNumericKeys[] = {
    {"cores", Unit::Count, 1, 4096, TARGET_FIELD(t.cores)},
    {"vector-registers", Unit::Count, 4, 64, TARGET_FIELD(LEVEL(VRF).capacity)},
    {"scalar-registers", Unit::Count, 4, 64, TARGET_FIELD(LEVEL(RF).capacity)},
    {"fma-cost", Unit::Cycles, 1, 64 * kTicksPerCycle, TARGET_FIELD(t.fmaCost)},
    {"bf16-dot-cost", Unit::Cycles, 1, 64 * kTicksPerCycle,
     TARGET_FIELD(t.bf16DotCost)},
    {"fma-latency-floor", Unit::Cycles, 1, 64 * kTicksPerCycle,
     TARGET_FIELD(t.fmaLatencyFloor)},
    {"load-cost", Unit::Cycles, 0, 64 * kTicksPerCycle,
     TARGET_FIELD(t.loadCost)},
    {"store-cost", Unit::Cycles, 1, 64 * kTicksPerCycle,
     TARGET_FIELD(t.storeCost)},
    {"cvt-cost", Unit::Cycles, 0, 64 * kTicksPerCycle, TARGET_FIELD(t.cvtCost)},
    {"scalar-op-cost", Unit::Cycles, 1, 64 * kTicksPerCycle,
     TARGET_FIELD(t.scalarOpCost)},
    {"kernel-call-cost", Unit::Cycles, 0, 4096 * kTicksPerCycle,
     TARGET_FIELD(t.kernelCallCost)},
    {"loop-iter-cost", Unit::Cycles, 0, 4096 * kTicksPerCycle,
     TARGET_FIELD(t.loopIterCost)},
    {"parallel-setup-cost", Unit::Cycles, 0, 10'000'000 * kTicksPerCycle,
     TARGET_FIELD(t.parallelSetupCost)},
    {"l1.capacity", Unit::Bytes, 4096, 1u << 30,
     TARGET_FIELD(LEVEL(L1).capacity)},
    {"l1.ways", Unit::Count, 1, 64, TARGET_FIELD(LEVEL(L1).ways)},
    {"l1.line-cost", Unit::Cycles, 0, 4096 * kTicksPerCycle,
     TARGET_FIELD(LEVEL(L1).lineCost)},
    {"l2.capacity", Unit::Bytes, 4096, 1u << 30,
     TARGET_FIELD(LEVEL(L2).capacity)},
    {"l2.ways", Unit::Count, 1, 64, TARGET_FIELD(LEVEL(L2).ways)},
    {"l2.line-cost", Unit::Cycles, 0, 4096 * kTicksPerCycle,
     TARGET_FIELD(LEVEL(L2).lineCost)},
    {"memory.line-cost", Unit::Cycles, 0, 4096 * kTicksPerCycle,
     TARGET_FIELD(LEVEL(GL).lineCost)},
    {"memory.run-cost", Unit::Cycles, 0, 65536 * kTicksPerCycle,
     TARGET_FIELD(LEVEL(GL).runCost)},
    {"memory.streaming-stores-from", Unit::Bytes, 0, 1u << 31,
     TARGET_FIELD(t.streamingStoresFrom)},
};

/// Keys a format added, and what a file of an older format meant instead.
struct AddedKey {
  llvm::StringLiteral key;
  unsigned format;
  void (*older)(Target &);
};
const AddedKey kAddedKeys[] = {
    // vdpbf16ps was priced as an FMA.
    {"bf16-dot-cost", 2, [](Target &t) { t.bf16DotCost = t.fmaCost; }},
    // Outputs were written with ordinary stores.
    {"memory.streaming-stores-from", 3,
     [](Target &t) { t.streamingStoresFrom = 0; }},
};
#undef LEVEL
#undef TARGET_FIELD

/// Cycles as a decimal, ticks exactly ("0.25" is 4 ticks).
std::optional<uint64_t> parseCycles(llvm::StringRef s) {
  auto [whole, frac] = s.split('.');
  uint64_t w = 0;
  if (whole.empty() || whole.getAsInteger(10, w) || w > (1ull << 40))
    return std::nullopt;
  // Each decimal digit of the fraction, times 16, must come out whole.
  uint64_t num = 0, den = 1;
  if (s.contains('.')) {
    if (frac.empty() || frac.size() > 4 || !llvm::all_of(frac, llvm::isDigit))
      return std::nullopt;
    for (char c : frac) {
      num = num * 10 + (c - '0');
      den *= 10;
    }
  }
  if ((num * kTicksPerCycle) % den)
    return std::nullopt;
  return w * kTicksPerCycle + num * kTicksPerCycle / den;
}

std::string printCycles(uint64_t ticks) {
  std::string s = std::to_string(ticks / kTicksPerCycle);
  if (uint64_t rest = ticks % kTicksPerCycle) {
    // rest/16 has at most four decimal digits.
    std::string digits = std::to_string(rest * 10000 / kTicksPerCycle);
    digits.insert(0, 4 - digits.size(), '0');
    s += "." + llvm::StringRef(digits).rtrim('0').str();
  }
  return s;
}

std::optional<uint64_t> parseBytes(llvm::StringRef s) {
  uint64_t scale = 1;
  if (s.consume_back("K"))
    scale = 1024;
  else if (s.consume_back("M"))
    scale = 1024 * 1024;
  uint64_t v;
  if (s.getAsInteger(10, v) || v > (1ull << 40))
    return std::nullopt;
  return v * scale;
}

std::optional<uint64_t> parseCount(llvm::StringRef s) {
  uint64_t v;
  if (s.getAsInteger(10, v) || v > (1ull << 40))
    return std::nullopt;
  return v;
}

std::string printBytes(uint64_t v) {
  if (v && v % (1024 * 1024) == 0)
    return std::to_string(v / (1024 * 1024)) + "M";
  if (v && v % 1024 == 0)
    return std::to_string(v / 1024) + "K";
  return std::to_string(v);
}

std::string printValue(Unit unit, uint64_t v) {
  switch (unit) {
  case Unit::Cycles:
    return printCycles(v);
  case Unit::Bytes:
    return printBytes(v);
  case Unit::Count:
    return std::to_string(v);
  }
  llvm_unreachable("unit");
}

bool validLabel(llvm::StringRef s) {
  return !s.empty() && s.size() <= 64 && llvm::all_of(s, [](char c) {
    return llvm::isAlnum(c) || c == '-' || c == '_' || c == '.';
  });
}
} // namespace

unsigned Target::descriptionFormat(llvm::StringRef text) {
  llvm::SmallVector<llvm::StringRef> lines;
  text.split(lines, '\n');
  for (llvm::StringRef raw : lines) {
    llvm::StringRef line = raw.trim();
    if (line.empty() || line.starts_with("#"))
      continue;
    unsigned format = 0;
    if (!line.consume_front("tessel-target ") ||
        line.trim().getAsInteger(10, format))
      return 0;
    return format;
  }
  return 0;
}

llvm::Expected<Target> Target::parse(llvm::StringRef text,
                                     llvm::StringRef source) {
  Target t;
  t.label.clear();
  llvm::StringSet<> seen;
  unsigned lineNo = 0;
  auto error = [&](const llvm::Twine &message) {
    return llvm::createStringError(source + ":" + llvm::Twine(lineNo) + ": " +
                                   message);
  };
  bool sawFormat = false;
  unsigned format = 0;
  std::optional<bool> bf16;
  llvm::SmallVector<llvm::StringRef> lines;
  text.split(lines, '\n');
  for (llvm::StringRef raw : lines) {
    ++lineNo;
    llvm::StringRef line = raw.trim();
    if (line.empty() || line.starts_with("#"))
      continue;
    llvm::StringRef key = line.split(' ').first;
    llvm::StringRef value = line.split(' ').second.trim();
    if (!sawFormat) {
      if (key != "tessel-target" || value.getAsInteger(10, format))
        return error("not a Tessel target description (it starts with "
                     "'tessel-target " +
                     llvm::Twine(kDescriptionFormat) + "')");
      if (format < 1 || format > kDescriptionFormat)
        return error("target description format " + llvm::Twine(format) +
                     "; this Tessel reads formats 1 to " +
                     llvm::Twine(kDescriptionFormat));
      sawFormat = true;
      continue;
    }
    if (value.empty())
      return error("'" + key + "' has no value");
    if (!seen.insert(key).second)
      return error("'" + key + "' is given twice");
    if (key == "name") {
      if (!validLabel(value))
        return error("name '" + value +
                     "' is not 1-64 letters, digits, '-', '_' or '.'");
      t.label = value.str();
    } else if (key == "cpu") {
      t.cpu = value.str();
    } else if (key == "isa") {
      if (value != "avx512" && value != "avx2")
        return error("isa '" + value + "': expected avx512 or avx2");
      t.isa = value == "avx512" ? Isa::AVX512 : Isa::AVX2;
    } else if (key == "bf16-dot") {
      if (value != "yes" && value != "no")
        return error("bf16-dot '" + value + "': expected yes or no");
      bf16 = value == "yes";
    } else {
      const NumericKey *k = llvm::find_if(
          kNumericKeys, [&](const NumericKey &n) { return n.key == key; });
      const AddedKey *added = llvm::find_if(
          kAddedKeys, [&](const AddedKey &a) { return a.key == key; });
      bool tooNew = added != std::end(kAddedKeys) && format < added->format;
      if (k == std::end(kNumericKeys) || tooNew)
        return error("unknown key '" + key + "'" +
                     (tooNew ? llvm::formatv(" in format {0} (write "
                                             "'tessel-target {1}')",
                                             format, added->format)
                                   .str()
                             : std::string()));
      std::optional<uint64_t> v = k->unit == Unit::Cycles  ? parseCycles(value)
                                  : k->unit == Unit::Bytes ? parseBytes(value)
                                                           : parseCount(value);
      if (!v)
        return error("'" + key + "' is '" + value + "'; expected " +
                     (k->unit == Unit::Cycles
                          ? "cycles, a decimal multiple of 1/16 (e.g. 0.25)"
                      : k->unit == Unit::Bytes ? "bytes (e.g. 32768, 48K or 2M)"
                                               : "a whole number"));
      if (*v < k->min || *v > k->max)
        return error("'" + key + "' is " + value + "; expected " +
                     printValue(k->unit, k->min) + " to " +
                     printValue(k->unit, k->max));
      k->field(t) = uint32_t(*v);
    }
  }
  // What is wrong with the whole file has no one line.
  auto fileError = [&](const llvm::Twine &message) {
    return llvm::createStringError(source + ": " + message);
  };
  if (!sawFormat)
    return fileError("not a Tessel target description (it is empty)");
  for (llvm::StringRef key : {"name", "isa", "bf16-dot"})
    if (!seen.contains(key))
      return fileError("'" + key + "' is missing");
  for (const AddedKey &a : kAddedKeys)
    if (format < a.format) {
      a.older(t);
      seen.insert(a.key);
    }
  for (const NumericKey &k : kNumericKeys)
    if (!seen.contains(k.key))
      return fileError("'" + k.key + "' is missing");
  if (*bf16 && t.isa != Isa::AVX512)
    return fileError("bf16-dot needs isa avx512");
  t.hasBf16Dot = *bf16;
  t.vectorBytes = t.isa == Isa::AVX512 ? 64 : 32;
  auto &gl = t.levels[int(MemoryLevel::GL)];
  gl.capacity = 0xFFFFFFFFu;
  for (MemoryLevel l : {MemoryLevel::L1, MemoryLevel::L2}) {
    LevelInfo &c = t.levels[int(l)];
    // The engine models sets by an alias period of a power of two bytes.
    if (c.capacity % c.ways || !llvm::isPowerOf2_32(c.capacity / c.ways) ||
        c.capacity / c.ways < 64)
      return fileError(llvm::Twine(l == MemoryLevel::L1 ? "l1" : "l2") +
                       ": capacity / ways must be a power of two of at least "
                       "64 bytes (the cache's alias period)");
    c.aliasPeriod = c.capacity / c.ways;
  }
  if (t.level(MemoryLevel::L1).capacity > t.level(MemoryLevel::L2).capacity)
    return fileError("l1.capacity is larger than l2.capacity");
  return t;
}

llvm::Expected<Target> Target::load(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!file)
    return llvm::createStringError("cannot read target description '" + path +
                                   "': " + file.getError().message());
  if ((*file)->getBufferSize() > (1 << 20))
    return llvm::createStringError(path +
                                   ": too large for a target description");
  return parse((*file)->getBuffer(), path);
}

std::string Target::describe() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "tessel-target " << kDescriptionFormat << "\n"
     << "# Costs in core cycles, capacities in bytes: docs/targets.md.\n"
     << "name " << label << "\n";
  if (!cpu.empty())
    os << "cpu " << cpu << "\n";
  os << "isa " << (isa == Isa::AVX512 ? "avx512" : "avx2") << "\n"
     << "bf16-dot " << (hasBf16Dot ? "yes" : "no") << "\n";
  Target copy = *this;
  for (const NumericKey &k : kNumericKeys)
    os << k.key << " " << printValue(k.unit, k.field(copy)) << "\n";
  return s;
}

} // namespace tessel::synth
