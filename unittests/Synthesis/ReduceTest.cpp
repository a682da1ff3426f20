//===- ReduceTest.cpp - The Reduce kind in the engine ---------------------===//
#include "RandomSpecs.h"
#include "tessel/Synthesis/Elementwise.h"
#include "tessel/Synthesis/Kind.h"
#include "tessel/Synthesis/Search.h"
#include "gtest/gtest.h"

using namespace tessel::synth;
using namespace tessel::synth::testing;

namespace {

TEST(Reduce, LoopsAreTheOutputsThenTheReducedDim) {
  Target t = Target::avx512();
  // Row sums of 64 x 1000, the reduced dim dropped.
  Spec s = Spec::reduce(uint8_t(ReduceFn::Sum), 1, false, f32({64, 1000}),
                        f32({64}), false, fullLimits(t));
  ASSERT_TRUE(s.isValid()) << s.str();
  std::optional<IterationSpace> space = iterationSpace(s);
  ASSERT_TRUE(space);
  EXPECT_EQ(space->loopExtents(), llvm::ArrayRef<uint32_t>({64, 1000}));
  EXPECT_EQ(space->numReductions(), 1u);
  EXPECT_EQ(space->operandDim(0, 2, 1), 1);
  EXPECT_EQ(space->operandDim(1, 1, 1), -1);
  // Kept as extent 1: the same loops.
  Spec kept = Spec::reduce(uint8_t(ReduceFn::Max), 0, true, f32({64, 1000}),
                           f32({1, 1000}), true, fullLimits(t));
  ASSERT_TRUE(kept.isValid());
  EXPECT_EQ(iterationSpace(kept)->loopExtents(),
            llvm::ArrayRef<uint32_t>({1, 1000, 64}));
  // An output of the wrong shape does not fit.
  Spec wrong = Spec::reduce(uint8_t(ReduceFn::Sum), 1, false, f32({64, 1000}),
                            f32({1000}), false, fullLimits(t));
  EXPECT_FALSE(wrong.isValid());
}

TEST(Reduce, OverwritingFillsWithTheIdentityThenAccumulates) {
  Target t = Target::avx512();
  for (ReduceFn fn : {ReduceFn::Sum, ReduceFn::Max}) {
    Spec s = Spec::reduce(uint8_t(fn), 1, true, f32({8, 100}), f32({8, 1}),
                          false, fullLimits(t));
    Impl p = bestProgram(s, t);
    ASSERT_EQ(p.action.kind, ActionKind::ToAccum) << p.explanation(t);
    EXPECT_EQ(p.children[0].spec.fillValue(),
              fn == ReduceFn::Sum ? FillValue::Zero : FillValue::NegInf);
  }
}

TEST(Reduce, RowsAndColumnsReduceInVectors) {
  Target t = Target::avx512();
  // Along the contiguous dim (horizontal) and across rows (vertical).
  for (unsigned dim : {0u, 1u}) {
    Spec s =
        Spec::reduce(uint8_t(ReduceFn::Sum), dim, true, f32({256, 512}),
                     dim ? f32({256, 1}) : f32({1, 512}), true, fullLimits(t));
    Impl p = bestProgram(s, t);
    EXPECT_EQ(p.hottestLeaf().action.kernel, KernelId::VectorReduce)
        << p.explanation(t);
  }
}

} // namespace
