//===- Cost.cpp -----------------------------------------------------------===//
#include "tessel/Synthesis/Cost.h"
#include "tessel/Synthesis/Kernels.h"
#include "tessel/Synthesis/Kind.h"
#include "tessel/Synthesis/Spec.h"
#include "tessel/Synthesis/Target.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"

namespace tessel::synth {

int Cost::compare(const Cost &a, const Cost &b) {
  if (a.main != b.main)
    return a.main < b.main ? -1 : 1;
  // Fastest level first: spending fewer registers / less L1 is preferred.
  for (int l = kNumLevels - 1; l >= 0; --l)
    if (a.peak[l] != b.peak[l])
      return a.peak[l] < b.peak[l] ? -1 : 1;
  if (a.depth != b.depth)
    return a.depth < b.depth ? -1 : 1;
  return 0;
}

void Cost::print(llvm::raw_ostream &os) const {
  double cycles = double(main) / 16.0;
  if (cycles >= 1e6)
    os << llvm::format("%.2fM", cycles / 1e6);
  else if (cycles >= 1e3)
    os << llvm::format("%.1fK", cycles / 1e3);
  else
    os << llvm::format("%.2f", cycles);
  os << " cycles; peak";
  bool any = false;
  for (int l = 1; l < int(kNumLevels); ++l) {
    if (!peak[l])
      continue;
    any = true;
    os << ' ' << levelName(MemoryLevel(l)) << ' ';
    if (isCacheLevel(MemoryLevel(l)))
      os << llvm::format("%.1fK", peak[l] / 1024.0);
    else
      os << peak[l];
  }
  if (!any)
    os << " none";
}

uint64_t outputStoresBound(const Spec &s, const Target &t) {
  const TensorSpec &out = s.output();
  if (isRegisterLevel(out.level))
    return 0;
  return out.volume() / t.lanes(out.dtype) *
         (t.storeCost + (s.accum ? t.loadCost : 0));
}

uint64_t lowerBound(const Spec &s, const Target &t) {
  const Kind &kind = kindOf(s.kind);
  uint64_t lb = kind.arithmeticBound(s, t);
  // Every input is read (if it is read whole) and every output written at
  // least once at its
  // level, starting each of its runs at least once: a loop's credit only
  // takes back the starts of runs an earlier iteration began. Kinds whose
  // loops prefetch may read their inputs from main memory at L2's cost
  // (Actions.cpp, prefetchNextTiles).
  bool allGlobal = true;
  for (unsigned i = 0; i < s.numOperands(); ++i) {
    TensorSpec x = s.operands[i];
    allGlobal &= x.level == MemoryLevel::GL;
    if (kind.prefetchesInputs() && !s.writes(i))
      x.prefetched = x.level == MemoryLevel::GL;
    uint64_t once = s.writes(i) || kind.readsWhole(s, i) ? accessCost(x, t) : 0;
    lb = satAdd(lb, once * ((s.reads(i) ? 1 : 0) + (s.writes(i) ? 1 : 0)));
  }
  // A parallel loop may still share the work out over the cores, but pays
  // for its fork and join; a serial program does all the work on one core.
  if (!s.serial && allGlobal && t.cores > 1)
    lb = std::min(lb, satAdd(lb / t.cores, t.parallelSetupCost));
  return lb;
}

} // namespace tessel::synth
