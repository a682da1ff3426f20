//===- Target.cpp - Target descriptions -----------------------------------===//
//
// Constants are explained, with their sources, in docs/cost-model.md.
//
//===----------------------------------------------------------------------===//
#include "tessel/Synthesis/Target.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/xxhash.h"
#include "llvm/TargetParser/Host.h"

namespace tessel::synth {

static void setMemory(Target &t, uint32_t vectorRegs) {
  auto &L = t.levels;
  // Main memory: ~23 GB/s single-core DRAM read bandwidth at 3.6 GHz is
  // ~6.4 B/cycle, i.e. 10 cycles per 64-byte line.
  // A run that no prefetch stream continues costs about one exposed DRAM
  // latency on top (~100 ns partly overlapped: 60 cycles); measured on
  // vector-matrix products in docs/cost-model.md.
  L[int(MemoryLevel::GL)] = {0xFFFFFFFFu, 10 * kTicksPerCycle, 0, 0,
                             60 * kTicksPerCycle};
  // L2: 1 MiB, 8-way; ~110 GB/s => ~30 B/cycle => 2 cycles per line.
  L[int(MemoryLevel::L2)] = {1u << 20, 2 * kTicksPerCycle, 8, (1u << 20) / 8};
  // L1d: 32 KiB, 8-way (alias period 4 KiB). Loads are charged per
  // instruction by kernels; the line term is the residual bandwidth cost.
  L[int(MemoryLevel::L1)] = {32u << 10, kTicksPerCycle / 4, 8, (32u << 10) / 8};
  L[int(MemoryLevel::VRF)] = {vectorRegs, 0, 0, 0};
  // Scalar registers usable for operands (16 GPRs/xmm minus bookkeeping).
  L[int(MemoryLevel::RF)] = {16, 0, 0, 0};
}

Target Target::avx512() {
  Target t;
  t.isa = Isa::AVX512;
  t.hasBf16Dot = true;
  t.cores = 2;
  t.vectorBytes = 64;
  setMemory(t, 32);
  // Zen 4 executes a zmm FMA as two 256-bit halves on its two FMA pipes:
  // one zmm FMA per cycle, latency 4 => 4 independent accumulators needed.
  t.fmaCost = kTicksPerCycle;
  t.fmaLatencyFloor = 4 * kTicksPerCycle;
  t.loadCost = kTicksPerCycle / 4;
  t.storeCost = kTicksPerCycle;
  t.cvtCost = kTicksPerCycle / 2;
  return t;
}

Target Target::avx2() {
  Target t;
  t.isa = Isa::AVX2;
  t.hasBf16Dot = false;
  t.cores = 2;
  t.vectorBytes = 32;
  setMemory(t, 16);
  // Two ymm FMAs per cycle, latency 4 => 8 accumulators to stay busy.
  t.fmaCost = kTicksPerCycle / 2;
  t.fmaLatencyFloor = 4 * kTicksPerCycle;
  t.loadCost = kTicksPerCycle / 4;
  t.storeCost = kTicksPerCycle / 2;
  t.cvtCost = kTicksPerCycle / 4;
  return t;
}

Target Target::host() {
  llvm::StringMap<bool> f = llvm::sys::getHostCPUFeatures();
  bool hasAvx512 =
      f.lookup("avx512f") && f.lookup("avx512bw") && f.lookup("avx512vl");
  Target t = hasAvx512 ? avx512() : avx2();
  if (hasAvx512)
    t.hasBf16Dot = f.lookup("avx512bf16");
  unsigned n = llvm::hardware_concurrency().compute_thread_count();
  t.cores = n ? n : 1;
  return t;
}

std::optional<Target> Target::byName(llvm::StringRef name) {
  if (name == "host")
    return host();
  if (name == "avx512")
    return avx512();
  if (name == "avx2")
    return avx2();
  return std::nullopt;
}

llvm::Expected<Target> Target::named(llvm::StringRef name) {
  if (std::optional<Target> target = byName(name))
    return *target;
  return llvm::createStringError("unknown target '" + name +
                                 "'; expected host, avx512 or avx2");
}

std::optional<Target> Target::fromName(llvm::StringRef name) {
  auto [isaName, coresName] = name.split('/');
  unsigned cores;
  if (!coresName.consume_back("c") || coresName.getAsInteger(10, cores) ||
      cores == 0)
    return std::nullopt;
  Target t;
  if (isaName == "avx2") {
    t = avx2();
  } else if (isaName == "avx512" || isaName == "avx512+bf16") {
    t = avx512();
    t.hasBf16Dot = isaName.ends_with("+bf16");
  } else {
    return std::nullopt;
  }
  t.cores = cores;
  return t;
}

std::string Target::name() const {
  std::string s = isa == Isa::AVX512 ? "avx512" : "avx2";
  if (isa == Isa::AVX512 && hasBf16Dot)
    s += "+bf16";
  return s + "/" + std::to_string(cores) + "c";
}

uint64_t Target::fingerprint() const {
  // xxh3 over the constants, not llvm::hash_code (whose seed may vary
  // between processes): the value is meant to be stored in databases.
  llvm::SmallVector<uint32_t, 40> v = {
      unsigned(isa),    hasBf16Dot,      cores,          vectorBytes,
      fmaCost,          fmaLatencyFloor, loadCost,       storeCost,
      cvtCost,          scalarOpCost,    kernelCallCost, loopIterCost,
      parallelSetupCost};
  for (const LevelInfo &l : levels)
    v.append({l.capacity, l.lineCost, l.ways, l.aliasPeriod, l.runCost});
  return llvm::xxh3_64bits(llvm::ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(v.data()), v.size() * 4));
}

} // namespace tessel::synth
