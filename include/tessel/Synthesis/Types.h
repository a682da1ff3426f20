//===- Types.h - Element types and memory levels ----------------*- C++ -*-===//
//
// The two small enumerations every other synthesis header uses.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SYNTHESIS_TYPES_H
#define TESSEL_SYNTHESIS_TYPES_H

#include "llvm/ADT/StringRef.h"
#include <cstdint>

namespace tessel::synth {

/// Element types. f32 and bf16 have vector kernels; the others are carried
/// through the model (copies, fills, scalar fallbacks) for later issues.
enum class Dtype : uint8_t { F32, BF16, F16, I8, I16, I32 };
constexpr unsigned kNumDtypes = 6;

unsigned dtypeBytes(Dtype t);
llvm::StringRef dtypeName(Dtype t);
/// Conversions a move may perform (besides identity): bf16/f16 -> f32 and
/// integer widening. Narrowing is never chosen by search.
bool isWideningCast(Dtype from, Dtype to);

/// Memory levels, slowest first. GL is main memory; L2 and L1 are hardware
/// caches (not addressed: a same-layout move into them is a "cache view" that
/// only reserves capacity); VRF and RF are the vector and scalar register
/// files. See docs/cost-model.md for the capacities and costs.
enum class MemoryLevel : uint8_t { GL, L2, L1, VRF, RF };
constexpr unsigned kNumLevels = 5;

llvm::StringRef levelName(MemoryLevel l);
inline bool isRegisterLevel(MemoryLevel l) {
  return l == MemoryLevel::VRF || l == MemoryLevel::RF;
}
inline bool isCacheLevel(MemoryLevel l) {
  return l == MemoryLevel::L2 || l == MemoryLevel::L1;
}
/// True if `a` is strictly closer to the cores than `b`.
inline bool isFaster(MemoryLevel a, MemoryLevel b) {
  return static_cast<uint8_t>(a) > static_cast<uint8_t>(b);
}

} // namespace tessel::synth

#endif // TESSEL_SYNTHESIS_TYPES_H
