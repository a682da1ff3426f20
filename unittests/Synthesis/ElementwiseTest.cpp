//===- ElementwiseTest.cpp - Unary and Binary kinds in the engine ---------===//
#include "tessel/Synthesis/Elementwise.h"
#include "RandomSpecs.h"
#include "tessel/Synthesis/Kind.h"
#include "tessel/Synthesis/Search.h"
#include "gtest/gtest.h"

using namespace tessel::synth;
using namespace tessel::synth::testing;

namespace {

uint8_t fn(ElementwiseFn f) { return uint8_t(f); }

TEST(Elementwise, FunctionsKnowTheirNamesAndArity) {
  for (unsigned f = 0; f < kNumElementwiseFns; ++f) {
    EXPECT_EQ(elementwiseFnNamed(nameOf(ElementwiseFn(f))), ElementwiseFn(f));
    EXPECT_GE(arityOf(f), 1u);
  }
  EXPECT_EQ(arityOf(kNumElementwiseFns), 0u);
  EXPECT_FALSE(elementwiseFnNamed("cosh"));
}

TEST(Elementwise, BroadcastsAreParamsOfTheSpec) {
  Target t = Target::avx512();
  // A bias per column (1 x n) and a scalar (1 x 1).
  Spec s =
      Spec::elementwise(fn(ElementwiseFn::Add), {f32({64, 100}), f32({1, 100})},
                        f32({64, 100}), fullLimits(t));
  ASSERT_TRUE(s.isValid()) << s.str();
  EXPECT_EQ(s.kind, SpecKind::Binary);
  EXPECT_EQ(s.params[1], 0u);
  EXPECT_EQ(s.params[2], 1u);
  std::optional<IterationSpace> space = iterationSpace(s);
  ASSERT_TRUE(space);
  EXPECT_EQ(space->operandDim(1, 2, 0), -1); // rows never move the bias
  EXPECT_EQ(space->operandDim(1, 2, 1), 1);
  Spec scalar =
      Spec::elementwise(fn(ElementwiseFn::Mul), {f32({1, 1}), f32({8, 16})},
                        f32({8, 16}), fullLimits(t));
  ASSERT_TRUE(scalar.isValid());
  EXPECT_EQ(scalar.params[1], 3u);
  // An input of extent 1 where the output has more, not broadcast, does not
  // fit the loops.
  Spec wrong = s;
  wrong.params[2] = 0;
  EXPECT_FALSE(wrong.isValid());
  // The function must have the kind's arity.
  Spec unaryFn = s;
  unaryFn.params[0] = fn(ElementwiseFn::Exp);
  EXPECT_FALSE(unaryFn.isValid());
}

TEST(Elementwise, TilesOfABroadcastDropItsMask) {
  Target t = Target::avx512();
  Spec s =
      Spec::elementwise(fn(ElementwiseFn::Add), {f32({64, 100}), f32({64, 1})},
                        f32({64, 100}), fullLimits(t));
  EXPECT_EQ(s.params[2], 2u);
  std::optional<Decomposition> d =
      applyAction(s, Action::tileOut({64, 1}, false), t);
  ASSERT_TRUE(d);
  // One column: the row bias is no longer broadcast.
  EXPECT_EQ(d->children.front().spec.params[2], 0u);
  EXPECT_TRUE(d->children.front().spec.isValid());
}

TEST(Elementwise, RowsBecomeVectorKernels) {
  Target t = Target::avx512();
  for (ElementwiseFn f : {ElementwiseFn::Add, ElementwiseFn::Max}) {
    Spec s = Spec::elementwise(fn(f), {f32({64, 1000}), f32({1, 1000})},
                               f32({64, 1000}), fullLimits(t));
    Impl p = bestProgram(s, t);
    EXPECT_EQ(p.hottestLeaf().action.kernel, KernelId::VectorElementwise)
        << p.explanation(t);
  }
  for (uint8_t u = 0; u < kNumElementwiseFns; ++u) {
    if (arityOf(u) != 1)
      continue;
    auto f = ElementwiseFn(u);
    Spec s =
        Spec::elementwise(fn(f), {TensorSpec::rowMajor({33, 70}, Dtype::BF16)},
                          f32({33, 70}), fullLimits(t));
    ASSERT_TRUE(s.isValid()) << s.str();
    Impl p = bestProgram(s, t);
    EXPECT_EQ(p.hottestLeaf().action.kernel, KernelId::VectorElementwise)
        << p.explanation(t);
  }
}

TEST(Elementwise, UnaryInputsBroadcastToo) {
  // exp of one row into every row of the output: the input's unit dim is a
  // broadcast (params[1]), read whole by each iteration, in vectors.
  Target t = Target::avx512();
  Spec s = Spec::elementwise(fn(ElementwiseFn::Exp), {f32({1, 70})},
                             f32({33, 70}), fullLimits(t));
  ASSERT_TRUE(s.isValid()) << s.str();
  EXPECT_EQ(s.params[1], 1u);
  Impl p = bestProgram(s, t);
  EXPECT_EQ(p.hottestLeaf().action.kernel, KernelId::VectorElementwise)
      << p.explanation(t);
  // Broadcasting along a dim of extent 1 is no broadcast.
  Spec one = Spec::elementwise(fn(ElementwiseFn::Exp), {f32({1, 70})},
                               f32({1, 70}), fullLimits(t));
  EXPECT_EQ(one.params[1], 0u);
}

TEST(Elementwise, AnyLayoutsGetAProgram) {
  Target t = Target::avx2();
  // A transposed input: its runs cross the output's.
  TensorSpec colMajor = TensorSpec::buffer(
      {17, 40}, Dtype::F32, MemoryLevel::GL, Layout::colMajor(2));
  Spec s = Spec::elementwise(fn(ElementwiseFn::Sub), {colMajor, f32({17, 40})},
                             f32({17, 40}), fullLimits(t));
  ASSERT_TRUE(s.isValid());
  Impl p = bestProgram(s, t);
  EXPECT_GT(p.cost.main, 0u);
  // Expensive functions cost more than cheap ones on the same shape.
  Spec relu = Spec::elementwise(fn(ElementwiseFn::Relu), {f32({256, 256})},
                                f32({256, 256}), fullLimits(t));
  Spec gelu = relu;
  gelu.params[0] = fn(ElementwiseFn::Gelu);
  EXPECT_LT(bestProgram(relu, t).cost.main, bestProgram(gelu, t).cost.main);
}

TEST(Elementwise, OutputsAreF32AndInputsF32OrBf16) {
  Target t = Target::avx512();
  Spec s = Spec::elementwise(fn(ElementwiseFn::Exp),
                             {TensorSpec::rowMajor({4, 4}, Dtype::I32)},
                             f32({4, 4}), fullLimits(t));
  EXPECT_FALSE(s.isValid());
  Spec bf16Out = Spec::elementwise(fn(ElementwiseFn::Exp), {f32({4, 4})},
                                   TensorSpec::rowMajor({4, 4}, Dtype::BF16),
                                   fullLimits(t));
  EXPECT_FALSE(bf16Out.isValid());
}

} // namespace
