//===- Conv.cpp - out[n,y,x,f] (+)= image[n,y*sh+r*dh,x*sw+s*dw,c] * w[r,s,c,f]
//
// A 2-D convolution over logical NHWC images, HWCF filters and NHWC
// outputs; other physical layouts (NCHW, FCHW, ...) are layouts of these
// dims. params: stride h, stride w, dilation h, dilation w. Loops n, y, x, f
// (parallel: out's dims) and r, s, c (reductions), so output tiles read
// halo image tiles and splits along r and s step through the filter taps.
// At one tap and one output row the convolution is a matrix product on a
// strided view of the image (matmulForm): a register tile of x by f keeps
// its accumulators across every tap and channel while the matmul kernels
// run on each.
//
//===----------------------------------------------------------------------===//
#include "WindowKind.h"
#include "tessel/Synthesis/Cost.h"

namespace tessel::synth {
namespace {

/// The input channels: Conv's loop after WindowKind's.
constexpr unsigned C = WindowKind::S + 1;

class Conv final : public WindowKind {
public:
  llvm::StringRef name() const override { return "Conv"; }

  bool index(const Spec &s, IterationSpace &space) const override {
    for (unsigned i = 0; i < 3; ++i)
      if (s.operands[i].rank != 4)
        return false;
    space.numLoops = 7;
    space.numParallel = 4;
    space.batchMask = 1u << N;
    space.names = {'n', 'y', 'x', 'f', 'r', 's', 'c'};
    indexImage(s, space, C);
    space.maps[1] = {IndexExpr::of(R), IndexExpr::of(S), IndexExpr::of(C),
                     IndexExpr::of(Channel)};
    return true;
  }
  llvm::ArrayRef<KernelId> kernels() const override {
    static const KernelId ks[] = {KernelId::BroadcastFmaTile,
                                  KernelId::DotBf16Tile,
                                  KernelId::ScalarMulAdd};
    return ks;
  }
  std::optional<MatmulForm> matmulForm(const Spec &s) const override {
    const TensorSpec &w = s.operands[1], &out = s.operands[2];
    if (out.shape[0] != 1 || out.shape[1] != 1 || w.shape[0] != 1 ||
        w.shape[1] != 1)
      return std::nullopt;
    uint8_t sw = s.params[StrideW];
    MatmulForm form;
    if (vectorsAlongX(out)) {
      // out[f, x] += filter[f, c] * image[c, x]: m = f, k = c, n = x.
      form.operands = {1, 0, 2};
      form.dims = {{{-1, -1, 1, 0}, {-1, -1, 2, 1}, {-1, -1, 2, 0}}};
      form.steps = {{{1, 1, 1, 1}, {1, 1, sw, 1}, {1, 1, 1, 1}}};
      return form;
    }
    // out[x, f] += image[x, c] * filter[c, f]: m = x, k = c, n = f.
    form.dims = {{{-1, -1, 0, 1}, {-1, -1, 1, 2}, {-1, -1, 0, 2}}};
    form.steps = {{{1, 1, sw, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}}};
    return form;
  }

  bool copiesInput(const Spec &s, unsigned i) const override {
    // The filters: into row-major HWCF (f contiguous, as the NHWC form's
    // vector loads need) or widened to f32. The image needs none: its
    // elements are broadcast (NHWC) or read along x (NCHW) where they lie;
    // copying its halo tiles only multiplies the search.
    return i == 1;
  }
  void copyLayouts(const Spec &s, unsigned i, Dtype dtype, const Target &t,
                   llvm::SmallVectorImpl<Layout> &out) const override {
    // bf16 filters in pairs along c for vdpbf16ps: [r][s][c/2][f][2] (the
    // NHWC form's B, whose k is c; the image's channel pairs are adjacent
    // as they lie).
    uint32_t c = s.operands[1].shape[2];
    if (i == 1 && dtype == Dtype::BF16 && t.hasBf16Dot && c % 2 == 0 && c > 2 &&
        !vectorsAlongX(s.operands[2]))
      out.push_back(Layout::packed({0, 1, 2, 3}, 2, 2));
  }
  uint64_t arithmeticBound(const Spec &s, const Target &t) const override {
    // At best the rate of an x-by-f (NHWC) or f-by-x (NCHW) register tile
    // with every other loop folded into its k: the convolution's kernels
    // are such products. B's columns along k admit every matmul kernel
    // (the bound is the lowest over layouts); inputs count as f32, but a
    // bf16 image, which is never copied, and bf16 filters past the last
    // copy (below main memory) are widened as they are loaded -- unless
    // vdpbf16ps may still apply (NHWC, both bf16, filters in main memory or
    // in pairs along c), at two MACs a step.
    const TensorSpec &image = s.operands[0], &w = s.operands[1],
                     &out = s.operands[2];
    // The MACs per (x, f) pair; the proxy's k only shapes the rate.
    uint64_t perOutput = satMul(uint64_t(out.shape[0]) * out.shape[1],
                                uint64_t(w.shape[0]) * w.shape[1] * w.shape[2]);
    uint32_t k = uint32_t(std::min<uint64_t>(perOutput, UINT32_MAX));
    uint64_t imageWiden = image.dtype == Dtype::BF16 ? t.cvtCost : 0;
    uint64_t filterWiden =
        w.dtype == Dtype::BF16 && w.level != MemoryLevel::GL ? t.cvtCost : 0;
    uint32_t x = out.shape[2], f = out.shape[3];
    uint64_t num = t.scalarOpCost, den = 1;
    auto consider = [&](uint32_t m, uint32_t n, uint64_t rowExtra,
                        uint64_t vectorExtra, unsigned macsPerStep = 1) {
      TensorSpec ta = TensorSpec::rowMajor({1, m, k}, Dtype::F32, image.level);
      TensorSpec tb = TensorSpec::buffer({1, k, n}, Dtype::F32, w.level,
                                         Layout::colMajor(3));
      TensorSpec tc = TensorSpec::buffer({1, m, n}, out.dtype, out.level,
                                         Layout::rowMajor(3), out.vectorLanes);
      auto [n1, d1] =
          registerTileMacRate(Spec::matmul(ta, tb, tc, s.accum, s.limits), t,
                              macsPerStep, rowExtra, vectorExtra);
      if (n1 * den < num * d1)
        num = n1, den = d1;
    };
    consider(x, f, imageWiden, filterWiden);
    consider(f, x, filterWiden, imageWiden);
    if (t.hasBf16Dot && image.dtype == Dtype::BF16 && w.dtype == Dtype::BF16) {
      if (!vectorsAlongX(out) &&
          (w.level == MemoryLevel::GL || w.layout.size() == 0 ||
           w.layout.innermostDim() == 2)) // the filters' c: in pairs
        consider(x, f, 0, 0, 2);
      // Vectors along x: the image is the pair-packed operand, which only
      // its given layout can be (it is never copied).
      const Layout &l = image.layout;
      if (vectorsAlongX(out) && l.size() > 0 && l.block(l.size() - 1))
        consider(f, x, 0, 0, 2);
    }
    uint64_t macs = satMul(uint64_t(x) * f, perOutput);
    return satAdd(satMul(macs, num) / den, outputStoresBound(s, t));
  }
};

} // namespace

const Kind &ConvKind() {
  static const Conv kind;
  return kind;
}

} // namespace tessel::synth
