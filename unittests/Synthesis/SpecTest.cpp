//===- SpecTest.cpp - Layouts, tensor specs and canonical forms -----------===//
#include "RandomSpecs.h"
#include "tessel/Synthesis/Actions.h"
#include "gtest/gtest.h"

using namespace tessel::synth;
using namespace tessel::synth::testing;

namespace {

TEST(Layout, CanonicalFormDropsUnitDimsAndWholeBlocks) {
  unsigned contig = 3;
  // [1][k][n] row-major: the unit batch dim vanishes.
  Layout rm = Layout::rowMajor(3).canonicalize({1, 8, 32}, contig);
  EXPECT_EQ(rm, Layout::permuted({1, 2}));
  EXPECT_EQ(contig, 2u);
  // A 16-wide panel of [n/16][k][16] is just row-major [k][16].
  contig = 3;
  Layout p = Layout::packed({1, 0}, 1, 16).canonicalize({8, 16}, contig);
  EXPECT_EQ(p, Layout::permuted({0, 1}));
  // Two panels stay packed.
  contig = 3;
  Layout p2 = Layout::packed({1, 0}, 1, 16).canonicalize({8, 32}, contig);
  EXPECT_EQ(p2, Layout::packed({1, 0}, 1, 16));
  EXPECT_EQ(contig, 3u);
}

TEST(Layout, AppliesOnlyToRegularTiles) {
  Layout p = Layout::packed({1, 0}, 1, 16);
  EXPECT_TRUE(p.appliesTo({8, 32}));
  EXPECT_TRUE(p.appliesTo({8, 8}));   // half a block
  EXPECT_FALSE(p.appliesTo({8, 24})); // straddles blocks
  EXPECT_FALSE(p.appliesTo({8, 6}));  // does not divide the block
}

TEST(TensorSpec, LinesAndContiguityOfTiles) {
  TensorSpec a = TensorSpec::rowMajor({1, 64, 64}, Dtype::F32);
  EXPECT_TRUE(a.fullyContiguous());
  EXPECT_EQ(a.lines(), 64u * 64 * 4 / 64);
  // Whole rows stay contiguous; part rows do not.
  auto rows = a.tile({1, 8, 64});
  ASSERT_TRUE(rows);
  EXPECT_TRUE(rows->fullyContiguous());
  EXPECT_EQ(rows->lines(), 8u * 4);
  auto block = a.tile({1, 8, 16});
  ASSERT_TRUE(block);
  EXPECT_FALSE(block->fullyContiguous());
  EXPECT_EQ(block->rows(), 8u);
  EXPECT_EQ(block->lines(), 8u);
  EXPECT_EQ(block->strideLog2, 8u); // 64 floats = 256 bytes apart
  // A column of a row-major matrix: one line per element.
  auto col = a.tile({1, 8, 1});
  ASSERT_TRUE(col);
  EXPECT_EQ(col->lines(), 8u);
  // Registers have no lines.
  TensorSpec v = TensorSpec::buffer({1, 6, 64}, Dtype::F32, MemoryLevel::VRF,
                                    Layout::rowMajor(3), 16);
  EXPECT_EQ(v.lines(), 0u);
}

TEST(TensorSpec, RegisterTilesKeepWholeVectors) {
  TensorSpec v = TensorSpec::buffer({1, 6, 64}, Dtype::F32, MemoryLevel::VRF,
                                    Layout::rowMajor(3), 16);
  EXPECT_TRUE(v.tile({1, 3, 32}).has_value());
  EXPECT_FALSE(v.tile({1, 6, 8}).has_value());
  // Rows of 25 end in a partial vector (masked on the memory side); they
  // may lose rows but not be cut inside a vector.
  TensorSpec p = TensorSpec::buffer({1, 6, 25}, Dtype::F32, MemoryLevel::VRF,
                                    Layout::rowMajor(3), 16);
  EXPECT_TRUE(p.tile({1, 3, 25}).has_value());
  EXPECT_TRUE(p.tile({1, 6, 16}).has_value());
  EXPECT_FALSE(p.tile({1, 6, 9}).has_value());
}

TEST(Spec, CanonicalisationIsIdempotent) {
  RandomSpecs gen(42);
  Target targets[] = {Target::avx512(), Target::avx2()};
  for (unsigned i = 0; i < 2000; ++i) {
    const Target &t = targets[i % 2];
    Spec s = gen.next(t);
    Spec once = s.canonical();
    Spec twice = once.canonical();
    EXPECT_EQ(once, twice) << s.str();
    EXPECT_EQ(once.hash(), twice.hash());
  }
}

TEST(Spec, EqualProblemsAreEqualKeys) {
  Target t = Target::avx512();
  MemoryLimits lim = fullLimits(t);
  // The same 8x16 tile reached from two different row-major buffers of the
  // same row stride is the same spec.
  TensorSpec big = TensorSpec::rowMajor({1, 64, 64}, Dtype::F32);
  TensorSpec other = TensorSpec::rowMajor({1, 32, 64}, Dtype::F32);
  auto x = big.tile({1, 8, 16}), y = other.tile({1, 8, 16});
  ASSERT_TRUE(x && y);
  Spec a = Spec::fillOf(*x, FillValue::Zero, lim);
  Spec b = Spec::fillOf(*y, FillValue::Zero, lim);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.hash(), b.hash());
  // Different limits are different keys.
  MemoryLimits small = lim;
  small[MemoryLevel::L1] = 1024;
  EXPECT_NE(a, Spec::fillOf(*x, FillValue::Zero, small));
  // Serial flags only matter while every operand is in main memory.
  TensorSpec l1 = TensorSpec::rowMajor({4, 16}, Dtype::F32, MemoryLevel::L1);
  EXPECT_EQ(Spec::fillOf(l1, FillValue::Zero, lim, false),
            Spec::fillOf(l1, FillValue::Zero, lim, true));
}

TEST(Spec, LimitsSnapDownToPowersOfTwo) {
  MemoryLimits m;
  m[MemoryLevel::L1] = 20000;
  m[MemoryLevel::L2] = 1 << 20;
  m[MemoryLevel::VRF] = 27;
  m.canonicalize();
  EXPECT_EQ(m[MemoryLevel::L1], 16384u);
  EXPECT_EQ(m[MemoryLevel::L2], 1u << 20);
  EXPECT_EQ(m[MemoryLevel::VRF], 27u); // registers are counted exactly
}

TEST(Target, HostDetectionPicksAKnownIsa) {
  Target h = Target::host();
  EXPECT_TRUE(h.isa == Isa::AVX512 || h.isa == Isa::AVX2);
  EXPECT_EQ(h.lanes(Dtype::F32), h.isa == Isa::AVX512 ? 16u : 8u);
  EXPECT_GE(h.cores, 1u);
  EXPECT_NE(Target::avx512().fingerprint(), Target::avx2().fingerprint());
  EXPECT_EQ(Target::avx512().fingerprint(), Target::avx512().fingerprint());
}

} // namespace
