//===- CostTest.cpp - Lower bound of the branch-and-bound search ----------===//
#include "tessel/Synthesis/Cost.h"
#include "tessel/Synthesis/Memo.h"
#include "tessel/Synthesis/Search.h"
#include "gtest/gtest.h"

using namespace tessel::synth;

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

// The bound never exceeds what the search finds (SearchTest checks every
// node of random small programs; here at sizes where parallel loops win).
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

} // namespace
