//===- CostTest.cpp - Lower bound of the branch-and-bound search ----------===//
#include "tessel/Synthesis/Cost.h"
#include "RandomSpecs.h"
#include "tessel/Synthesis/Impl.h"
#include "tessel/Synthesis/Memo.h"
#include "tessel/Synthesis/Search.h"
#include "gtest/gtest.h"

using namespace tessel::synth;
using tessel::synth::testing::RandomSpecs;

namespace {

/// An n^3 f32 matmul in main memory; `serial` when inside a parallel loop.
Spec cube(const Target &t, uint32_t n, bool serial) {
  return Spec::matmul(TensorSpec::rowMajor({1, n, n}, Dtype::F32),
                      TensorSpec::rowMajor({1, n, n}, Dtype::F32),
                      TensorSpec::rowMajor({1, n, n}, Dtype::F32),
                      /*accum=*/false, fullLimits(t), serial);
}

// A spec that may still run a parallel loop is bounded by the cheaper of
// doing all its work on one core and sharing it out after a fork: a small
// one is not worth the fork, a large one is.
TEST(Cost, LowerBoundPaysForTheForkOfAParallelProgram) {
  Target t = Target::avx512();
  ASSERT_GE(t.cores, 2u);
  uint64_t small = lowerBound(cube(t, 16, true), t);
  ASSERT_GT(small / t.cores + t.parallelSetupCost, small);
  EXPECT_EQ(lowerBound(cube(t, 16, false), t), small);

  uint64_t large = lowerBound(cube(t, 1024, true), t);
  ASSERT_LT(large / t.cores + t.parallelSetupCost, large);
  EXPECT_EQ(lowerBound(cube(t, 1024, false), t),
            large / t.cores + t.parallelSetupCost);
}

// The bound never exceeds what the search finds (the oracle test checks
// this on many small specs; here at sizes where parallel loops win).
TEST(Cost, LowerBoundIsBelowTheOptimum) {
  Target t = Target::avx512();
  for (uint32_t n : {16u, 64u, 128u}) {
    Spec s = cube(t, n, false);
    HashMemo memo;
    Search search(t, memo);
    std::optional<MemoEntry> best = search.solve(s);
    ASSERT_TRUE(best) << n;
    EXPECT_LE(lowerBound(s.canonical(), t), best->cost.main) << n;
  }
}

/// Every node of a program costs at least its spec's lower bound.
void expectAdmissible(const Impl &impl, const Target &t) {
  EXPECT_LE(lowerBound(impl.spec, t), impl.cost.main) << impl.spec.str();
  for (const Impl &child : impl.children)
    expectAdmissible(child, t);
}

// B blocked along n ([n/16][k][16]) in main memory: a loop along n starts
// new rows in every iteration, so it continues no runs. Crediting it as if
// it did made copies of B cost nothing, below the bound, and the pruned
// search disagreed with the exhaustive one.
TEST(Cost, BlockedOperandsEarnNoStreamCredit) {
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
    expectAdmissible(impls[0], t);
    costs[prune] = impls[0].cost.main;
  }
  EXPECT_EQ(costs[0], costs[1]);
}

// The same on random small specs: every node of the best program the
// unpruned search finds costs at least its bound (a cost below it, from a
// credit or a discount the bound does not know, makes pruning inexact).
TEST(Cost, LowerBoundHoldsAtEveryNodeOfRandomPrograms) {
  RandomSpecs gen(2026);
  Target targets[] = {Target::avx512(), Target::avx2()};
  unsigned programs = 0;
  for (unsigned i = 0; i < 300; ++i) {
    const Target &t = targets[i % 2];
    Spec s = gen.next(t);
    HashMemo memo;
    SearchOptions unpruned;
    unpruned.prune = false;
    std::vector<Impl> impls = Search(t, memo, unpruned).synthesize(s);
    if (impls.empty())
      continue;
    ++programs;
    expectAdmissible(impls[0], t);
    if (HasFailure())
      return;
  }
  EXPECT_GT(programs, 200u);
}

} // namespace
