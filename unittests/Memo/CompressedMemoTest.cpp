//===- CompressedMemoTest.cpp - Boxes answer exactly like a plain map ----===//
#include "tessel/Memo/CompressedMemo.h"
#include "tessel/Synthesis/Search.h"
#include <gtest/gtest.h>
#include <cstring>
#include <random>

using namespace tessel::synth;
using namespace tessel::memo;

namespace {

bool same(const std::optional<MemoEntry> &a, const std::optional<MemoEntry> &b) {
  if (!a || !b)
    return !a && !b;
  return std::memcmp(&*a, &*b, sizeof(MemoEntry)) == 0;
}

/// A made-up but consistent world: each base spec has a few programs, each
/// with a cost and a peak; the answer under limits L is the best program
/// whose peak fits L (or unsatisfiable). Programs come from a shared pool, so
/// neighbouring specs often share answers and their boxes merge.
struct World {
  std::vector<Spec> bases;
  std::vector<MemoEntry> pool;
  std::vector<std::vector<unsigned>> programsOf;

  explicit World(std::mt19937 &rng) {
    auto pick = [&](unsigned n) {
      return std::uniform_int_distribution<unsigned>(0, n - 1)(rng);
    };
    const uint32_t l2Peaks[] = {0, 256, 700, 1024, 3000};
    const uint32_t l1Peaks[] = {0, 100, 128, 256, 900};
    for (unsigned i = 0; i < 6; ++i) {
      MemoEntry e;
      e.action = Action::select(KernelId(pick(kNumKernels)));
      if (pick(2))
        e.action = Action::tileOut({1 + pick(3), 16}, false);
      e.cost.main = 1 + pick(4);
      e.cost.peak[int(MemoryLevel::L2)] = l2Peaks[pick(5)];
      e.cost.peak[int(MemoryLevel::L1)] = l1Peaks[pick(5)];
      e.cost.peak[int(MemoryLevel::VRF)] = pick(9);
      e.cost.peak[int(MemoryLevel::RF)] = pick(5);
      e.cost.depth = 1 + pick(3);
      pool.push_back(e);
    }
    for (uint32_t rows = 1; rows <= 4; ++rows)
      for (bool serial : {false, true})
        for (uint8_t stride : {6, 7}) {
          Spec s = Spec::fillOf(TensorSpec::rowMajor({rows, 16}, Dtype::F32),
                                FillValue::Zero, MemoryLimits(), serial);
          s.operands[0].strideLog2 = stride;
          bases.push_back(s);
          std::vector<unsigned> progs;
          for (unsigned j = 0, n = 1 + pick(3); j < n; ++j)
            progs.push_back(pick(pool.size()));
          programsOf.push_back(progs);
        }
  }

  MemoEntry answer(unsigned base, const MemoryLimits &l) const {
    std::optional<MemoEntry> best;
    for (unsigned p : programsOf[base]) {
      const MemoEntry &e = pool[p];
      bool fits = true;
      for (unsigned i = 0; i < kNumLevels; ++i)
        fits &= e.cost.peak[i] <= l.units[i];
      if (fits && (!best || compareAnswers(e, *best) < 0))
        best = e;
    }
    return best ? *best : MemoEntry();
  }

  Spec at(unsigned base, const MemoryLimits &l) const {
    Spec s = bases[base];
    s.limits = l;
    return s;
  }
};

/// Canonical limits of a small grid, plus a few non-canonical ones.
std::vector<MemoryLimits> limitGrid(bool withOdd) {
  std::vector<MemoryLimits> out;
  std::vector<uint32_t> l2 = {0, 256, 512, 1024, 2048, 4096};
  std::vector<uint32_t> l1 = {0, 128, 256, 512, 1024};
  if (withOdd) {
    l2.push_back(3000);
    l1.push_back(300);
  }
  for (uint32_t a : l2)
    for (uint32_t b : l1)
      for (uint32_t v = 0; v <= 8; ++v)
        for (uint32_t r = 0; r <= 4; ++r) {
          MemoryLimits m;
          m[MemoryLevel::GL] = 0xFFFFFFFFu;
          m[MemoryLevel::L2] = a;
          m[MemoryLevel::L1] = b;
          m[MemoryLevel::VRF] = v;
          m[MemoryLevel::RF] = r;
          out.push_back(m);
        }
  return out;
}

TEST(CompressedMemo, RandomInsertsAnswerEveryPointLikeAPlainMap) {
  std::vector<MemoryLimits> inserts = limitGrid(/*withOdd=*/true);
  std::vector<MemoryLimits> queries = limitGrid(/*withOdd=*/true);
  size_t totalInserts = 0, totalBoxes = 0;
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    std::mt19937 rng(seed);
    World w(rng);
    HashMemo plain;
    CompressedMemo boxes;
    std::uniform_int_distribution<unsigned> base(0, w.bases.size() - 1);
    std::uniform_int_distribution<unsigned> lim(0, inserts.size() - 1);
    unsigned n = 50 + seed * 40;
    for (unsigned i = 0; i < n; ++i) {
      unsigned b = base(rng);
      const MemoryLimits &l = inserts[lim(rng)];
      Spec s = w.at(b, l);
      MemoEntry e = w.answer(b, l);
      // The search only inserts what it could not look up.
      if (plain.lookup(s))
        continue;
      plain.insert(s, e);
      boxes.insert(s, e);
      ++totalInserts;
    }
    for (unsigned b = 0; b < w.bases.size(); ++b)
      for (const MemoryLimits &l : queries) {
        Spec s = w.at(b, l);
        std::optional<MemoEntry> want = plain.lookup(s), got = boxes.lookup(s);
        ASSERT_TRUE(same(want, got))
            << "seed " << seed << " " << s.str() << ": plain map "
            << (want ? want->action.str(s) : "nothing") << ", boxes "
            << (got ? got->action.str(s) : "nothing");
        // And every answer is the world's true answer.
        if (got)
          ASSERT_TRUE(same(got, w.answer(b, l))) << s.str();
      }
    totalBoxes += boxes.stats().boxes;
  }
  // Compression happened: far fewer boxes than stored search results.
  EXPECT_LT(totalBoxes, totalInserts * 2 / 3);
}

TEST(CompressedMemo, OverlappingDisagreementsDoNotDependOnOrder) {
  // Never produced by a consistent search, but a merged database may hold
  // them: the better answer wins where boxes overlap, whatever came first.
  Spec s = Spec::fillOf(TensorSpec::rowMajor({4, 16}, Dtype::F32),
                        FillValue::Zero, MemoryLimits());
  std::optional<Coordinates> c = encode(s);
  ASSERT_TRUE(c);
  Point lo = c->point, hiA = c->point, loB = c->point, hiB = c->point;
  unsigned vrf = limitStart(lo.size()) + unsigned(MemoryLevel::VRF);
  lo[vrf] = 0, hiA[vrf] = 10;
  loB[vrf] = 5, hiB[vrf] = 20;
  MemoEntry cheap, dear;
  cheap.action = dear.action = Action::select(KernelId::VectorFill);
  cheap.cost.main = 5;
  dear.cost.main = 9;
  CompressedMemo ab, ba;
  ASSERT_TRUE(ab.insertBox(c->key, lo, hiA, dear, 1));
  ASSERT_TRUE(ab.insertBox(c->key, loB, hiB, cheap, 1));
  ASSERT_TRUE(ba.insertBox(c->key, loB, hiB, cheap, 1));
  ASSERT_TRUE(ba.insertBox(c->key, lo, hiA, dear, 1));
  for (uint32_t v = 0; v <= 21; ++v) {
    s.limits[MemoryLevel::VRF] = v;
    std::optional<MemoEntry> x = ab.lookup(s), y = ba.lookup(s);
    ASSERT_TRUE(same(x, y)) << "VRF " << v;
    if (v > 20)
      EXPECT_FALSE(x);
    else
      EXPECT_EQ(x->cost.main, v < 5 ? 9u : 5u) << "VRF " << v;
  }
  EXPECT_EQ(ab.stats().boxes, 2u);
}

TEST(CompressedMemo, TouchingEqualAnswersMergeIntoOneBox) {
  Target t = Target::avx512();
  CompressedMemo memo;
  MemoEntry e;
  e.action = Action::select(KernelId::VectorFill);
  e.cost.main = 7;
  e.cost.peak[int(MemoryLevel::VRF)] = 2;
  // The same answer found under VRF limits 4 and 9 (boxes [2,4], [2,9]) and
  // for rows 2..5 (neighbouring shapes): one box in the end.
  for (uint32_t rows = 2; rows <= 5; ++rows)
    for (uint32_t vrf : {4u, 9u}) {
      MemoryLimits l = fullLimits(t);
      l[MemoryLevel::VRF] = vrf;
      memo.insert(Spec::fillOf(TensorSpec::rowMajor({rows, 16}, Dtype::F32),
                               FillValue::Zero, l),
                  e);
    }
  MemoStats st = memo.stats();
  EXPECT_EQ(st.boxes, 1u);
  EXPECT_EQ(st.solves, 8u);
  MemoryLimits l = fullLimits(t);
  l[MemoryLevel::VRF] = 1; // below the peak
  EXPECT_FALSE(memo.lookup(Spec::fillOf(
      TensorSpec::rowMajor({3, 16}, Dtype::F32), FillValue::Zero, l)));
  l[MemoryLevel::VRF] = 6;
  EXPECT_TRUE(memo.lookup(Spec::fillOf(
      TensorSpec::rowMajor({3, 16}, Dtype::F32), FillValue::Zero, l)));
}

TEST(CompressedMemo, UnrepresentableSpecsGoToTheSideTable) {
  Target t = Target::avx512();
  Spec s = Spec::fillOf(TensorSpec::rowMajor({4, 16}, Dtype::F32),
                        FillValue::Zero, fullLimits(t));
  s.limits[MemoryLevel::L1] = 3000;
  MemoEntry e;
  e.action = Action::select(KernelId::VectorFill);
  e.cost.main = 3;
  e.cost.peak[int(MemoryLevel::L1)] = 2500;
  CompressedMemo memo;
  memo.insert(s, e);
  EXPECT_EQ(memo.stats().sideEntries, 1u);
  EXPECT_EQ(memo.stats().boxes, 0u);
  std::optional<MemoEntry> got = memo.lookup(s);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->cost.main, 3u);
}

TEST(CompressedMemo, SearchRunsUnchangedOnIt) {
  Target t = Target::avx512();
  Spec s = Spec::matmul(TensorSpec::rowMajor({1, 24, 40}, Dtype::F32),
                        TensorSpec::rowMajor({1, 40, 48}, Dtype::F32),
                        TensorSpec::rowMajor({1, 24, 48}, Dtype::F32), false,
                        fullLimits(t));
  SearchOptions o;
  o.threads = 2;
  HashMemo plain;
  CompressedMemo boxes;
  std::vector<Impl> a = Search(t, plain, o).synthesize(s);
  std::vector<Impl> b = Search(t, boxes, o).synthesize(s);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].explanation(t), b[0].explanation(t));
  // Everything the plain map learned, the boxes answer identically (where
  // both searches solved it; the thread schedule may differ).
  size_t checked = 0;
  plain.forEach([&](const Spec &sub, const MemoEntry &e) {
    std::optional<MemoEntry> got = boxes.lookup(sub);
    if (!got)
      return;
    ++checked;
    EXPECT_TRUE(same(got, e)) << sub.str();
  });
  EXPECT_GT(checked, 50u);
}

} // namespace
