//===- Target.h - x86 targets and their cost constants ----------*- C++ -*-===//
//
// A Target is a description of one CPU: its memory levels (capacity, line
// cost, associativity), register files, vector width and instruction costs.
// Every number is documented, with its source, in docs/cost-model.md.
//
// Costs are integers in "ticks" of 1/16 of a core cycle, so that half- and
// quarter-cycle throughputs stay exact and comparisons are deterministic.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SYNTHESIS_TARGET_H
#define TESSEL_SYNTHESIS_TARGET_H

#include "tessel/Synthesis/Types.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace tessel::synth {

constexpr uint64_t kTicksPerCycle = 16;

struct LevelInfo {
  /// Capacity: bytes for GL/L2/L1, registers for VRF/RF.
  uint32_t capacity = 0;
  /// Cost of moving one 64-byte line between this level and the core.
  uint32_t lineCost = 0;
  /// Caches only: ways and alias period (capacity / ways, in bytes). Rows
  /// whose addresses agree modulo the period compete for `ways` slots.
  uint32_t ways = 0;
  uint32_t aliasPeriod = 0;
  /// Cost of starting a contiguous run (a stream): its first lines miss
  /// until the hardware prefetcher locks on. Charged per run of a tile; a
  /// serial loop that continues the same runs pays it once.
  uint32_t runCost = 0;
};

enum class Isa : uint8_t { AVX2, AVX512 };

class Target {
public:
  /// AMD Zen 4 with AVX-512 + BF16 (the reference machine:
  /// targets/avx512.target).
  static Target avx512();
  /// The same core restricted to AVX2 (16 ymm registers, no vdpbf16ps).
  static Target avx2();
  /// This machine: calibration() if there is one, else shippedForHost().
  /// Core count from the host (its affinity mask).
  static Target host();
  /// The shipped description for this CPU's ISA: avx512 if it has
  /// AVX-512F/BW/VL (BF16 kernels only with AVX512BF16), else avx2; the
  /// host's core count.
  static Target shippedForHost();
  /// This CPU's cached calibration (`tessel calibrate`), if there is a
  /// valid one for this CPU; a damaged one is ignored with a warning.
  static std::optional<Target> calibration();
  /// The target a user names: "host", a shipped description's name
  /// (builtinNames()) or the path of a description file; nothing otherwise.
  static std::optional<Target> byName(llvm::StringRef name);
  /// byName, or an error that says which names there are (or, for a file,
  /// where it is wrong).
  static llvm::Expected<Target> named(llvm::StringRef name);
  /// The shipped target whose name() is `name` ("avx512+bf16/2c"), as
  /// databases record it; nothing for any other string.
  static std::optional<Target> fromName(llvm::StringRef name);
  /// Names of the descriptions shipped in targets/ (built into the library).
  static llvm::ArrayRef<llvm::StringRef> builtinNames();

  /// Reads a target description (docs/targets.md: a versioned text file of
  /// `key value` lines). Errors are located as `source:line: message`.
  static llvm::Expected<Target> parse(llvm::StringRef text,
                                      llvm::StringRef source);
  /// Reads the description file at `path`.
  static llvm::Expected<Target> load(llvm::StringRef path);
  /// The format describe() writes; parse() also reads older ones.
  static constexpr unsigned kDescriptionFormat = 3;
  /// The format a description's text names (0 if it names none).
  static unsigned descriptionFormat(llvm::StringRef text);
  /// This CPU: vendor, family, model, stepping and brand string (cpuid).
  static std::string hostCpu();
  /// Where `tessel calibrate` caches this CPU's description:
  /// $TESSEL_CACHE_DIR, else the user cache directory's tessel/, one file
  /// per hostCpu(); empty if there is no cache directory.
  static std::string calibrationPath();
  /// The description text parse() reads back to an equal target.
  std::string describe() const;

  /// The description's name ("avx512", "zen5", "host" for a calibration).
  std::string label = "avx512";
  /// The CPU a calibration measured (empty for the shipped descriptions):
  /// host() uses a cached calibration only on the same CPU.
  std::string cpu;

  Isa isa = Isa::AVX512;
  bool hasBf16Dot = true;
  unsigned cores = 2;
  unsigned vectorBytes = 64;
  std::array<LevelInfo, kNumLevels> levels{};

  // Instruction costs, in ticks.
  uint32_t fmaCost = 16;         ///< one full-width FMA (throughput)
  uint32_t bf16DotCost = 16;     ///< one full-width vdpbf16ps (throughput)
  uint32_t fmaLatencyFloor = 64; ///< minimum ticks per k step of a tile
  uint32_t loadCost = 4;         ///< un-hidden issue cost of a vector load
  uint32_t storeCost = 16;       ///< one full-width vector store
  uint32_t cvtCost = 8;          ///< bf16 -> f32 widening of one vector
  uint32_t scalarOpCost = 16;    ///< one scalar multiply-add / copy step
  uint32_t kernelCallCost = 32;  ///< fixed entry/exit cost of a kernel
  uint32_t loopIterCost = 16;    ///< per-iteration loop overhead
  uint32_t parallelSetupCost = 172800; ///< fork/join of a parallel loop

  /// Code generation, not the search: an op whose operands total at least
  /// this many bytes writes its elementwise outputs in main memory with
  /// streaming (non-temporal) stores, which skip reading each line first;
  /// below it, ordinary stores leave the output in cache for its reader.
  /// 0: never. Measured by `tessel calibrate` as the smallest copy that
  /// streams faster. It is not in fingerprint(): no program depends on it.
  uint32_t streamingStoresFrom = 0;

  const LevelInfo &level(MemoryLevel l) const {
    return levels[static_cast<int>(l)];
  }
  /// Lanes of a full vector of `t`.
  unsigned lanes(Dtype t) const { return vectorBytes / dtypeBytes(t); }
  unsigned numVectorRegs() const { return level(MemoryLevel::VRF).capacity; }

  /// label, "+bf16" when the bf16 dot kernels are on, "/<cores>c".
  std::string name() const;
  /// A stable fingerprint of every constant (for memo databases); the label
  /// and cpu are names, not constants, and stay out of it.
  uint64_t fingerprint() const;
};

} // namespace tessel::synth

#endif // TESSEL_SYNTHESIS_TARGET_H
