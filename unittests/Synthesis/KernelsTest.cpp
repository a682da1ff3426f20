//===- KernelsTest.cpp - Kernel applicability and cost formulas -----------===//
#include "tessel/Synthesis/Kernels.h"
#include "gtest/gtest.h"

using namespace tessel::synth;

namespace {

/// MatmulAccum mr x k x nr with C in registers and A, B in L1.
Spec registerTile(const Target &t, uint32_t mr, uint32_t k, uint32_t nr,
                  uint32_t freeRegs, Dtype in = Dtype::F32,
                  Layout bLayout = Layout::rowMajor(3)) {
  MemoryLimits lim = fullLimits(t);
  lim[MemoryLevel::VRF] = freeRegs;
  TensorSpec a = TensorSpec::rowMajor({1, mr, k}, in, MemoryLevel::L1);
  TensorSpec b = TensorSpec::buffer({1, k, nr}, in, MemoryLevel::L1, bLayout);
  TensorSpec c = TensorSpec::buffer({1, mr, nr}, Dtype::F32, MemoryLevel::VRF,
                                    Layout::rowMajor(3), t.lanes(Dtype::F32));
  return Spec::matmul(a, b, c, /*accum=*/true, lim, true);
}

uint32_t freeAfterAccumulators(const Target &t, uint32_t mr, uint32_t nr) {
  uint32_t acc = mr * nr / t.lanes(Dtype::F32);
  return acc > t.numVectorRegs() ? 0 : t.numVectorRegs() - acc;
}

TEST(Kernels, BroadcastFmaTilesOfAnyShapeThatFits) {
  Target z = Target::avx512();
  for (auto [mr, nr] :
       {std::pair{6u, 64u}, {14u, 32u}, {9u, 48u}, {30u, 16u}, {5u, 80u}}) {
    Spec s = registerTile(z, mr, 64, nr, freeAfterAccumulators(z, mr, nr));
    EXPECT_TRUE(applyKernel(KernelId::BroadcastFmaTile, s, z))
        << mr << "x" << nr;
  }
  // 7 x 64 needs 28 accumulators + 4 B vectors + 1 broadcast = 33 > 32.
  Spec tooBig = registerTile(z, 7, 64, 64, freeAfterAccumulators(z, 7, 64));
  EXPECT_FALSE(applyKernel(KernelId::BroadcastFmaTile, tooBig, z));
  // AVX2 has 16 ymm registers: 6x16 fits (12 + 2 + 1), 14x32 does not.
  Target h = Target::avx2();
  EXPECT_TRUE(applyKernel(
      KernelId::BroadcastFmaTile,
      registerTile(h, 6, 32, 16, freeAfterAccumulators(h, 6, 16)), h));
  EXPECT_FALSE(applyKernel(
      KernelId::BroadcastFmaTile,
      registerTile(h, 14, 32, 32, freeAfterAccumulators(h, 14, 32)), h));
}

TEST(Kernels, BroadcastFmaCostFormula) {
  Target z = Target::avx512();
  Spec s = registerTile(z, 6, 256, 64, 8);
  auto k = applyKernel(KernelId::BroadcastFmaTile, s, z);
  ASSERT_TRUE(k);
  // Per k step: 24 FMAs at 16 ticks + 10 loads at 4 ticks; plus the call and
  // the L1 lines of A (6 rows x 16 lines) and B (256 rows x 4 lines).
  uint64_t lines = 6 * 16 + 256 * 4;
  EXPECT_EQ(k->cost, 256u * (24 * 16 + 10 * 4) + 32 + lines * 4);
  EXPECT_EQ(k->scratchVectors, 5u);
  // A 1x16 tile is latency-bound: 4 cycles per k step, not 1.
  auto thin =
      applyKernel(KernelId::BroadcastFmaTile, registerTile(z, 1, 16, 16, 8), z);
  ASSERT_TRUE(thin);
  EXPECT_EQ(thin->cost, 16u * (64 + 2 * 4) + 32 + (1 + 16) * 4);
}

TEST(Kernels, RowsReadInLockstepPayForL1SetConflicts) {
  Target z = Target::avx512(); // L1: 8 ways, alias period 4 KiB
  uint32_t ways = z.level(MemoryLevel::L1).ways;
  const uint64_t l2Line = z.level(MemoryLevel::L2).lineCost;
  // `rows` rows of A, each `width` floats of a `pitch`-float buffer in L2.
  auto rowsOf = [](uint32_t rows, uint32_t width, uint32_t pitch) {
    return *TensorSpec::rowMajor({1, rows, pitch}, Dtype::F32, MemoryLevel::L2)
                .tile({1, rows, width});
  };
  // As many rows 4 KiB apart as ways: their lines stay.
  TensorSpec fits = rowsOf(ways, 64, 1024);
  EXPECT_EQ(rowsInLockstepCost(fits, 2, 4, z), accessCost(fits, z));
  // One more: each line is fetched again at each of its 15 later steps.
  TensorSpec conflicts = rowsOf(ways + 1, 64, 1024);
  EXPECT_EQ(rowsInLockstepCost(conflicts, 2, 4, z),
            accessCost(conflicts, z) + conflicts.lines() * 15 * l2Line);
  // The same rows as a whole contiguous block (pitch = their own length).
  TensorSpec block = rowsOf(ways + 1, 1024, 1024);
  EXPECT_EQ(rowsInLockstepCost(block, 2, 4, z),
            accessCost(block, z) + block.lines() * 15 * l2Line);
  // A padded pitch (1040 floats) spreads the rows over 64 set groups.
  TensorSpec padded = rowsOf(ways + 1, 64, 1040);
  EXPECT_EQ(rowsInLockstepCost(padded, 2, 4, z), accessCost(padded, z));
  // Rows of two floats: each line serves two steps, one fetch again.
  TensorSpec short2 = rowsOf(ways + 1, 2, 1024);
  EXPECT_EQ(rowsInLockstepCost(short2, 2, 4, z),
            accessCost(short2, z) + short2.lines() * 1 * l2Line);
  // k blocked innermost ([k/16][m][k:16]): one block's rows are a line
  // apart, and a k-major A walks another dim: neither is in lockstep.
  TensorSpec kBlocked =
      TensorSpec::buffer({1, ways + 1, 1024}, Dtype::F32, MemoryLevel::L2,
                         Layout::packed({0, 2, 1}, 2, 16));
  EXPECT_EQ(rowsInLockstepCost(kBlocked, 2, 4, z), accessCost(kBlocked, z));
  TensorSpec kMajor =
      TensorSpec::buffer({1, ways + 1, 1024}, Dtype::F32, MemoryLevel::L2,
                         Layout::permuted({0, 2, 1}));
  EXPECT_EQ(rowsInLockstepCost(kMajor, 2, 4, z), accessCost(kMajor, z));
  // The broadcast kernel charges it: a register tile of ways + 1 rows of a
  // 1024-float A costs more per row than one of `ways` rows.
  auto perRow = [&](uint32_t mr) {
    MemoryLimits lim = fullLimits(z);
    lim[MemoryLevel::VRF] = freeAfterAccumulators(z, mr, 16);
    Spec s = Spec::matmul(
        rowsOf(mr, 64, 1024),
        TensorSpec::rowMajor({1, 64, 16}, Dtype::F32, MemoryLevel::L1),
        TensorSpec::buffer({1, mr, 16}, Dtype::F32, MemoryLevel::VRF,
                           Layout::rowMajor(3), 16),
        /*accum=*/true, lim, true);
    auto k = applyKernel(KernelId::BroadcastFmaTile, s, z);
    EXPECT_TRUE(k);
    return k ? double(k->cost) / mr : 0.0;
  };
  EXPECT_GT(perRow(ways + 1), 1.5 * perRow(ways));
}

TEST(Kernels, DotBf16NeedsPairPackedBAndAvx512Bf16) {
  Target z = Target::avx512();
  Layout pairs = Layout::packed({0, 1, 2}, 1, 2);
  Spec s = registerTile(z, 6, 64, 64, 8, Dtype::BF16, pairs);
  auto k = applyKernel(KernelId::DotBf16Tile, s, z);
  ASSERT_TRUE(k);
  // Half as many steps as the f32 kernel for the same k.
  EXPECT_EQ(k->cost - 32 - accessCost(s.operands[0], z) -
                accessCost(s.operands[1], z),
            32u * (24 * 16 + 10 * 4));
  EXPECT_FALSE(applyKernel(KernelId::DotBf16Tile,
                           registerTile(z, 6, 64, 64, 8, Dtype::BF16), z));
  Target noBf16 = z;
  noBf16.hasBf16Dot = false;
  EXPECT_FALSE(applyKernel(KernelId::DotBf16Tile, s, noBf16));
  EXPECT_FALSE(applyKernel(KernelId::BroadcastFmaTile, s, z));
}

TEST(Kernels, BroadcastFmaWidensBf16InRegisters) {
  Target z = Target::avx512();
  Spec f32 = registerTile(z, 6, 64, 64, 8);
  Spec bf16 = registerTile(z, 6, 64, 64, 8, Dtype::BF16);
  auto a = applyKernel(KernelId::BroadcastFmaTile, f32, z);
  auto b = applyKernel(KernelId::BroadcastFmaTile, bf16, z);
  ASSERT_TRUE(a && b);
  // 6 broadcasts + 4 B vectors widened per k step; half the lines read.
  uint64_t f32Lines =
      accessCost(f32.operands[0], z) + accessCost(f32.operands[1], z);
  uint64_t bf16Lines =
      accessCost(bf16.operands[0], z) + accessCost(bf16.operands[1], z);
  EXPECT_EQ(b->cost - bf16Lines, a->cost - f32Lines + 64u * 10 * z.cvtCost);
  EXPECT_LT(bf16Lines, f32Lines);
}

TEST(Kernels, PackBf16PairsInterleavesTwoRows) {
  Target z = Target::avx512();
  MemoryLimits lim = fullLimits(z);
  // Rows k, k+1 of a row-major k x n bf16 matrix ...
  TensorSpec rows =
      *TensorSpec::rowMajor({1, 64, 128}, Dtype::BF16).tile({1, 2, 128});
  // ... into the matching tile of a [k/2][n][2] buffer.
  TensorSpec pairs =
      *TensorSpec::buffer({1, 64, 128}, Dtype::BF16, MemoryLevel::L2,
                          Layout::packed({0, 1, 2}, 1, 2))
           .tile({1, 2, 128});
  EXPECT_TRUE(pairs.fullyContiguous());
  auto k = applyKernel(KernelId::VectorPackBf16Pairs,
                       Spec::move(rows, pairs, lim), z);
  ASSERT_TRUE(k);
  EXPECT_EQ(k->scratchVectors, 2u);
  // 8 output vectors of 32 bf16.
  EXPECT_EQ(k->cost,
            8u * (2 * 4 + 8 + 16) + accessCost(rows, z) + accessCost(pairs, z));
  // A plain vector copy cannot interleave.
  EXPECT_FALSE(
      applyKernel(KernelId::VectorMove, Spec::move(rows, pairs, lim), z));
  // One row of a pair buffer is strided by 2: no vector stores into it.
  TensorSpec half =
      *TensorSpec::buffer({1, 64, 128}, Dtype::BF16, MemoryLevel::L2,
                          Layout::packed({0, 1, 2}, 1, 2))
           .tile({1, 1, 128});
  TensorSpec row =
      *TensorSpec::rowMajor({1, 64, 128}, Dtype::BF16).tile({1, 1, 128});
  EXPECT_FALSE(
      applyKernel(KernelId::VectorMove, Spec::move(row, half, lim), z));
}

TEST(Kernels, ScalarFallbacksApplyToSingleElements) {
  Target z = Target::avx512();
  MemoryLimits lim = fullLimits(z);
  for (Dtype dt : {Dtype::F32, Dtype::BF16, Dtype::I8, Dtype::I32}) {
    TensorSpec one = TensorSpec::rowMajor({1, 1, 1}, dt);
    TensorSpec c =
        TensorSpec::rowMajor({1, 1, 1}, dt == Dtype::BF16 ? Dtype::F32 : dt);
    EXPECT_TRUE(applyKernel(KernelId::ScalarMulAdd,
                            Spec::matmul(one, one, c, true, lim), z));
    EXPECT_TRUE(applyKernel(KernelId::ScalarFill,
                            Spec::fillOf(c, FillValue::Min, lim), z));
  }
  TensorSpec two = TensorSpec::rowMajor({1, 1, 2}, Dtype::F32);
  EXPECT_FALSE(
      applyKernel(KernelId::ScalarMulAdd,
                  Spec::matmul(TensorSpec::rowMajor({1, 1, 1}, Dtype::F32), two,
                               two, true, lim),
                  z));
}

TEST(Kernels, VectorMovesNeedWholeVectorRows) {
  Target z = Target::avx512();
  MemoryLimits lim = fullLimits(z);
  TensorSpec src = TensorSpec::rowMajor({4, 32}, Dtype::F32);
  TensorSpec vrf = TensorSpec::buffer({4, 32}, Dtype::F32, MemoryLevel::VRF,
                                      Layout::rowMajor(2), 16);
  auto load = applyKernel(KernelId::VectorMove, Spec::move(src, vrf, lim), z);
  ASSERT_TRUE(load);
  // 8 vector loads + 8 lines from main memory, in one run.
  EXPECT_EQ(load->cost, 8u * 4 + 8u * 160 + 960);
  // Transposing copies are not vector moves.
  TensorSpec col = TensorSpec::buffer({4, 32}, Dtype::F32, MemoryLevel::L1,
                                      Layout::colMajor(2));
  EXPECT_FALSE(applyKernel(KernelId::VectorMove, Spec::move(src, col, lim), z));
  // bf16 -> f32 widening has its own kernel.
  TensorSpec bf = TensorSpec::rowMajor({4, 32}, Dtype::BF16);
  EXPECT_FALSE(applyKernel(KernelId::VectorMove, Spec::move(bf, vrf, lim), z));
  EXPECT_TRUE(
      applyKernel(KernelId::VectorCvtBf16F32, Spec::move(bf, vrf, lim), z));
}

} // namespace

TEST(Kernels, DotReduceNeedsRunsAlongK) {
  Target z = Target::avx512();
  MemoryLimits lim = fullLimits(z);
  TensorSpec a = TensorSpec::rowMajor({1, 2, 100}, Dtype::F32);
  // B logical [1][k][n] stored n-major: columns are runs along k.
  TensorSpec bT = TensorSpec::buffer({1, 100, 4}, Dtype::F32, MemoryLevel::GL,
                                     Layout::colMajor(3));
  TensorSpec c = TensorSpec::rowMajor({1, 2, 4}, Dtype::F32);
  auto k = applyKernel(KernelId::DotReduceTile,
                       Spec::matmul(a, bT, c, true, lim), z);
  ASSERT_TRUE(k);
  // 2 x 4 accumulators, 2 A vectors and a B vector; any k (a masked tail).
  EXPECT_EQ(k->scratchVectors, 2u * 4 + 2 + 1);
  // Row-major B has no runs along k; nor does an overwrite (not accum).
  TensorSpec b = TensorSpec::rowMajor({1, 100, 4}, Dtype::F32);
  EXPECT_FALSE(applyKernel(KernelId::DotReduceTile,
                           Spec::matmul(a, b, c, true, lim), z));
  EXPECT_FALSE(applyKernel(KernelId::DotReduceTile,
                           Spec::matmul(a, bT, c, false, lim), z));
  // Too many accumulators for the registers left.
  MemoryLimits few = lim;
  few[MemoryLevel::VRF] = 10;
  EXPECT_FALSE(applyKernel(KernelId::DotReduceTile,
                           Spec::matmul(a, bT, c, true, few), z));
}

namespace {

/// A depthwise tap: out (1 x 1 x x x c, in registers or L1) += image (one
/// row of x columns `strideW` apart) * filter (c channels), NHWC or NCHW.
Spec depthwiseTap(const Target &t, uint32_t x, uint32_t c, bool nchw,
                  bool outInRegisters, uint8_t strideW = 1) {
  Layout channelsFirst = Layout::permuted({0, 3, 1, 2});
  TensorSpec image = TensorSpec::buffer(
      {1, 1, (x - 1) * strideW + 1, c}, Dtype::F32, MemoryLevel::L1,
      nchw ? channelsFirst : Layout::rowMajor(4));
  TensorSpec w = TensorSpec::rowMajor({1, 1, c}, Dtype::F32, MemoryLevel::L1);
  Layout outLayout = nchw ? channelsFirst : Layout::rowMajor(4);
  TensorSpec out =
      outInRegisters
          ? TensorSpec::buffer({1, 1, x, c}, Dtype::F32, MemoryLevel::VRF,
                               nchw ? Layout::permuted({0, 1, 3, 2})
                                    : Layout::rowMajor(4),
                               t.lanes(Dtype::F32))
          : TensorSpec::buffer({1, 1, x, c}, Dtype::F32, MemoryLevel::L1,
                               outLayout);
  return Spec::depthwiseConv2d(image, w, out, {1, strideW}, {1, 1}, true,
                               fullLimits(t), true);
}

TEST(Kernels, VectorMulAddTileRunsAlongTheOutputsContiguousDim) {
  Target z = Target::avx512();
  // NHWC: 4 columns x 32 channels in registers, 8 vectors.
  Spec nhwc = depthwiseTap(z, 4, 32, false, true);
  ASSERT_TRUE(nhwc.isValid()) << nhwc.str();
  auto k = applyKernel(KernelId::VectorMulAddTile, nhwc, z);
  ASSERT_TRUE(k);
  // Per vector a multiply-add and two loads; the call; the L1 lines of the
  // image (4 rows of 2 lines) and the filter (2 lines).
  EXPECT_EQ(k->cost, 8u * (16 + 2 * 4) + 32 + (4 * 2 + 2) * 4);
  EXPECT_EQ(k->scratchVectors, 2u);
  // In memory the output is loaded and stored too, and needs a register.
  auto inMemory = applyKernel(KernelId::VectorMulAddTile,
                              depthwiseTap(z, 4, 32, false, false), z);
  ASSERT_TRUE(inMemory);
  EXPECT_GT(inMemory->cost, k->cost);
  EXPECT_EQ(inMemory->scratchVectors, 3u);
  // NCHW: vectors along x; at a stride the image's are gathered: at 2 as
  // two loads and a permute, at 3 element by element (16 loads a vector).
  auto nchw = applyKernel(KernelId::VectorMulAddTile,
                          depthwiseTap(z, 32, 3, true, false), z);
  auto stride2 = applyKernel(KernelId::VectorMulAddTile,
                             depthwiseTap(z, 32, 3, true, false, 2), z);
  auto stride3 = applyKernel(KernelId::VectorMulAddTile,
                             depthwiseTap(z, 32, 3, true, false, 3), z);
  ASSERT_TRUE(nchw && stride2 && stride3);
  // 6 output vectors; the image's L1 lines differ too.
  EXPECT_GE(stride2->cost, nchw->cost + 6u * 2 * 4);
  EXPECT_GE(stride3->cost, nchw->cost + 6u * 15 * 4);
  // One output in registers has no run to vectorise along (and must not
  // be looked at past its dims).
  EXPECT_FALSE(applyKernel(KernelId::VectorMulAddTile,
                           depthwiseTap(z, 1, 1, false, true), z));
  // Other kinds are not its business.
  EXPECT_FALSE(applyKernel(KernelId::VectorMulAddTile,
                           registerTile(z, 6, 64, 64, 8), z));
}

} // namespace
