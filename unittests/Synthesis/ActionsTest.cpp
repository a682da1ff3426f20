//===- ActionsTest.cpp - Actions, loops and memory accounting -------------===//
#include "tessel/Synthesis/Actions.h"
#include "RandomSpecs.h"
#include "tessel/Synthesis/Kernels.h"
#include "gtest/gtest.h"

using namespace tessel::synth;
using namespace tessel::synth::testing;

namespace {

TEST(Actions, EveryActionYieldsCanonicalValidSubSpecs) {
  RandomSpecs gen(7);
  Target targets[] = {Target::avx512(), Target::avx2()};
  unsigned applied = 0;
  for (unsigned i = 0; i < 1500; ++i) {
    const Target &t = targets[i % 2];
    Spec s = gen.next(t);
    llvm::SmallVector<Action, 128> actions;
    enumerateActions(s, t, actions);
    for (const Action &a : actions) {
      auto d = applyAction(s, a, t);
      if (!d)
        continue;
      ++applied;
      for (const Child &c : d->children) {
        EXPECT_EQ(c.spec, c.spec.canonical())
            << a.str(s) << " on " << s.str() << " -> " << c.spec.str();
        EXPECT_TRUE(c.spec.isValid()) << a.str(s) << " -> " << c.spec.str();
        // Children never get more memory than their parent.
        for (unsigned l = 0; l < kNumLevels; ++l)
          EXPECT_LE(c.spec.limits.units[l], s.limits.units[l]);
        EXPECT_GE(c.count, 1u);
      }
      EXPECT_LE(d->allocUnits, s.limits[d->allocLevel]);
    }
  }
  EXPECT_GT(applied, 4000u);
}

TEST(Actions, TileSizeCandidatesIncludeRegisterHeightsAndVectorMultiples) {
  llvm::SmallVector<uint32_t, 32> m, n;
  tileSizeCandidates(1024, 1, m);
  tileSizeCandidates(1024, 16, n);
  for (uint32_t x : {6u, 9u, 14u, 48u, 96u, 256u, 768u})
    EXPECT_TRUE(llvm::is_contained(m, x)) << x;
  for (uint32_t x : {16u, 32u, 48u, 64u, 192u})
    EXPECT_TRUE(llvm::is_contained(n, x)) << x;
  EXPECT_TRUE(llvm::is_contained(n, 1u)); // the scalar fallback, always
  EXPECT_FALSE(llvm::is_contained(n, 8u));
  llvm::SmallVector<uint32_t, 32> odd;
  tileSizeCandidates(20, 16, odd);
  EXPECT_TRUE(llvm::is_contained(odd, 1u));
  for (uint32_t x : m)
    EXPECT_LT(x, 1024u);
}

TEST(Actions, TileOutMakesBoundaryRegions) {
  Target t = Target::avx512();
  Spec s = Spec::matmul(TensorSpec::rowMajor({1, 10, 8}, Dtype::F32),
                        TensorSpec::rowMajor({1, 8, 40}, Dtype::F32),
                        TensorSpec::rowMajor({1, 10, 40}, Dtype::F32), true,
                        fullLimits(t), true);
  auto d = applyAction(s, Action::tileOut({1, 3, 16}, false), t);
  ASSERT_TRUE(d);
  // 10 = 3*3 + 1 rows, 40 = 2*16 + 8 columns: four regions.
  ASSERT_EQ(d->children.size(), 4u);
  uint64_t covered = 0;
  for (const Child &c : d->children)
    covered += c.count * c.spec.m() * c.spec.n();
  EXPECT_EQ(covered, 400u);
  EXPECT_EQ(d->children[0].count, 6u);
  EXPECT_EQ(d->children[0].spec.m(), 3u);
  EXPECT_EQ(d->children[0].spec.n(), 16u);
  EXPECT_EQ(d->children[3].remainderMask, 3u);
  EXPECT_EQ(d->children[3].spec.m(), 1u);
  EXPECT_EQ(d->children[3].spec.n(), 8u);
  // Loop overhead: one per executed iteration.
  EXPECT_EQ(d->baseCost, (6u + 3 + 2 + 1) * t.loopIterCost);
}

TEST(Actions, LoopCostIsIterationsTimesBody) {
  Target t = Target::avx512();
  Decomposition d;
  Spec dummy;
  d.children.push_back({dummy, 9, ChildRole::Body, 0});
  d.children.push_back({dummy, 1, ChildRole::Body, 1});
  d.baseCost = 10;
  Cost body, tail;
  body.main = 100;
  tail.main = 7;
  body.peak[int(MemoryLevel::L1)] = 3000;
  tail.peak[int(MemoryLevel::VRF)] = 5;
  Cost c = combineCost(d, {body, tail}, t);
  EXPECT_EQ(c.main, 10u + 9 * 100 + 7);
  EXPECT_EQ(c.peak[int(MemoryLevel::L1)], 4096u); // rounded to a power of 2
  EXPECT_EQ(c.peak[int(MemoryLevel::VRF)], 5u);
  EXPECT_EQ(c.depth, 1u);
  // Parallel: each core runs ceil(9/2) iterations of the body.
  d.parallel = true;
  EXPECT_EQ(combineCost(d, {body, tail}, t).main, 10u + 5 * 100 + 7);
}

TEST(Actions, CacheViewsRespectAssociativity) {
  Target t = Target::avx512();
  MemoryLimits lim = fullLimits(t);
  // A 256 x 64 panel of a 1024-wide row-major matrix: rows are 4 KiB apart,
  // so all 256 rows map to the same L1 sets (8 ways): it cannot stay in L1,
  // but L2 (alias period 128 KiB) spreads them over 32 set groups.
  TensorSpec a = TensorSpec::rowMajor({1, 8, 256}, Dtype::F32);
  TensorSpec big = TensorSpec::rowMajor({1, 1024, 1024}, Dtype::F32);
  TensorSpec b = *big.tile({1, 256, 64});
  TensorSpec c = TensorSpec::rowMajor({1, 8, 64}, Dtype::F32);
  Spec s = Spec::matmul(a, b, c, true, lim, true);
  Layout l = b.layout;
  EXPECT_FALSE(applyAction(s, Action::move(1, MoveKind::CacheView,
                                           MemoryLevel::L1, l, Dtype::F32),
                           t));
  auto l2 = applyAction(
      s, Action::move(1, MoveKind::CacheView, MemoryLevel::L2, l, Dtype::F32), t);
  ASSERT_TRUE(l2);
  EXPECT_EQ(l2->allocUnits, 256u * 256);
  // Bringing it in costs its lines, and a start per row, at main-memory
  // cost.
  const LevelInfo &gl = t.level(MemoryLevel::GL);
  EXPECT_EQ(l2->baseCost, b.lines() * gl.lineCost + 256 * gl.runCost);
  // Packed into [n/32][k][32] it is contiguous: L1 would take it if it fit;
  // as a copy into L2 it has a copy-in child.
  auto packed = applyAction(
      s,
      Action::move(1, MoveKind::Copy, MemoryLevel::L2,
                   Layout::packed({0, 2, 1}, 2, 32), Dtype::F32),
      t);
  ASSERT_TRUE(packed);
  ASSERT_EQ(packed->children.size(), 2u);
  EXPECT_EQ(packed->children[0].role, ChildRole::Prologue);
  EXPECT_EQ(packed->children[0].spec.kind, SpecKind::Move);
  EXPECT_EQ(packed->children[1].spec.operands[1].layout.str(), "[2][1][2:32]");
  EXPECT_EQ(packed->children[1].spec.limits[MemoryLevel::L2], 512u * 1024);
}

TEST(Actions, RegisterTileMoveAccountsRegisters) {
  Target t = Target::avx512();
  MemoryLimits lim = fullLimits(t);
  Spec s = Spec::matmul(TensorSpec::rowMajor({1, 6, 64}, Dtype::F32),
                        TensorSpec::rowMajor({1, 64, 64}, Dtype::F32),
                        TensorSpec::rowMajor({1, 6, 64}, Dtype::F32), false,
                        lim, true);
  auto d = applyAction(s, Action::move(2, MoveKind::Copy, MemoryLevel::VRF,
                                       Layout::rowMajor(3), Dtype::F32),
                       t);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->allocUnits, 24u);
  // Non-accumulating: no copy in, only the body and the copy out.
  ASSERT_EQ(d->children.size(), 2u);
  EXPECT_EQ(d->children[0].spec.limits[MemoryLevel::VRF], 8u);
  EXPECT_EQ(d->children[1].role, ChildRole::Epilogue);
  // Too few registers left: 7 x 64 needs 28.
  lim[MemoryLevel::VRF] = 20;
  s.limits = lim;
  EXPECT_FALSE(applyAction(s, Action::move(2, MoveKind::Copy, MemoryLevel::VRF,
                                           Layout::rowMajor(3), Dtype::F32),
                           t));
}

} // namespace

TEST(Actions, SerialLoopsAlongRunsContinueTheirStreams) {
  Target t = Target::avx512();
  MemoryLimits lim = fullLimits(t);
  uint64_t runCost = t.level(MemoryLevel::GL).runCost;
  ASSERT_GT(runCost, 0u);
  // A 16-row block of a row-major B: stepping along n, each iteration goes
  // on with the 16 runs (and C's one) the previous one started.
  TensorSpec a = TensorSpec::rowMajor({1, 1, 16}, Dtype::F32);
  TensorSpec b = *TensorSpec::rowMajor({1, 2048, 4096}, Dtype::F32)
                      .tile({1, 16, 4096});
  TensorSpec c = TensorSpec::rowMajor({1, 1, 4096}, Dtype::F32);
  Spec s = Spec::matmul(a, b, c, true, lim, true);
  auto alongN = applyAction(s, Action::tileOut({1, 1, 64}, false), t);
  ASSERT_TRUE(alongN);
  EXPECT_EQ(alongN->credit, 63 * (16 + 1) * runCost);
  // Parallel iterations run on other cores: nothing continues.
  Spec shared = Spec::matmul(a, b, c, true, lim, false);
  auto parallel = applyAction(shared, Action::tileOut({1, 1, 64}, true), t);
  ASSERT_TRUE(parallel);
  EXPECT_EQ(parallel->credit, 0u);
  // Stepping along k moves B across rows: new runs every time. A's single
  // run is prefetched instead (Actions.SerialLoopsPrefetchTheNextInputTile),
  // which saves its starts and more.
  auto alongK = applyAction(s, Action::split(4), t);
  ASSERT_TRUE(alongK);
  EXPECT_TRUE(alongK->children[0].spec.operands[0].prefetched);
  EXPECT_EQ(alongK->credit, 0u);
  // More rows than the prefetcher follows: no credit.
  TensorSpec tall = *TensorSpec::rowMajor({1, 2048, 4096}, Dtype::F32)
                         .tile({1, 64, 4096});
  TensorSpec a64 = TensorSpec::rowMajor({1, 1, 64}, Dtype::F32);
  auto wide = applyAction(Spec::matmul(a64, tall, c, true, lim, true),
                          Action::tileOut({1, 1, 64}, false), t);
  ASSERT_TRUE(wide);
  EXPECT_EQ(wide->credit, 63 * runCost); // C's run only
}

TEST(Actions, SerialLoopsPrefetchTheNextInputTile) {
  Target t = Target::avx512();
  const LevelInfo &gl = t.level(MemoryLevel::GL),
                  &l2 = t.level(MemoryLevel::L2);
  // The 2048^3 inner loop: B's 2048 x 64 block copied into L2, C in memory,
  // stepping down A (8 KiB rows) 14 rows at a time.
  MemoryLimits lim = fullLimits(t);
  lim[MemoryLevel::L2] = 512 << 10;
  TensorSpec big = TensorSpec::rowMajor({1, 2048, 2048}, Dtype::F32);
  TensorSpec b =
      TensorSpec::rowMajor({1, 2048, 64}, Dtype::F32, MemoryLevel::L2);
  TensorSpec c = *big.tile({1, 2048, 64});
  Spec s = Spec::matmul(big, b, c, true, lim, true);
  auto d = applyAction(s, Action::tileOut({1, 14, 64}, false), t);
  ASSERT_TRUE(d);
  const Spec &body = d->children[0].spec;
  EXPECT_TRUE(body.operands[0].prefetched);
  EXPECT_FALSE(body.operands[1].prefetched);                // in L2 already
  EXPECT_FALSE(body.operands[2].prefetched);                // written
  EXPECT_FALSE(d->children[1].spec.operands[0].prefetched); // the remainder
  // This panel and the next (112 KiB each), and as much again to spare, are
  // held in L2.
  uint64_t lines = 14 * 128;
  EXPECT_EQ(d->allocLevel, MemoryLevel::L2);
  EXPECT_EQ(d->allocUnits, 4 * lines * 64);
  EXPECT_EQ(body.limits[MemoryLevel::L2], 64u << 10);
  // The loop pays for the first panel (14 whole rows: one run), which
  // nothing fetched ahead; the body reads its panel at L2's cost.
  EXPECT_EQ(d->baseCost, (146 + 1) * t.loopIterCost +
                             lines * (gl.lineCost - l2.lineCost) + gl.runCost);
  EXPECT_EQ(accessCost(body.operands[0], t), lines * l2.lineCost);

  // Not when the two panels would take over half the L2 budget (B's 768
  // KiB block beside A's two panels ran 2048^3 1-2 % slower than without),
  // and the room is part of the loop's peak, so a memo answer with the
  // prefetch never fits a budget that would have refused it.
  Spec tight = s;
  tight.limits[MemoryLevel::L2] = 256 << 10;
  auto noRoom = applyAction(tight, Action::tileOut({1, 14, 64}, false), t);
  ASSERT_TRUE(noRoom);
  EXPECT_FALSE(noRoom->children[0].spec.operands[0].prefetched);
  EXPECT_EQ(noRoom->allocUnits, 0u);
  // Nor runs the hardware streams: more than 16 of them, each 1 KiB or
  // longer (here rows of a matrix twice as wide).
  Spec wide = s;
  wide.operands[0] =
      *TensorSpec::rowMajor({1, 2048, 4096}, Dtype::F32).tile({1, 2048, 2048});
  wide.limits[MemoryLevel::L2] = 1 << 20;
  auto tall = applyAction(wide, Action::tileOut({1, 32, 64}, false), t);
  ASSERT_TRUE(tall);
  EXPECT_FALSE(tall->children[0].spec.operands[0].prefetched);
  auto shortTiles = applyAction(wide, Action::tileOut({1, 16, 64}, false), t);
  ASSERT_TRUE(shortTiles);
  EXPECT_TRUE(shortTiles->children[0].spec.operands[0].prefetched);
  // Nor across cores.
  Spec shared = s;
  shared.serial = false;
  shared.operands[1].level = MemoryLevel::GL;
  auto parallel = applyAction(shared, Action::tileOut({1, 14, 64}, true), t);
  ASSERT_TRUE(parallel);
  EXPECT_FALSE(parallel->children[0].spec.operands[0].prefetched);
  // Nor when the body's FMAs are over before the lines arrive: a vector
  // times a matrix reads each B line for 16 multiply-adds.
  TensorSpec x = TensorSpec::rowMajor({1, 1, 2048}, Dtype::F32);
  TensorSpec y =
      *TensorSpec::rowMajor({1, 2048, 16384}, Dtype::F32).tile({1, 2048, 64});
  TensorSpec z = TensorSpec::rowMajor({1, 1, 64}, Dtype::F32);
  auto vecmat = applyAction(Spec::matmul(x, y, z, true, fullLimits(t), true),
                            Action::split(64), t);
  ASSERT_TRUE(vecmat);
  EXPECT_FALSE(vecmat->children[0].spec.operands[1].prefetched);
}
