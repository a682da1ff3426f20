//===- CoordinatesTest.cpp - Specs <-> (table key, point) -----------------===//
#include "tessel/Memo/Coordinates.h"
#include "RandomSpecs.h"
#include "tessel/Synthesis/Search.h"
#include <cstring>
#include <gtest/gtest.h>

using namespace tessel::synth;
using namespace tessel::memo;

namespace {

bool sameBytes(const Spec &a, const Spec &b) {
  return std::memcmp(&a, &b, sizeof(Spec)) == 0;
}

void expectRoundTrip(const Spec &s) {
  std::optional<Coordinates> c = encode(s);
  ASSERT_TRUE(c) << s.str();
  EXPECT_EQ(c->point.size(), c->key.dims());
  std::optional<Spec> back = decode(c->key, c->point);
  ASSERT_TRUE(back) << s.str();
  EXPECT_TRUE(sameBytes(*back, s))
      << s.str() << " came back as " << back->str();
}

TEST(Coordinates, RandomCanonicalSpecsRoundTripExactly) {
  Target t = Target::avx512();
  tessel::synth::testing::RandomSpecs gen(7);
  for (int i = 0; i < 2000; ++i)
    expectRoundTrip(gen.next(t));
}

TEST(Coordinates, EverySubSpecOfASearchRoundTrips) {
  // The specs the search actually produces: tiles, moves, VRF buffers,
  // packed layouts, strided views, reduced limits.
  Target t = Target::avx512();
  HashMemo memo;
  Search search(t, memo);
  Spec s = Spec::matmul(TensorSpec::rowMajor({1, 24, 40}, Dtype::F32),
                        TensorSpec::rowMajor({1, 40, 48}, Dtype::F32),
                        TensorSpec::rowMajor({1, 24, 48}, Dtype::F32), false,
                        fullLimits(t));
  ASSERT_FALSE(search.synthesize(s).empty());
  size_t n = 0;
  memo.forEach([&](const Spec &sub, const MemoEntry &) {
    expectRoundTrip(sub);
    ++n;
  });
  EXPECT_GT(n, 50u);
}

TEST(Coordinates, NonPowerOfTwoShapesAreLinear) {
  Target t = Target::avx512();
  Spec s = Spec::matmul(TensorSpec::rowMajor({1, 6, 14}, Dtype::F32),
                        TensorSpec::rowMajor({1, 14, 48}, Dtype::F32),
                        TensorSpec::rowMajor({1, 6, 48}, Dtype::F32), true,
                        fullLimits(t));
  std::optional<Coordinates> c = encode(s);
  ASSERT_TRUE(c);
  // The loop extents, in the kind's loop order: b, m, n, then k.
  EXPECT_EQ(c->point[0], 1u);
  EXPECT_EQ(c->point[1], 6u);
  EXPECT_EQ(c->point[2], 48u);
  EXPECT_EQ(c->point[3], 14u);
  expectRoundTrip(s);
}

TEST(Coordinates, LimitCodes) {
  EXPECT_EQ(byteLimitCode(0), 0u);
  EXPECT_EQ(byteLimitCode(1), 1u);
  EXPECT_EQ(byteLimitCode(32 << 10), 16u);
  EXPECT_EQ(byteLimitCode(0xFFFFFFFFu), kUnboundedCode);
  EXPECT_FALSE(byteLimitCode(3000));
  EXPECT_EQ(byteLimitCodeCeil(3000), byteLimitCode(4096));
  EXPECT_EQ(byteLimitCodeCeil(4096), byteLimitCode(4096));
  EXPECT_EQ(byteLimitCodeCeil((1u << 31) + 1), kUnboundedCode);
}

TEST(Coordinates, NonCanonicalLimitsAreNotRepresentable) {
  Target t = Target::avx512();
  Spec s = Spec::fillOf(TensorSpec::rowMajor({4, 16}, Dtype::F32),
                        FillValue::Zero, fullLimits(t));
  s.limits[MemoryLevel::L1] = 3000; // not a power of two
  EXPECT_FALSE(encode(s));
  std::optional<Coordinates> up = encode(s, /*roundLimitsUp=*/true);
  ASSERT_TRUE(up);
  EXPECT_EQ(up->point[limitStart(up->point.size()) + unsigned(MemoryLevel::L1)],
            *byteLimitCode(4096));
}

TEST(Coordinates, MismatchedShapesAreNotRepresentable) {
  Target t = Target::avx512();
  Spec s = Spec::matmul(TensorSpec::rowMajor({1, 4, 8}, Dtype::F32),
                        TensorSpec::rowMajor({1, 8, 16}, Dtype::F32),
                        TensorSpec::rowMajor({1, 4, 16}, Dtype::F32), false,
                        fullLimits(t));
  s.operands[2].shape[2] = 32; // C no longer m x n
  EXPECT_FALSE(encode(s));
}

TEST(Coordinates, DecodeRejectsMalformedInput) {
  Target t = Target::avx512();
  Spec s = Spec::fillOf(TensorSpec::rowMajor({4, 16}, Dtype::F32),
                        FillValue::Zero, fullLimits(t));
  std::optional<Coordinates> c = encode(s);
  ASSERT_TRUE(c);
  Point shorter(c->point.begin(), c->point.end() - 1);
  EXPECT_FALSE(decode(c->key, shorter));
  Point badCode = c->point;
  badCode[limitStart(badCode.size())] = kUnboundedCode + 1;
  EXPECT_FALSE(decode(c->key, badCode));
  TableKey badKey = c->key;
  badKey.bytes[0] = 9; // no such kind
  EXPECT_EQ(badKey.dims(), 0u);
  EXPECT_FALSE(decode(badKey, c->point));
}

} // namespace
