//===- WindowKind.h - What Conv and DepthwiseConv share ---------*- C++ -*-===//
//
// Convolutions over logical NHWC images: loops n, y, x and the output
// channel (parallel: the output's dims, n one image at a time), then the
// filter taps r and s (and, for Conv, the input channels). The image's h
// and w are sliding windows y * stride + r * dilation (params: stride h,
// stride w, dilation h, dilation w), so output tiles read halo image tiles
// and splits along r and s step through the taps. A register tile is one
// output row, its vectors along the output's contiguous dim: the channels
// (NHWC) or x (NCHW).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_LIB_SYNTHESIS_KINDS_WINDOWKIND_H
#define TESSEL_LIB_SYNTHESIS_KINDS_WINDOWKIND_H

#include "tessel/Synthesis/Kind.h"

namespace tessel::synth {

class WindowKind : public Kind {
public:
  /// The loops both kinds share (Conv adds its input channels after S).
  enum Loop { N, Y, X, Channel, R, S };
  enum Param { StrideH, StrideW, DilationH, DilationW };

  llvm::StringRef operandName(unsigned i) const override {
    static const char *names[] = {"image", "filter", "out"};
    return names[i];
  }
  unsigned numOperands() const override { return 3; }
  bool labelsOperands() const override { return true; }
  bool accumulates() const override { return true; }
  std::optional<FillValue> accumulatorInit(const Spec &) const override {
    return FillValue::Zero;
  }
  bool stagesInputs() const override { return true; }

  bool validParams(const Spec &s) const override {
    for (unsigned p = StrideH; p <= DilationW; ++p)
      if (!s.params[p])
        return false;
    return unusedParamsZero(s, 4);
  }
  void canonicalize(Spec &s) const override {
    // A stride matters only between several outputs, a dilation only
    // between several taps: equal problems, equal bytes.
    const TensorSpec &w = s.operands[1], &out = s.operands[2];
    if (out.rank != 4 || w.rank < 2)
      return;
    if (out.shape[Y] == 1)
      s.params[StrideH] = 1;
    if (out.shape[X] == 1)
      s.params[StrideW] = 1;
    if (w.shape[0] == 1)
      s.params[DilationH] = 1;
    if (w.shape[1] == 1)
      s.params[DilationW] = 1;
  }

  /// The image's maps: n, then the windows y/r and x/s, then `channel`.
  void indexImage(const Spec &s, IterationSpace &space,
                  unsigned channel) const {
    space.maps[0] = {
        IndexExpr::of(N),
        IndexExpr::slidingWindow(Y, R, s.params[StrideH], s.params[DilationH]),
        IndexExpr::slidingWindow(X, S, s.params[StrideW], s.params[DilationW]),
        IndexExpr::of(channel)};
    space.maps[2] = {IndexExpr::of(N), IndexExpr::of(Y), IndexExpr::of(X),
                     IndexExpr::of(Channel)};
  }

  bool isValid(const Spec &s) const override {
    // f32 or bf16 inputs (either may have been widened by a copy).
    auto input = [&](unsigned i) {
      return s.operands[i].dtype == Dtype::F32 ||
             s.operands[i].dtype == Dtype::BF16;
    };
    return input(0) && input(1) && s.operands[2].dtype == Dtype::F32;
  }

  /// " 1x56x56x64 by 3x3x64": the output, then the filter's dims but the
  /// last (r x s x c, or r x s for one filter per channel), then
  /// " stride AxB dilation CxD" where not 1.
  void printSizes(const Spec &s, llvm::raw_ostream &os) const override {
    const TensorSpec &w = s.operands[1], &out = s.operands[2];
    os << ' ' << out.shape[0] << 'x' << out.shape[1] << 'x' << out.shape[2]
       << 'x' << out.shape[3] << " by " << w.shape[0];
    for (unsigned d = 1; d + 1 < w.rank; ++d)
      os << 'x' << w.shape[d];
    if (s.params[StrideH] != 1 || s.params[StrideW] != 1)
      os << " stride " << unsigned(s.params[StrideH]) << 'x'
         << unsigned(s.params[StrideW]);
    if (s.params[DilationH] != 1 || s.params[DilationW] != 1)
      os << " dilation " << unsigned(s.params[DilationH]) << 'x'
         << unsigned(s.params[DilationW]);
  }

  /// Whether the output's vectors run along x (an NCHW output): its
  /// innermost physical dim.
  static bool vectorsAlongX(const TensorSpec &out) {
    return out.layout.size() && out.layout.innermostDim() == X;
  }

  bool tilesInBlocks(const Spec &s, unsigned d) const override {
    // Register tiles are one output row: rows are cut in cache blocks, and
    // so is the dim the tile's rows run along (x, or the channels for an
    // NCHW output) until a tile is down to one row.
    const TensorSpec &out = s.operands[2];
    unsigned tileRows = vectorsAlongX(out) ? Channel : X;
    return d == Y || (d == tileRows && out.shape[Y] > 1);
  }

  bool readsWhole(const Spec &s, unsigned i) const override {
    if (i != 0)
      return true;
    // Rows y * stride + r * dilation cover the image's extent?
    auto dense = [](uint32_t y, uint32_t r, unsigned stride,
                    unsigned dilation) {
      if (r == 1)
        return y == 1 || stride == 1;
      if (y == 1)
        return dilation == 1;
      return (dilation == 1 && stride <= r) || (stride == 1 && y >= dilation);
    };
    const TensorSpec &w = s.operands[1], &out = s.operands[2];
    return dense(out.shape[Y], w.shape[0], s.params[StrideH],
                 s.params[DilationH]) &&
           dense(out.shape[X], w.shape[1], s.params[StrideW],
                 s.params[DilationW]);
  }

  std::optional<Layout> registerTile(const Spec &s,
                                     const Target &) const override {
    // A tile of one output row: x by channel accumulators, the vectors
    // along the output's contiguous dim.
    const TensorSpec &out = s.operands[2];
    if (out.dtype != Dtype::F32 || out.shape[N] != 1 || out.shape[Y] != 1)
      return std::nullopt;
    return vectorsAlongX(out) ? Layout::permuted({0, 1, 3, 2})
                              : Layout::rowMajor(4);
  }
};

} // namespace tessel::synth

#endif // TESSEL_LIB_SYNTHESIS_KINDS_WINDOWKIND_H
