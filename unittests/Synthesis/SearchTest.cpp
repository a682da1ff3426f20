//===- SearchTest.cpp - Programs the search produces ----------------------===//
#include "tessel/Synthesis/Search.h"
#include "RandomSpecs.h"
#include "tessel/Synthesis/Cost.h"
#include "llvm/Support/MathExtras.h"
#include "gtest/gtest.h"
#include <cmath>
#include <functional>

using namespace tessel::synth;
using namespace tessel::synth::testing;

namespace {

Spec f32Matmul(const Target &t, uint32_t m, uint32_t k, uint32_t n) {
  return Spec::matmul(TensorSpec::rowMajor({1, m, k}, Dtype::F32),
                      TensorSpec::rowMajor({1, k, n}, Dtype::F32),
                      TensorSpec::rowMajor({1, m, n}, Dtype::F32), false,
                      fullLimits(t));
}

/// Walks a program checking, independently of the search, that every node
/// fits its limits: allocations and scratch registers within the node's
/// budget, children never given more than their parent, and the recorded
/// peak equal to a recomputation from the leaves. Returns the peak.
std::array<uint32_t, kNumLevels> checkMemory(const Impl &impl,
                                             const Target &t) {
  auto d = applyAction(impl.spec, impl.action, t);
  EXPECT_TRUE(d.has_value()) << impl.spec.str();
  std::array<uint32_t, kNumLevels> peak{};
  if (!d)
    return peak;
  EXPECT_EQ(d->children.size(), impl.children.size());
  for (const Impl &c : impl.children) {
    for (unsigned l = 0; l < kNumLevels; ++l)
      EXPECT_LE(c.spec.limits.units[l], impl.spec.limits.units[l]);
    auto p = checkMemory(c, t);
    for (unsigned l = 0; l < kNumLevels; ++l) {
      uint32_t v = isCacheLevel(MemoryLevel(l))
                       ? uint32_t(llvm::PowerOf2Ceil(p[l]))
                       : p[l];
      peak[l] = std::max(peak[l], v);
    }
  }
  peak[int(d->allocLevel)] += d->allocUnits;
  peak[int(MemoryLevel::VRF)] += d->scratchVectors;
  for (unsigned l = 0; l < kNumLevels; ++l)
    EXPECT_LE(peak[l], impl.spec.limits.units[l])
        << levelName(MemoryLevel(l)).str() << " in " << impl.spec.str();
  EXPECT_EQ(peak, impl.cost.peak) << impl.spec.str();
  return peak;
}

/// Recomputes a program's time from its tree.
/// No node costs less than its spec's lower bound (a cost below it, from a
/// credit or discount the bound does not know, makes pruning inexact).
void checkLowerBound(const Impl &impl, const Target &t) {
  EXPECT_LE(lowerBound(impl.spec, t), impl.cost.main) << impl.spec.str();
  for (const Impl &child : impl.children)
    checkLowerBound(child, t);
}

uint64_t recomputeTime(const Impl &impl, const Target &t) {
  auto d = applyAction(impl.spec, impl.action, t);
  uint64_t time = d->baseCost;
  for (unsigned i = 0; i < impl.children.size(); ++i)
    time += childWeight(*d, i, t) * recomputeTime(impl.children[i], t);
  return time > d->credit ? time - d->credit : 0;
}

// Regression: shapes whose n is not whole vectors need the scalar path all
// the way down (k split to 1 even when k is a multiple of the lanes).
TEST(Search, EveryMatmulShapeHasAProgram) {
  Target t = Target::avx512();
  HashMemo memo;
  for (uint32_t m : {1u, 2u, 16u, 17u})
    for (uint32_t k : {1u, 16u, 32u})
      for (uint32_t n : {1u, 8u, 16u, 40u})
        EXPECT_FALSE(Search(t, memo).synthesize(f32Matmul(t, m, k, n)).empty())
            << m << "x" << k << "x" << n;
}

TEST(Search, ProgramsRespectMemoryLimits) {
  RandomSpecs gen(99);
  Target targets[] = {Target::avx512(), Target::avx2()};
  unsigned programs = 0;
  for (unsigned i = 0; i < 300; ++i) {
    const Target &t = targets[i % 2];
    Spec s = gen.next(t);
    HashMemo memo;
    Search search(t, memo);
    std::vector<Impl> impls = search.synthesize(s);
    if (impls.empty()) {
      // Unsatisfiable, not solved and then lost (the memo refuses answers
      // whose peak exceeds the limits they were solved under).
      EXPECT_FALSE(search.solve(s)) << "solved but not rebuilt: " << s.str();
      continue;
    }
    ++programs;
    checkMemory(impls[0], t);
    EXPECT_EQ(recomputeTime(impls[0], t), impls[0].cost.main) << s.str();
    checkLowerBound(impls[0], t);
    if (HasFailure())
      return;
  }
  EXPECT_GT(programs, 200u);
}

// Regression: a loop that prefetches its next tiles holds them in L2 while
// its boundary tiles run too. Those ran under the loop's full limits, so its
// peak could exceed them; the memo then refused the answer and every f32
// matmul with k = 4096 and m, n >= 80 got "no implementation".
TEST(Search, BoundaryTilesFitBesideThePrefetchedOnes) {
  Target t = Target::avx512();
  t.cores = 1;
  for (auto [m, n] : {std::pair(80u, 80u), std::pair(100u, 33u)}) {
    HashMemo memo;
    Search search(t, memo);
    std::vector<Impl> impls = search.synthesize(f32Matmul(t, m, 4096, n));
    ASSERT_EQ(impls.size(), 1u) << m << "x4096x" << n;
    checkMemory(impls[0], t);
  }
}

// Coarse specs (ActionSpace) only cut their long loops into blocks; every
// program still fits and is rebuilt. Small thresholds stand in for huge
// specs.
TEST(Search, CoarseSpecsAreCutIntoBlocks) {
  Target t = Target::avx512();
  HashMemo memo;
  SearchOptions options;
  options.actionSpace = {/*coarseVolume=*/4096, /*blockAbove=*/32,
                         /*smallestBlock=*/16};
  Search search(t, memo, options);
  std::vector<Impl> impls = search.synthesize(f32Matmul(t, 100, 70, 45));
  ASSERT_EQ(impls.size(), 1u);
  checkMemory(impls[0], t);
  unsigned coarseNodes = 0;
  std::function<void(const Impl &)> walk = [&](const Impl &impl) {
    std::optional<IterationSpace> space = loopsOf(impl.spec);
    ASSERT_TRUE(space);
    if (options.actionSpace.isCoarse(*space)) {
      ++coarseNodes;
      const Action &a = impl.action;
      EXPECT_TRUE(
          a.kind == ActionKind::ToAccum ||
          ((a.kind == ActionKind::TileOut || a.kind == ActionKind::Split) &&
           !a.parallel))
          << a.str(impl.spec) << " on " << impl.spec.str();
    }
    for (const Impl &c : impl.children)
      walk(c);
  };
  walk(impls[0]);
  EXPECT_GT(coarseNodes, 0u);
}

// Past its budget the search stops, finds the best program among blocks of
// 256 instead, says so, and keeps those answers out of the memo (they are
// best only within that space).
TEST(Search, SpentBudgetFallsBackToBlocks) {
  Target t = Target::avx512();
  Spec s = f32Matmul(t, 260, 100, 270);
  HashMemo full;
  std::vector<Impl> best = Search(t, full).synthesize(s);
  ASSERT_EQ(best.size(), 1u);

  HashMemo memo;
  SearchOptions options;
  options.budget = 300;
  Search search(t, memo, options);
  std::vector<Impl> impls = search.synthesize(s);
  ASSERT_EQ(impls.size(), 1u);
  EXPECT_TRUE(search.stats().budgetExceeded);
  checkMemory(impls[0], t);
  EXPECT_GE(impls[0].cost.main, best[0].cost.main);
  EXPECT_FALSE(memo.lookup(s.canonical()));
  unsigned checked = 0;
  memo.forEach([&](const Spec &solved, const MemoEntry &e) {
    // What the memo kept is the true optimum (a sample of it).
    if (++checked > 50)
      return;
    std::optional<MemoEntry> truth = Search(t, full).solve(solved);
    ASSERT_EQ(bool(truth), e.satisfiable()) << solved.str();
    if (truth)
      EXPECT_EQ(truth->cost.main, e.cost.main) << solved.str();
  });

  HashMemo unlimited;
  options.budget = 0;
  Search patient(t, unlimited, options);
  EXPECT_EQ(patient.synthesize(s).front().cost, best[0].cost);
  EXPECT_FALSE(patient.stats().budgetExceeded);
}

TEST(Search, MatmulsUnderTightLimitsStillFit) {
  Target t = Target::avx512();
  for (uint32_t l1 : {0u, 2048u, 8192u}) {
    for (uint32_t vrf : {6u, 12u, 32u}) {
      Spec s = f32Matmul(t, 24, 32, 48);
      s.limits[MemoryLevel::L1] = l1;
      s.limits[MemoryLevel::VRF] = vrf;
      HashMemo memo;
      Search search(t, memo);
      std::vector<Impl> impls = search.synthesize(s);
      ASSERT_FALSE(impls.empty()) << l1 << " " << vrf;
      checkMemory(impls[0], t);
    }
  }
}

TEST(Search, SameProgramForAnyThreadCount) {
  Target t = Target::avx512();
  std::vector<Spec> specs = {f32Matmul(t, 64, 64, 64),
                             f32Matmul(t, 100, 72, 80),
                             f32Matmul(t, 1, 256, 512)};
  // bf16 inputs, f32 output.
  specs.push_back(Spec::matmul(TensorSpec::rowMajor({1, 32, 64}, Dtype::BF16),
                               TensorSpec::rowMajor({1, 64, 64}, Dtype::BF16),
                               TensorSpec::rowMajor({1, 32, 64}, Dtype::F32),
                               false, fullLimits(t)));
  for (const Spec &s : specs) {
    std::string explained[3];
    unsigned threads[3] = {1, 2, 3};
    for (unsigned i = 0; i < 3; ++i) {
      HashMemo memo;
      SearchOptions o;
      o.threads = threads[i];
      Search search(t, memo, o);
      std::vector<Impl> impls = search.synthesize(s);
      ASSERT_FALSE(impls.empty());
      explained[i] = impls[0].explanation(t);
    }
    EXPECT_EQ(explained[0], explained[1]) << s.str();
    EXPECT_EQ(explained[0], explained[2]) << s.str();
  }
}

TEST(Search, PruningNeverChangesTheAnswer) {
  Target t = Target::avx512();
  for (auto [m, k, n] : {std::tuple{48u, 48u, 48u}, {20u, 33u, 64u}}) {
    Spec s = f32Matmul(t, m, k, n);
    HashMemo a, b;
    SearchOptions off;
    off.prune = false;
    Search pruned(t, a), plain(t, b, off);
    auto x = pruned.synthesize(s), y = plain.synthesize(s);
    ASSERT_FALSE(x.empty());
    ASSERT_FALSE(y.empty());
    EXPECT_EQ(x[0].explanation(t), y[0].explanation(t));
    EXPECT_LT(pruned.stats().specsSolved, plain.stats().specsSolved);
  }
}

// B blocked along n ([n/16][k][16]) in main memory: a loop along n starts
// new rows in every iteration, so it continues no runs. Crediting it as if
// it did made copies of B cost nothing, below the bound, and the pruned
// search disagreed with the exhaustive one.
TEST(Search, BlockedOperandsEarnNoStreamCredit) {
  Target t = Target::avx512();
  Spec s =
      Spec::matmul(TensorSpec::rowMajor({1, 32, 128}, Dtype::F32),
                   TensorSpec::buffer({1, 128, 64}, Dtype::F32, MemoryLevel::GL,
                                      Layout::packed({0, 2, 1}, 2, 16)),
                   TensorSpec::rowMajor({1, 32, 64}, Dtype::F32),
                   /*accum=*/false, fullLimits(t));
  uint64_t costs[2];
  for (bool prune : {false, true}) {
    HashMemo memo;
    SearchOptions options;
    options.prune = prune;
    Search search(t, memo, options);
    std::vector<Impl> impls = search.synthesize(s);
    ASSERT_FALSE(impls.empty());
    checkLowerBound(impls[0], t);
    costs[prune] = impls[0].cost.main;
  }
  EXPECT_EQ(costs[0], costs[1]);
}

TEST(Search, TopKAlternativesAreSortedAndDistinct) {
  Target t = Target::avx512();
  Spec s = f32Matmul(t, 32, 32, 64);
  HashMemo memo;
  SearchOptions o;
  o.topK = 4;
  Search search(t, memo, o);
  std::vector<Impl> impls = search.synthesize(s);
  ASSERT_EQ(impls.size(), 4u);
  HashMemo memo1;
  std::vector<Impl> best = Search(t, memo1).synthesize(s);
  ASSERT_EQ(best.size(), 1u);
  EXPECT_EQ(impls[0].explanation(t), best[0].explanation(t));
  for (unsigned i = 1; i < impls.size(); ++i) {
    EXPECT_LE(Cost::compare(impls[i - 1].cost, impls[i].cost), 0);
    EXPECT_FALSE(impls[i - 1].action == impls[i].action);
    checkMemory(impls[i], t);
  }
}

// tessel tune's candidates: different trees (not only different roots),
// cheapest first, each within its limits, its cost the recomputed one, and
// with a gap no two closer than that fraction of predicted time.
TEST(Search, AlternativesDifferAnywhereInTheTree) {
  Target t = Target::avx512();
  Spec s = f32Matmul(t, 64, 96, 128);
  HashMemo memo;
  Search search(t, memo);
  std::vector<Alternative> alts = search.alternatives(s, 8);
  ASSERT_EQ(alts.size(), 8u);
  HashMemo memo1;
  std::vector<Impl> best = Search(t, memo1).synthesize(s);
  EXPECT_EQ(alts[0].program.explanation(t), best[0].explanation(t));
  bool belowRoot = false;
  for (unsigned i = 0; i < alts.size(); ++i) {
    checkMemory(alts[i].program, t);
    if (i == 0)
      continue;
    EXPECT_LE(Cost::compare(alts[i - 1].program.cost, alts[i].program.cost), 0);
    EXPECT_GE(alts[i].program.cost.main, alts[0].program.cost.main);
    belowRoot |= !(alts[i].pin->spec == alts[0].program.spec);
    for (unsigned j = 0; j < i; ++j)
      EXPECT_NE(alts[i].program.explanation(t), alts[j].program.explanation(t));
  }
  EXPECT_TRUE(belowRoot); // not only the best under each root action

  std::vector<Alternative> spread = search.alternatives(s, 6, 0.02);
  ASSERT_GE(spread.size(), 2u);
  for (unsigned i = 0; i < spread.size(); ++i)
    for (unsigned j = 0; j < i; ++j) {
      double a = double(spread[i].program.cost.main),
             b = double(spread[j].program.cost.main);
      EXPECT_GT(std::abs(a - b), 0.02 * b);
    }
}

TEST(Search, MediumMatmulUsesAFullRegisterTile) {
  Target t = Target::avx512();
  HashMemo memo;
  SearchOptions o;
  o.threads = 2;
  Search search(t, memo, o);
  std::vector<Impl> impls = search.synthesize(f32Matmul(t, 256, 256, 256));
  ASSERT_FALSE(impls.empty());
  const Impl &leaf = impls[0].hottestLeaf();
  ASSERT_EQ(leaf.action.kind, ActionKind::Select);
  EXPECT_EQ(leaf.action.kernel, KernelId::BroadcastFmaTile);
  // Accumulators + one B row + one broadcast use most of the 32 registers.
  uint32_t acc = leaf.spec.m() * leaf.spec.n() / 16;
  EXPECT_GE(acc + leaf.spec.n() / 16 + 1, 24u) << impls[0].explanation(t);
  // Within 60% of the FMA peak of two cores (fork/join, C traffic, the
  // start of each run read from memory and the k-loop overheads of a small
  // problem).
  double peakCycles = 256.0 * 256 * 256 / 16 / 2;
  EXPECT_LT(impls[0].cost.main / 16.0, peakCycles * 1.6);
  std::string text = impls[0].explanation(t);
  EXPECT_NE(text.find("kernel BroadcastFmaTile"), std::string::npos);
  EXPECT_NE(text.find("copy C in VRF"), std::string::npos);
}

TEST(Search, Gemm1024CopiesBPanelsIntoL2AndFillsTheRegisters) {
  // The acceptance case of issue 3 (a few seconds in Release).
  Target t = Target::avx512();
  HashMemo memo;
  SearchOptions o;
  o.threads = 2;
  Search search(t, memo, o);
  std::vector<Impl> impls = search.synthesize(f32Matmul(t, 1024, 1024, 1024));
  ASSERT_FALSE(impls.empty());
  std::string text = impls[0].explanation(t);
  const Impl &leaf = impls[0].hottestLeaf();
  ASSERT_EQ(leaf.action.kernel, KernelId::BroadcastFmaTile) << text;
  uint32_t nv = leaf.spec.n() / 16;
  EXPECT_GE(leaf.spec.m() * nv + nv + 1, 28u) << text;
  // Panels of B are copied into L2 (one contiguous run each: no run starts
  // in the kernels' reads), and A's row panels are prefetched from main
  // memory while the previous one is computed.
  EXPECT_NE(text.find("copy B in L2"), std::string::npos) << text;
  std::string panel = "A: 1x" + std::to_string(leaf.spec.m()) +
                      "x1024 f32 GL [1][2] prefetched";
  EXPECT_NE(text.find(panel), std::string::npos) << text;
  // A's rows are 4 KiB apart: the kernel reads no more of them in lockstep
  // than L1 has ways, or they would evict each other's lines.
  EXPECT_LE(leaf.spec.m(), t.level(MemoryLevel::L1).ways) << text;
  // Both cores, and within 1.5x of their FMA peak.
  EXPECT_NE(text.find("parallel tile"), std::string::npos) << text;
  EXPECT_LT(impls[0].cost.main / 16.0, 1024.0 * 1024 * 1024 / 16 / 2 * 1.5);
}

TEST(Search, VectorMatrixStreamsTheMatrixOnce) {
  Target t = Target::avx512();
  HashMemo memo;
  Search search(t, memo);
  std::vector<Impl> impls = search.synthesize(f32Matmul(t, 1, 512, 1024));
  ASSERT_FALSE(impls.empty());
  // Memory bound: at least reading B (512 KiB) from main memory.
  uint64_t bLines = 512u * 1024 * 4 / 64;
  uint64_t floor = bLines * t.level(MemoryLevel::GL).lineCost / t.cores;
  EXPECT_GE(impls[0].cost.main, floor);
  EXPECT_LT(impls[0].cost.main, floor * 3);
}

TEST(Search, InvalidSpecsGetNoProgram) {
  Target t = Target::avx512();
  // k of A and B disagree.
  Spec bad = Spec::matmul(TensorSpec::rowMajor({1, 4, 8}, Dtype::F32),
                          TensorSpec::rowMajor({1, 6, 16}, Dtype::F32),
                          TensorSpec::rowMajor({1, 4, 16}, Dtype::F32), false,
                          fullLimits(t));
  HashMemo memo;
  Search search(t, memo);
  EXPECT_TRUE(search.synthesize(bad).empty());
  EXPECT_FALSE(search.solve(bad));
  EXPECT_EQ(memo.size(), 0u);
}

Spec bf16Matmul(const Target &t, uint32_t m, uint32_t k, uint32_t n) {
  return Spec::matmul(TensorSpec::rowMajor({1, m, k}, Dtype::BF16),
                      TensorSpec::rowMajor({1, k, n}, Dtype::BF16),
                      TensorSpec::rowMajor({1, m, n}, Dtype::F32), false,
                      fullLimits(t));
}

TEST(Search, Bf16MatmulUsesDotProductsOnAvx512) {
  Target t = Target::avx512();
  HashMemo memo;
  SearchOptions o;
  o.threads = 2;
  std::vector<Impl> impls =
      Search(t, memo, o).synthesize(bf16Matmul(t, 64, 128, 128));
  ASSERT_FALSE(impls.empty());
  std::string text = impls[0].explanation(t);
  EXPECT_EQ(impls[0].hottestLeaf().action.kernel, KernelId::DotBf16Tile)
      << text;
  // B is packed into bf16 pairs [k/2][n][2] on the way.
  EXPECT_NE(text.find("[1][2][1:2]"), std::string::npos) << text;
}

TEST(Search, Bf16MatmulWidensToF32WithoutDotProducts) {
  Target t = Target::avx2();
  HashMemo memo;
  std::vector<Impl> impls =
      Search(t, memo).synthesize(bf16Matmul(t, 16, 64, 64));
  ASSERT_FALSE(impls.empty());
  std::string text = impls[0].explanation(t);
  EXPECT_EQ(impls[0].hottestLeaf().action.kernel, KernelId::BroadcastFmaTile)
      << text;
  EXPECT_NE(text.find("cast to f32"), std::string::npos) << text;
  EXPECT_NE(text.find("kernel VectorCvtBf16F32"), std::string::npos) << text;
}

TEST(Search, UnsatisfiableWithoutRegistersForVectorOnlySpecs) {
  Target t = Target::avx512();
  MemoryLimits lim = fullLimits(t);
  lim[MemoryLevel::VRF] = 0;
  // Storing a register tile needs no scratch; loading into one from memory
  // needs none either; but a matmul into VRF with no free register cannot
  // hold a B row.
  TensorSpec a = TensorSpec::rowMajor({1, 2, 4}, Dtype::F32, MemoryLevel::L1);
  TensorSpec b = TensorSpec::rowMajor({1, 4, 16}, Dtype::F32, MemoryLevel::L1);
  TensorSpec c = TensorSpec::buffer({1, 2, 16}, Dtype::F32, MemoryLevel::VRF,
                                    Layout::rowMajor(3), 16);
  HashMemo memo;
  Search search(t, memo);
  EXPECT_FALSE(search.solve(Spec::matmul(a, b, c, true, lim, true)));
  lim[MemoryLevel::VRF] = 2;
  EXPECT_TRUE(search.solve(Spec::matmul(a, b, c, true, lim, true)));
}

} // namespace
