//===- KindTest.cpp - Kinds as data: registry and iteration spaces --------===//
#include "tessel/Synthesis/Kind.h"
#include "RandomSpecs.h"
#include "tessel/Synthesis/Actions.h"
#include "gtest/gtest.h"

using namespace tessel::synth;
using namespace tessel::synth::testing;

namespace {

TEST(Kind, EveryRegisteredKindHasItsOwnDeclaration) {
  for (unsigned k = 0; k < kNumKinds; ++k) {
    const Kind &kind = kindOf(SpecKind(k));
    EXPECT_FALSE(kind.name().empty());
    EXPECT_GE(kind.numOperands(), 1u);
    EXPECT_LE(kind.numOperands(), kMaxOperands);
    EXPECT_FALSE(kind.kernels().empty()) << kind.name().str();
  }
  EXPECT_FALSE(isKnownKind(kNumKinds));
  EXPECT_EQ(numOperandsOf(SpecKind(kNumKinds)), 0u);
}

TEST(Kind, MatmulLoopsAreOutputDimsThenTheReduction) {
  Target t = Target::avx512();
  Spec s = Spec::matmul(TensorSpec::rowMajor({2, 6, 14}, Dtype::F32),
                        TensorSpec::rowMajor({2, 14, 48}, Dtype::F32),
                        TensorSpec::rowMajor({2, 6, 48}, Dtype::F32), true,
                        fullLimits(t));
  std::optional<IterationSpace> space = iterationSpace(s);
  ASSERT_TRUE(space);
  EXPECT_EQ(space->numLoops, 4u);
  EXPECT_EQ(space->numParallel, 3u);
  EXPECT_EQ(space->loopExtents(), llvm::ArrayRef<uint32_t>({2, 6, 48, 14}));
  EXPECT_TRUE(space->isBatch(0));
  EXPECT_FALSE(space->isBatch(1));
  // k (loop 3) moves A's dim 2 and B's dim 1, and not C.
  EXPECT_EQ(space->operandDim(0, 3, 3), 2);
  EXPECT_EQ(space->operandDim(1, 3, 3), 1);
  EXPECT_EQ(space->operandDim(2, 3, 3), -1);
  // n (loop 2) does not move A.
  EXPECT_EQ(space->operandDim(0, 3, 2), -1);
  // Operand shapes follow from any loop extents.
  EXPECT_EQ(space->operandShape(1, 3, {1, 4, 16, 7}), Shape({1, 7, 16}));
}

TEST(Kind, ShapesThatDisagreeWithTheLoopsAreInvalid) {
  Target t = Target::avx512();
  Spec s = Spec::matmul(TensorSpec::rowMajor({1, 6, 14}, Dtype::F32),
                        TensorSpec::rowMajor({1, 15, 48}, Dtype::F32),
                        TensorSpec::rowMajor({1, 6, 48}, Dtype::F32), true,
                        fullLimits(t));
  EXPECT_FALSE(iterationSpace(s));
  EXPECT_FALSE(s.isValid());
  Spec m = Spec::move(TensorSpec::rowMajor({4, 8}, Dtype::F32),
                      TensorSpec::rowMajor({4, 9}, Dtype::F32), fullLimits(t));
  EXPECT_FALSE(m.isValid());
  // Ranks that do not fit the kind.
  Spec r = Spec::move(TensorSpec::rowMajor({4, 8}, Dtype::F32),
                      TensorSpec::rowMajor({32}, Dtype::F32), fullLimits(t));
  EXPECT_FALSE(r.isValid());
}

TEST(Kind, SlidingWindowsSpanTheTapsOfEveryOutput) {
  // A 3-tap window with stride 2 and dilation 2 over 5 outputs reads
  // (5-1)*2 + (3-1)*2 + 1 = 13 inputs; one output reads 5.
  IndexExpr e = IndexExpr::slidingWindow(0, 1, 2, 2);
  EXPECT_EQ(e.extent({5, 3}), 13u);
  EXPECT_EQ(e.extent({1, 3}), 5u);
  EXPECT_EQ(e.extent({5, 1}), 9u);
  EXPECT_TRUE(e.uses(0));
  EXPECT_TRUE(e.uses(1));
  EXPECT_FALSE(e.uses(2));
  // A dimension no loop indexes (a broadcast) has extent 1.
  EXPECT_EQ(IndexExpr().extent({5, 3}), 1u);
}

TEST(Kind, RandomSpecsOfEveryKindHaveConsistentIterationSpaces) {
  Target t = Target::avx512();
  RandomSpecs gen(7);
  for (int i = 0; i < 500; ++i) {
    Spec s = gen.next(t);
    ASSERT_TRUE(s.isValid()) << s.str();
    std::optional<IterationSpace> space = iterationSpace(s);
    ASSERT_TRUE(space) << s.str();
    EXPECT_EQ(space->numParallel, s.output().rank) << s.str();
    for (unsigned o = 0; o < s.numOperands(); ++o)
      EXPECT_EQ(
          space->operandShape(o, s.operands[o].rank, space->loopExtents()),
          Shape(s.operands[o].dims()))
          << s.str();
    // Every child of every action is a valid spec of the same kind or a
    // move/fill, and its loops never exceed the parent's.
    llvm::SmallVector<Action, 64> actions;
    enumerateActions(s, t, actions);
    for (const Action &a : actions)
      if (auto d = applyAction(s, a, t))
        for (const Child &c : d->children) {
          EXPECT_TRUE(c.spec.isValid()) << a.str(s) << " of " << s.str();
          if (c.spec.kind != s.kind)
            continue;
          std::optional<IterationSpace> cs = iterationSpace(c.spec);
          ASSERT_TRUE(cs);
          for (unsigned l = 0; l < space->numLoops; ++l)
            EXPECT_LE(cs->extents[l], space->extents[l]);
        }
  }
}

} // namespace
