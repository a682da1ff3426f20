//===- RandomSpecs.h - Random small specs for property tests ----*- C++ -*-===//
#ifndef TESSEL_UNITTESTS_SYNTHESIS_RANDOMSPECS_H
#define TESSEL_UNITTESTS_SYNTHESIS_RANDOMSPECS_H

#include "tessel/Synthesis/Elementwise.h"
#include "tessel/Synthesis/Search.h"
#include "tessel/Synthesis/Spec.h"
#include "tessel/Synthesis/Target.h"
#include "gtest/gtest.h"
#include <random>

namespace tessel::synth::testing {

/// Small specs of every kind with varied shapes, dtypes, layouts, levels and
/// limits. Small enough that exhaustive enumeration stays cheap.
class RandomSpecs {
public:
  explicit RandomSpecs(uint32_t seed) : rng(seed) {}

  Spec next(const Target &t) {
    switch (pick(8)) {
    case 0:
      return matmul(t);
    case 1:
      return move(t);
    case 2:
      return fill(t);
    case 3:
      return reduce(t);
    case 4:
      return conv(t);
    case 5:
      return depthwiseConv(t);
    default:
      return elementwise(t);
    }
  }

  /// Sums and maxima along any dim, keeping it or not.
  Spec reduce(const Target &t) {
    unsigned rank = 1 + pick(3);
    Shape shape = smallShape(rank, 5, t);
    unsigned dim = pick(rank);
    bool keep = rank == 1 || pick(2);
    Shape outShape;
    for (unsigned d = 0; d < rank; ++d)
      if (d != dim)
        outShape.push_back(shape[d]);
      else if (keep)
        outShape.push_back(1);
    TensorSpec x =
        operand(shape, pick(4) ? Dtype::F32 : Dtype::BF16, rank, false, t);
    TensorSpec out = operand(outShape, Dtype::F32, outShape.size(), false, t);
    out.prefetched = 0;
    return Spec::reduce(pick(3), dim, keep, x, out, pick(2), limits(t),
                        pick(3) != 0);
  }

  /// Unary and binary functions, broadcasting either input along any dims.
  Spec elementwise(const Target &t) {
    unsigned rank = 1 + pick(3);
    Shape shape = smallShape(rank, 4, t);
    unsigned arity = 1 + pick(2);
    llvm::SmallVector<ElementwiseFn, 16> fns = functionsOfArity(arity);
    uint8_t fn = uint8_t(fns[pick(fns.size())]);
    llvm::SmallVector<TensorSpec, 2> inputs;
    for (unsigned i = 0; i < arity; ++i) {
      Shape in = shape;
      for (unsigned d = 0; d < rank; ++d)
        if (pick(4) == 0)
          in[d] = 1; // broadcast
      inputs.push_back(
          operand(in, pick(4) ? Dtype::F32 : Dtype::BF16, rank, false, t));
    }
    TensorSpec out = operand(shape, Dtype::F32, rank, false, t);
    out.prefetched = 0;
    bool serial = pick(3) != 0;
    // A binary function's unary epilogue, sometimes.
    uint8_t epilogue = 0;
    if (arity == 2 && pick(3) == 0) {
      llvm::SmallVector<ElementwiseFn, 16> unary = functionsOfArity(1);
      llvm::erase_if(unary,
                     [](ElementwiseFn f) { return !isEpilogue(uint8_t(f)); });
      epilogue = uint8_t(unary[pick(unary.size())]);
    }
    return Spec::elementwise(fn, inputs, out, limits(t), serial, epilogue);
  }

  Spec matmul(const Target &t) {
    unsigned lanes = t.lanes(Dtype::F32);
    uint32_t b = pick(4) == 0 ? 2 : 1;
    uint32_t m = 1 + pick(6), k = 1 + pick(4);
    uint32_t n = pick(2) ? lanes * (1 + pick(2)) : 1 + pick(3);
    bool bf16 = pick(4) == 0;
    Dtype in = bf16 ? Dtype::BF16 : Dtype::F32;
    TensorSpec a = operand({b, m, k}, in, 3, /*packN=*/false, t);
    TensorSpec bb = operand({b, k, n}, in, 3, /*packN=*/true, t);
    TensorSpec c = operand({b, m, n}, Dtype::F32, 3, false, t);
    return Spec::matmul(a, bb, c, pick(2), limits(t), pick(3) != 0);
  }

  /// Strides and dilations of 1 or 2, and the n x h x w x c image an
  /// r x s window needs for y x x outputs with them.
  struct Window {
    std::array<uint8_t, 2> stride, dilation;
    Shape image;
  };
  Window window(uint32_t n, uint32_t y, uint32_t x, uint32_t r, uint32_t s,
                uint32_t c) {
    std::array<uint8_t, 2> stride = {uint8_t(1 + pick(2)),
                                     uint8_t(1 + pick(2))};
    std::array<uint8_t, 2> dilation = {uint8_t(1 + pick(2)),
                                       uint8_t(1 + pick(2))};
    return {stride, dilation,
            Shape{n, (y - 1) * stride[0] + (r - 1) * dilation[0] + 1,
                  (x - 1) * stride[1] + (s - 1) * dilation[1] + 1, c}};
  }

  /// Convolutions with strides, dilations, NHWC or NCHW images and outputs
  /// and HWCF or FCHW filters.
  Spec conv(const Target &t) {
    unsigned lanes = t.lanes(Dtype::F32);
    uint32_t n = pick(5) == 0 ? 2 : 1, y = 1 + pick(2), x = 1 + pick(4);
    uint32_t f = pick(2) ? lanes : 1 + pick(3);
    // (c = 4: bf16 filters may be paired along c for vdpbf16ps.)
    uint32_t r = 1 + pick(3), s = 1 + pick(2), c = 1 + pick(4);
    auto [stride, dilation, image] = window(n, y, x, r, s, c);
    Dtype in = pick(4) == 0 ? Dtype::BF16 : Dtype::F32;
    Layout nchw = Layout::permuted({0, 3, 1, 2});
    auto place = [&](Shape shape, Dtype dt, Layout other) {
      return TensorSpec::buffer(shape, dt, MemoryLevel::GL,
                                pick(3) ? Layout::rowMajor(4) : other);
    };
    TensorSpec img = place(image, in, nchw);
    TensorSpec w = place({r, s, c, f}, in, Layout::permuted({3, 2, 0, 1}));
    TensorSpec out = place({n, y, x, f}, Dtype::F32, nchw);
    // A bf16 NCHW image given in channel pairs ([n][c/2][y][x][2]), as
    // vdpbf16ps takes it when vectors run along x.
    if (in == Dtype::BF16 && c % 2 == 0 && pick(3) == 0)
      img.layout = Layout::packed({0, 3, 1, 2}, 3, 2);
    return Spec::conv2d(img, w, out, stride, dilation, pick(2), limits(t),
                        pick(3) != 0);
  }

  /// Depthwise convolutions with strides, dilations, NHWC or NCHW images
  /// and outputs and HWC or CHW filters.
  Spec depthwiseConv(const Target &t) {
    unsigned lanes = t.lanes(Dtype::F32);
    uint32_t n = pick(5) == 0 ? 2 : 1, y = 1 + pick(2), x = 1 + pick(4);
    uint32_t r = 1 + pick(3), s = 1 + pick(2);
    uint32_t c = pick(2) ? lanes : 1 + pick(3);
    auto [stride, dilation, image] = window(n, y, x, r, s, c);
    Dtype in = pick(4) == 0 ? Dtype::BF16 : Dtype::F32;
    bool nchw = pick(3) == 0;
    auto place = [&](Shape shape, Dtype dt, Layout nhwc, Layout other) {
      return TensorSpec::buffer(shape, dt, MemoryLevel::GL,
                                nchw ? other : nhwc);
    };
    Layout channelsFirst = Layout::permuted({0, 3, 1, 2});
    TensorSpec img = place(image, in, Layout::rowMajor(4), channelsFirst);
    TensorSpec w =
        place({r, s, c}, in, Layout::rowMajor(3), Layout::permuted({2, 0, 1}));
    TensorSpec out =
        place({n, y, x, c}, Dtype::F32, Layout::rowMajor(4), channelsFirst);
    return Spec::depthwiseConv2d(img, w, out, stride, dilation, pick(2),
                                 limits(t), pick(3) != 0);
  }

  Spec move(const Target &t) {
    unsigned lanes = t.lanes(Dtype::F32);
    bool widen = pick(4) == 0;
    uint32_t rows = 1 + pick(3);
    uint32_t cols = pick(2) ? lanes : 1 + pick(4);
    Shape shape = pick(2) ? Shape{rows, cols} : Shape{cols};
    TensorSpec src = operand(shape, widen ? Dtype::BF16 : Dtype::F32,
                             shape.size(), false, t);
    TensorSpec dst = operand(shape, Dtype::F32, shape.size(), false, t);
    if (cols % lanes == 0 && pick(3) == 0) {
      // Register tiles: loads or stores.
      TensorSpec vrf =
          TensorSpec::buffer(shape, Dtype::F32, MemoryLevel::VRF,
                             Layout::rowMajor(shape.size()), lanes);
      if (pick(2) && !widen)
        src = vrf;
      else
        dst = vrf;
    }
    return Spec::move(src, dst, limits(t), pick(3) != 0);
  }

  Spec fill(const Target &t) {
    unsigned lanes = t.lanes(Dtype::F32);
    uint32_t rows = 1 + pick(3);
    uint32_t cols = pick(2) ? lanes : 1 + pick(4);
    Shape shape{rows, cols};
    TensorSpec dst = operand(shape, Dtype::F32, 2, false, t);
    if (cols % lanes == 0 && pick(3) == 0)
      dst = TensorSpec::buffer(shape, Dtype::F32, MemoryLevel::VRF,
                               Layout::rowMajor(2), lanes);
    FillValue v = FillValue(pick(3));
    return Spec::fillOf(dst, v, limits(t), pick(3) != 0);
  }

  unsigned pick(unsigned n) {
    return std::uniform_int_distribution<unsigned>(0, n - 1)(rng);
  }

private:
  /// Dims of 1 .. `upTo`, the last sometimes one or two vectors.
  Shape smallShape(unsigned rank, unsigned upTo, const Target &t) {
    Shape shape;
    for (unsigned d = 0; d < rank; ++d)
      shape.push_back(d + 1 == rank && pick(2)
                          ? t.lanes(Dtype::F32) * (1 + pick(2))
                          : 1 + pick(upTo));
    return shape;
  }

  TensorSpec operand(Shape shape, Dtype dt, unsigned rank, bool packN,
                     const Target &t) {
    Layout l = Layout::rowMajor(rank);
    unsigned r = pick(4);
    if (r == 1 && rank >= 2)
      l = Layout::colMajor(rank);
    unsigned lanes = t.lanes(Dtype::F32);
    if (r == 2 && packN && shape.back() % lanes == 0 && shape.back() > lanes)
      l = Layout::packed({0, 2, 1}, 2, lanes);
    MemoryLevel level = MemoryLevel::GL;
    unsigned lv = pick(6);
    if (lv == 1)
      level = MemoryLevel::L2;
    else if (lv == 2)
      level = MemoryLevel::L1;
    TensorSpec ts = TensorSpec::buffer(shape, dt, level, l);
    // Sometimes a strided view: a tile of a wider buffer.
    if (pick(3) == 0) {
      Shape wide = shape;
      wide.back() *= 4;
      TensorSpec big = TensorSpec::buffer(wide, dt, level, l);
      if (auto v = big.tile(shape))
        ts = *v;
    }
    // Sometimes a main-memory tile an enclosing loop prefetches.
    ts.prefetched = level == MemoryLevel::GL && lv == 3;
    return ts;
  }

  MemoryLimits limits(const Target &t) {
    MemoryLimits m = fullLimits(t);
    static const uint32_t l1s[] = {0, 256, 1024, 32768};
    static const uint32_t l2s[] = {0, 4096, 1 << 20};
    m[MemoryLevel::L1] = l1s[pick(4)];
    m[MemoryLevel::L2] = l2s[pick(3)];
    static const uint32_t vrf[] = {0, 2, 5, 9, 32};
    m[MemoryLevel::VRF] = std::min(vrf[pick(5)], t.numVectorRegs());
    m.canonicalize();
    return m;
  }

  std::mt19937 rng;
};

/// A row-major f32 tensor in main memory.
inline TensorSpec f32(Shape shape) {
  return TensorSpec::rowMajor(shape, Dtype::F32);
}

/// The best program for `s` (a test failure when there is none).
inline Impl bestProgram(const Spec &s, const Target &t) {
  HashMemo memo;
  std::vector<Impl> programs = Search(t, memo).synthesize(s);
  EXPECT_FALSE(programs.empty()) << s.str();
  return programs.empty() ? Impl() : programs.front();
}

} // namespace tessel::synth::testing

#endif
