//===- Cost.cpp -----------------------------------------------------------===//
#include "tessel/Synthesis/Cost.h"
#include "tessel/Synthesis/Kernels.h"
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

/// The cheapest ticks per multiply-accumulate any register tile of a
/// sub-spec can reach (as num/den): tiles are at most m x n, their
/// accumulators plus a B row and a broadcast fit the free vector registers,
/// and each k step (or k pair, `macsPerStep` = 2) costs what the kernel
/// formula says. Scalar code is never cheaper than scalarOpCost per MAC.
static std::pair<uint64_t, uint64_t> bestMacRate(const Spec &s, const Target &t,
                                                 unsigned macsPerStep) {
  unsigned lanes = t.lanes(Dtype::F32);
  const TensorSpec &c = s.operands[2];
  uint64_t bestNum = t.scalarOpCost, bestDen = 1;
  uint32_t regs = s.limits[MemoryLevel::VRF];
  uint32_t maxNv = llvm::divideCeil(s.n(), lanes);
  // mr x nv vectors per step doing mr x cols useful multiply-adds.
  auto consider = [&](uint64_t mr, uint64_t nv, uint64_t cols) {
    uint64_t num = std::max<uint64_t>(mr * nv * t.fmaCost, t.fmaLatencyFloor) +
                   (mr + nv) * t.loadCost;
    uint64_t den = mr * cols * macsPerStep;
    if (num * bestDen < bestNum * den)
      bestNum = num, bestDen = den;
  };
  // The rate improves with every extra row of the tile (the B loads are
  // shared by more FMAs), so each width needs only its tallest tile that
  // fits. With C already in registers only the scratch must fit.
  bool cInVrf = c.level == MemoryLevel::VRF;
  uint64_t maxMr = std::min<uint64_t>(s.m(), 32);
  for (uint64_t nv = 1; nv <= maxNv && nv + 1 + (cInVrf ? 0 : nv) <= regs; ++nv)
    // A last vector may be partial: nv vectors cover at most n columns.
    consider(cInVrf ? maxMr : std::min(maxMr, (regs - nv - 1) / nv), nv,
             std::min<uint64_t>(nv * lanes, s.n()));
  // DotReduceTile (vectors along k, any n): mr x nr accumulators plus mr A
  // vectors and one B vector, at a full vector of MACs per multiply-add.
  // Its B columns run along k; unless they do here, only single columns
  // ever will (a tile of one column, copied).
  const TensorSpec &b = s.operands[1];
  bool columnsAlongK = b.layout.size() == 0 || b.layout.innermostDim() == 1;
  uint64_t maxNr = std::min<uint64_t>(columnsAlongK ? s.n() : 1, 32);
  if (macsPerStep == 1 && !cInVrf)
    for (uint64_t nr = 1; nr <= maxNr; ++nr) {
      uint64_t mr = std::min(maxMr, regs ? uint64_t(regs - 1) / (nr + 1) : 0);
      if (mr == 0)
        break;
      consider(mr, nr, nr * lanes);
    }
  return {bestNum, bestDen};
}

uint64_t lowerBound(const Spec &s, const Target &t) {
  uint64_t lb = 0;
  switch (s.kind) {
  case SpecKind::Matmul: {
    uint64_t macs = uint64_t(s.b()) * s.m() * s.k() * s.n();
    const TensorSpec &a = s.operands[0], &b = s.operands[1], &c = s.operands[2];
    // bf16 is widened in registers by the FMA kernel; other inputs are
    // widened (or re-laid out) only by copies out of main memory, so below
    // that their dtype and layout are final.
    auto f32able = [](const TensorSpec &x) {
      return x.dtype == Dtype::F32 || x.dtype == Dtype::BF16 ||
             (x.level == MemoryLevel::GL &&
              isWideningCast(x.dtype, Dtype::F32));
    };
    bool vectorF32 = c.dtype == Dtype::F32 && f32able(a) && f32able(b);
    bool dotBf16 = t.hasBf16Dot && c.dtype == Dtype::F32 &&
                   a.dtype == Dtype::BF16 && b.dtype == Dtype::BF16 &&
                   (b.level == MemoryLevel::GL ||
                    b.layout.innermostDim() == 1 || b.layout.size() == 0);
    uint64_t num = t.scalarOpCost, den = 1; // the scalar kernel
    if (vectorF32) {
      auto [n1, d1] = bestMacRate(s, t, 1);
      if (n1 * den < num * d1)
        num = n1, den = d1;
    }
    if (dotBf16) {
      auto [n2, d2] = bestMacRate(s, t, 2);
      if (n2 * den < num * d2)
        num = n2, den = d2;
    }
    lb = satMul(macs, num) / den;
    // An output in memory is stored (and, accumulating, loaded) at least
    // once, a vector at a time at best.
    const TensorSpec &out = s.operands[2];
    if (!isRegisterLevel(out.level)) {
      uint64_t vecs = out.volume() / t.lanes(out.dtype);
      lb = satAdd(lb, vecs * (t.storeCost + (s.accum ? t.loadCost : 0)));
    }
    break;
  }
  case SpecKind::Move: {
    // At best whole vectors: a load from memory and/or a store to memory.
    const TensorSpec &src = s.operands[0], &dst = s.operands[1];
    uint64_t vecs = dst.volume() / t.lanes(dst.dtype);
    lb = vecs * ((isRegisterLevel(src.level) ? 0 : t.loadCost) +
                 (isRegisterLevel(dst.level) ? 0 : t.storeCost));
    break;
  }
  case SpecKind::Fill: {
    const TensorSpec &dst = s.operands[0];
    uint64_t vecs = dst.volume() / t.lanes(dst.dtype);
    lb = vecs * (isRegisterLevel(dst.level) ? t.loadCost : t.storeCost);
    break;
  }
  }
  // Every input is read and every output written at least once at its
  // level, starting each of its runs at least once: a loop's credit only
  // takes back the starts of runs an earlier iteration began.
  // A matmul's loops may prefetch its inputs from main memory, after which
  // they cost L2 reads (Actions.cpp, prefetchNextTiles).
  for (unsigned i = 0; i < s.numOperands(); ++i) {
    TensorSpec x = s.operands[i];
    if (s.kind == SpecKind::Matmul && !s.writes(i))
      x.prefetched = x.level == MemoryLevel::GL;
    uint64_t once = accessCost(x, t);
    lb = satAdd(lb, once * ((s.reads(i) ? 1 : 0) + (s.writes(i) ? 1 : 0)));
  }
  bool allGlobal = true;
  for (unsigned i = 0; i < s.numOperands(); ++i)
    allGlobal &= s.operands[i].level == MemoryLevel::GL;
  // A parallel loop may still share the work out over the cores, but pays
  // for its fork and join; a serial program does all the work on one core.
  if (!s.serial && allGlobal && t.cores > 1)
    lb = std::min(lb, satAdd(lb / t.cores, t.parallelSetupCost));
  return lb;
}

} // namespace tessel::synth
