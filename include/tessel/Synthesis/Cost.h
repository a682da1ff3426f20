//===- Cost.h - The cost of an implementation -------------------*- C++ -*-===//
//
// Cost = predicted time (ticks, see Target.h) + peak memory per level + tree
// depth. Programs compare by time, then peak memory (fastest level first, so
// fewer registers/L1 win), then depth; the search breaks remaining ties by
// the fixed action order (Actions.h).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SYNTHESIS_COST_H
#define TESSEL_SYNTHESIS_COST_H

#include "tessel/Synthesis/Types.h"
#include "llvm/Support/raw_ostream.h"
#include <array>
#include <cstdint>

namespace tessel::synth {

class Target;
struct Spec;

struct Cost {
  uint64_t main = 0;
  std::array<uint32_t, kNumLevels> peak{};
  uint32_t depth = 0;

  /// -1, 0, 1 in the order described above.
  static int compare(const Cost &a, const Cost &b);
  bool operator==(const Cost &o) const { return compare(*this, o) == 0; }
  void print(llvm::raw_ostream &os) const;
};

/// The cheapest ticks per multiply-accumulate any register tile of matmul
/// `s` (or of a sub-spec) can reach, as num/den: tiles are at most m x n,
/// their accumulators plus a B row and a broadcast fit the free vector
/// registers, and each k step of FMAs (or k pair of vdpbf16ps at
/// bf16DotCost each, `macsPerStep` = 2) costs what the kernel formula says,
/// plus `rowExtra` per tile row and `vectorExtra` per B vector (widening an
/// operand that can only be widened as loaded). Scalar code is never cheaper
/// than scalarOpCost per MAC (Kinds/Matmul.cpp).
std::pair<uint64_t, uint64_t>
registerTileMacRate(const Spec &s, const Target &t, unsigned macsPerStep,
                    uint64_t rowExtra = 0, uint64_t vectorExtra = 0);

/// Saturating arithmetic: costs of absurd programs must not wrap around.
inline uint64_t satAdd(uint64_t a, uint64_t b) {
  uint64_t r = a + b;
  return r < a ? UINT64_MAX : r;
}
inline uint64_t satMul(uint64_t a, uint64_t b) {
  if (a && b > UINT64_MAX / a)
    return UINT64_MAX;
  return a * b;
}

/// A lower bound on the time of any implementation of `spec`: the vector
/// arithmetic it needs at the best rate, plus reading every input and writing
/// every output once from/to its level; divided by the core count when the
/// spec may still use parallel loops. Used for branch-and-bound.
uint64_t lowerBound(const Spec &spec, const Target &target);

/// The output's part of a kind's arithmetic bound: an output in memory is
/// stored (and, accumulating, loaded) at least once, a vector at a time at
/// best; nothing for one in registers.
uint64_t outputStoresBound(const Spec &spec, const Target &target);

} // namespace tessel::synth

#endif // TESSEL_SYNTHESIS_COST_H
