//===- TargetTest.cpp - Target descriptions: text, names, errors ----------===//
//
// A description file round-trips (describe, parse: the same constants, the
// same fingerprint), the shipped targets are what their names say, and a
// damaged or foreign file is refused with the line that is wrong.
//
//===----------------------------------------------------------------------===//
#include "tessel/Synthesis/Target.h"
#include "gtest/gtest.h"
#include <random>

using namespace tessel::synth;

namespace {

std::string errorOf(llvm::StringRef text) {
  llvm::Expected<Target> t = Target::parse(text, "t.target");
  if (t)
    return "";
  return llvm::toString(t.takeError());
}

void expectSameConstants(const Target &a, const Target &b) {
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
  EXPECT_EQ(a.name(), b.name());
  EXPECT_EQ(a.label, b.label);
  EXPECT_EQ(a.cpu, b.cpu);
  EXPECT_EQ(a.vectorBytes, b.vectorBytes);
  EXPECT_EQ(a.streamingStoresFrom, b.streamingStoresFrom);
  for (unsigned l = 0; l < kNumLevels; ++l) {
    EXPECT_EQ(a.levels[l].capacity, b.levels[l].capacity) << l;
    EXPECT_EQ(a.levels[l].aliasPeriod, b.levels[l].aliasPeriod) << l;
  }
}

TEST(TargetDescription, ShippedTargetsRoundTrip) {
  ASSERT_GE(Target::builtinNames().size(), 4u);
  for (llvm::StringRef name : Target::builtinNames()) {
    std::optional<Target> t = Target::byName(name);
    ASSERT_TRUE(t) << name.str();
    EXPECT_EQ(t->label, name.str());
    llvm::Expected<Target> back = Target::parse(t->describe(), name);
    ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
    expectSameConstants(*t, *back);
    // fromName (what a database records) finds the same target.
    std::optional<Target> recorded = Target::fromName(t->name());
    ASSERT_TRUE(recorded) << t->name();
    EXPECT_EQ(recorded->fingerprint(), t->fingerprint());
  }
}

// The avx512 and avx2 descriptions keep the constants the engine had before
// they became files (so programs stay the same).
TEST(TargetDescription, ReferenceMachineConstants) {
  Target z = Target::avx512();
  EXPECT_EQ(z.name(), "avx512+bf16/2c");
  EXPECT_EQ(z.fmaCost, 16u);
  EXPECT_EQ(z.fmaLatencyFloor, 64u);
  EXPECT_EQ(z.loadCost, 4u);
  EXPECT_EQ(z.parallelSetupCost, 172800u);
  EXPECT_EQ(z.level(MemoryLevel::L1).capacity, 32u << 10);
  EXPECT_EQ(z.level(MemoryLevel::L1).aliasPeriod, 4096u);
  EXPECT_EQ(z.level(MemoryLevel::L2).aliasPeriod, (1u << 20) / 8);
  EXPECT_EQ(z.level(MemoryLevel::GL).lineCost, 160u);
  EXPECT_EQ(z.level(MemoryLevel::GL).runCost, 960u);
  EXPECT_EQ(z.numVectorRegs(), 32u);
  Target h = Target::avx2();
  EXPECT_EQ(h.name(), "avx2/2c");
  EXPECT_EQ(h.vectorBytes, 32u);
  EXPECT_EQ(h.fmaCost, 8u);
  EXPECT_EQ(h.numVectorRegs(), 16u);
  EXPECT_NE(Target::byName("zen5")->fingerprint(), z.fingerprint());
  // Measured: a zmm vdpbf16ps every 2.19 cycles on Emerald Rapids.
  EXPECT_EQ(Target::byName("sapphire-rapids")->bf16DotCost, 35u);
  EXPECT_EQ(z.bf16DotCost, z.fmaCost);
}

// Any constants in range survive the text form exactly (ticks written as
// decimal cycles and read back).
TEST(TargetDescription, RandomConstantsRoundTrip) {
  std::mt19937 rng(7);
  for (int i = 0; i < 200; ++i) {
    Target t = i % 2 ? Target::avx512() : Target::avx2();
    auto pick = [&](uint32_t lo, uint32_t hi) {
      return std::uniform_int_distribution<uint32_t>(lo, hi)(rng);
    };
    t.label = "random-" + std::to_string(i);
    t.cpu = i % 3 ? "" : "SomeVendor family 1 model 2: a CPU # with a hash";
    t.cores = pick(1, 512);
    t.fmaCost = pick(1, 64);
    t.bf16DotCost = pick(1, 128);
    t.fmaLatencyFloor = pick(1, 200);
    t.loadCost = pick(0, 33);
    t.storeCost = pick(1, 40);
    t.parallelSetupCost = pick(0, 10'000'000);
    auto &l1 = t.levels[int(MemoryLevel::L1)];
    l1.ways = pick(1, 16);
    l1.aliasPeriod = 4096u << pick(0, 3);
    l1.capacity = l1.ways * l1.aliasPeriod;
    auto &l2 = t.levels[int(MemoryLevel::L2)];
    l2.ways = pick(l1.ways, 32);
    l2.aliasPeriod = l1.aliasPeriod << pick(4, 6);
    l2.capacity = l2.ways * l2.aliasPeriod;
    l2.lineCost = pick(0, 100);
    t.levels[int(MemoryLevel::GL)].runCost = pick(0, 5000);
    t.streamingStoresFrom = i % 5 ? pick(0, 1u << 31) : 0;
    llvm::Expected<Target> back = Target::parse(t.describe(), "random");
    ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError()) << "\n"
                            << t.describe();
    expectSameConstants(t, *back);
  }
}

TEST(TargetDescription, DamagedFilesAreLocated) {
  std::string good = Target::avx512().describe();
  auto replace = [&](llvm::StringRef from, llvm::StringRef to) {
    std::string s = good;
    size_t at = s.find(from.str());
    EXPECT_NE(at, std::string::npos) << from.str();
    return s.replace(at, from.size(), to.str());
  };
  // Lines of `good`: 1 format, 2 comment, 3 name, 4 isa, 5 bf16-dot,
  // 6 cores, ..., 9 fma-cost, 10 bf16-dot-cost, ..., 19 l1.capacity. What is
  // wrong with the whole file (a missing key, caches that do not fit) has no
  // line.
  EXPECT_EQ(errorOf(""),
            "t.target: not a Tessel target description (it is empty)");
  EXPECT_EQ(errorOf("\x7f"
                    "ELF\x02\x01"),
            "t.target:1: not a Tessel target description (it starts with "
            "'tessel-target 3')");
  EXPECT_EQ(errorOf(replace("tessel-target 3", "tessel-target 4")),
            "t.target:1: target description format 4; this Tessel reads "
            "formats 1 to 3");
  EXPECT_EQ(errorOf(replace("tessel-target 3", "tessel-target 0")),
            "t.target:1: target description format 0; this Tessel reads "
            "formats 1 to 3");
  EXPECT_EQ(errorOf(replace("isa avx512", "isa sse2")),
            "t.target:4: isa 'sse2': expected avx512 or avx2");
  EXPECT_EQ(errorOf(replace("cores 2", "cores 0")),
            "t.target:6: 'cores' is 0; expected 1 to 4096");
  EXPECT_EQ(errorOf(replace("fma-cost 1\n", "fma-cost 0.3\n")),
            "t.target:9: 'fma-cost' is '0.3'; expected cycles, a decimal "
            "multiple of 1/16 (e.g. 0.25)");
  EXPECT_EQ(errorOf(replace("fma-cost 1\n", "fma-cost 1\nfma-cost 2\n")),
            "t.target:10: 'fma-cost' is given twice");
  EXPECT_EQ(errorOf(replace("bf16-dot-cost 1\n", "")),
            "t.target: 'bf16-dot-cost' is missing");
  // Format 1 had no bf16-dot-cost, format 2 no streaming stores (test
  // OlderFormatsAreStillRead).
  EXPECT_EQ(errorOf(replace("tessel-target 3", "tessel-target 1")),
            "t.target:10: unknown key 'bf16-dot-cost' in format 1 (write "
            "'tessel-target 2')");
  EXPECT_EQ(errorOf(replace("tessel-target 3", "tessel-target 2")),
            "t.target:27: unknown key 'memory.streaming-stores-from' in "
            "format 2 (write 'tessel-target 3')");
  EXPECT_EQ(errorOf(replace("memory.streaming-stores-from 32M\n", "")),
            "t.target: 'memory.streaming-stores-from' is missing");
  EXPECT_EQ(errorOf(replace("memory.streaming-stores-from 32M",
                            "memory.streaming-stores-from 4G")),
            "t.target:27: 'memory.streaming-stores-from' is '4G'; expected "
            "bytes (e.g. 32768, 48K or 2M)");
  EXPECT_EQ(errorOf(replace("memory.streaming-stores-from 32M",
                            "memory.streaming-stores-from 4096M")),
            "t.target:27: 'memory.streaming-stores-from' is 4096M; expected "
            "0 to 2048M");
  EXPECT_EQ(errorOf(replace("fma-cost 1\n", "fma-kost 1\n")),
            "t.target:9: unknown key 'fma-kost'");
  EXPECT_EQ(errorOf(replace("fma-cost 1\n", "")),
            "t.target: 'fma-cost' is missing");
  EXPECT_EQ(errorOf(replace("l1.ways 8", "l1.ways 7")),
            "t.target: l1: capacity / ways must be a power of two of at "
            "least 64 bytes (the cache's alias period)");
  EXPECT_EQ(errorOf(replace("l1.capacity 32K", "l1.capacity 32Q")),
            "t.target:19: 'l1.capacity' is '32Q'; expected bytes (e.g. "
            "32768, 48K or 2M)");
  EXPECT_EQ(errorOf(replace("l2.capacity 1M", "l2.capacity 16K")),
            "t.target: l1.capacity is larger than l2.capacity");
  EXPECT_EQ(errorOf(replace("name avx512", "name my target")),
            "t.target:3: name 'my target' is not 1-64 letters, digits, '-', "
            "'_' or '.'");
  EXPECT_EQ(errorOf(replace("isa avx512", "isa avx2")),
            "t.target: bf16-dot needs isa avx512");
  EXPECT_EQ(errorOf(good), "");
}

// Descriptions written before vdpbf16ps had its own constant priced it as
// an FMA, and those before streaming stores wrote every output with
// ordinary stores; they read so, and say which format they are.
TEST(TargetDescription, OlderFormatsAreStillRead) {
  Target zen5 = *Target::fromName("zen5+bf16/2c");
  zen5.bf16DotCost = 3 * zen5.fmaCost;
  ASSERT_NE(zen5.streamingStoresFrom, 0u);
  std::string text = zen5.describe();
  EXPECT_EQ(Target::descriptionFormat(text), 3u);
  auto withFormat = [&](unsigned format) {
    std::string s = text;
    size_t at = s.find("tessel-target 3");
    EXPECT_NE(at, std::string::npos);
    s.replace(at, 15, "tessel-target " + std::to_string(format));
    for (llvm::StringRef key :
         {"memory.streaming-stores-from ", "bf16-dot-cost "}) {
      if (key.starts_with("bf16") && format >= 2)
        continue;
      size_t line = s.find(key.str());
      EXPECT_NE(line, std::string::npos);
      s.erase(line, s.find('\n', line) + 1 - line);
    }
    return s;
  };
  std::string two = withFormat(2), one = withFormat(1);
  EXPECT_EQ(Target::descriptionFormat("# a comment\n\n" + one), 1u);
  EXPECT_EQ(Target::descriptionFormat(two), 2u);
  llvm::Expected<Target> v2 = Target::parse(two, "v2.target");
  ASSERT_TRUE(bool(v2)) << llvm::toString(v2.takeError());
  EXPECT_EQ(v2->streamingStoresFrom, 0u);
  EXPECT_EQ(v2->bf16DotCost, zen5.bf16DotCost);
  llvm::Expected<Target> v1 = Target::parse(one, "v1.target");
  ASSERT_TRUE(bool(v1)) << llvm::toString(v1.takeError());
  EXPECT_EQ(v1->streamingStoresFrom, 0u);
  EXPECT_EQ(v1->bf16DotCost, v1->fmaCost);
  EXPECT_EQ(v1->fmaCost, zen5.fmaCost);
  EXPECT_EQ(Target::descriptionFormat("isa avx512\n"), 0u);
  EXPECT_EQ(Target::descriptionFormat(""), 0u);
}

// The streaming threshold steers code generation, not the search: programs
// (and databases) are the same with any value.
TEST(TargetDescription, StreamingThresholdIsNotInTheFingerprint) {
  Target a = Target::avx512(), b = a;
  b.streamingStoresFrom = 0;
  EXPECT_NE(a.streamingStoresFrom, 0u);
  EXPECT_EQ(a.fingerprint(), b.fingerprint());
}

// The dot's constant is a constant of the target: databases made with
// another are refused.
TEST(TargetDescription, Bf16DotCostIsInTheFingerprint) {
  Target a = Target::avx512(), b = a;
  b.bf16DotCost = 2 * a.bf16DotCost;
  EXPECT_NE(a.fingerprint(), b.fingerprint());
}

TEST(TargetDescription, NamesAndFiles) {
  llvm::Expected<Target> unknown = Target::named("sse2");
  ASSERT_FALSE(bool(unknown));
  EXPECT_EQ(llvm::toString(unknown.takeError()),
            "unknown target 'sse2'; expected host, avx512, avx2, zen5, "
            "sapphire-rapids or a description file (.target)");
  llvm::Expected<Target> missing = Target::named("/nonexistent/x.target");
  ASSERT_FALSE(bool(missing));
  EXPECT_NE(llvm::toString(missing.takeError())
                .find("cannot read target description '/nonexistent/x.target'"),
            std::string::npos);
  EXPECT_FALSE(Target::fromName("host+bf16/2c")); // no shipped "host"
  EXPECT_FALSE(Target::fromName("avx2+bf16/2c")); // bf16 needs AVX-512
  EXPECT_FALSE(Target::fromName("avx512/0c"));
  EXPECT_TRUE(Target::fromName("zen5+bf16/8c"));
}

} // namespace
