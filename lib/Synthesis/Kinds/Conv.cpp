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
#include "tessel/Synthesis/Cost.h"
#include "tessel/Synthesis/Kind.h"

namespace tessel::synth {
namespace {

enum Loop { N, Y, X, F, R, S, C };
enum Param { StrideH, StrideW, DilationH, DilationW };

/// Whether the output's vectors run along x (an NCHW output): its
/// innermost physical dim.
bool vectorsAlongX(const TensorSpec &out) {
  return out.layout.size() && out.layout.innermostDim() == X;
}

class Conv final : public Kind {
public:
  llvm::StringRef name() const override { return "Conv"; }
  unsigned numOperands() const override { return 3; }
  llvm::StringRef operandName(unsigned i) const override {
    static const char *names[] = {"image", "filter", "out"};
    return names[i];
  }
  bool labelsOperands() const override { return true; }
  bool accumulates() const override { return true; }

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
    if (out.rank != 4 || w.rank != 4)
      return;
    if (out.shape[1] == 1)
      s.params[StrideH] = 1;
    if (out.shape[2] == 1)
      s.params[StrideW] = 1;
    if (w.shape[0] == 1)
      s.params[DilationH] = 1;
    if (w.shape[1] == 1)
      s.params[DilationW] = 1;
  }

  bool index(const Spec &s, IterationSpace &space) const override {
    for (unsigned i = 0; i < 3; ++i)
      if (s.operands[i].rank != 4)
        return false;
    space.numLoops = 7;
    space.numParallel = 4;
    space.batchMask = 1u << N;
    space.names = {'n', 'y', 'x', 'f', 'r', 's', 'c'};
    auto &image = space.maps[0], &filter = space.maps[1], &out = space.maps[2];
    image = {
        IndexExpr::of(N),
        IndexExpr::slidingWindow(Y, R, s.params[StrideH], s.params[DilationH]),
        IndexExpr::slidingWindow(X, S, s.params[StrideW], s.params[DilationW]),
        IndexExpr::of(C)};
    filter = {IndexExpr::of(R), IndexExpr::of(S), IndexExpr::of(C),
              IndexExpr::of(F)};
    out = {IndexExpr::of(N), IndexExpr::of(Y), IndexExpr::of(X),
           IndexExpr::of(F)};
    return true;
  }
  bool isValid(const Spec &s) const override {
    // f32 or bf16 inputs (either may have been widened by a copy).
    auto input = [&](unsigned i) {
      return s.operands[i].dtype == Dtype::F32 ||
             s.operands[i].dtype == Dtype::BF16;
    };
    return input(0) && input(1) && s.operands[2].dtype == Dtype::F32;
  }

  void printSizes(const Spec &s, llvm::raw_ostream &os) const override {
    const TensorSpec &w = s.operands[1], &out = s.operands[2];
    os << ' ' << out.shape[0] << 'x' << out.shape[1] << 'x' << out.shape[2]
       << 'x' << out.shape[3] << " by " << w.shape[0] << 'x' << w.shape[1]
       << 'x' << w.shape[2];
    if (s.params[StrideH] != 1 || s.params[StrideW] != 1)
      os << " stride " << unsigned(s.params[StrideH]) << 'x'
         << unsigned(s.params[StrideW]);
    if (s.params[DilationH] != 1 || s.params[DilationW] != 1)
      os << " dilation " << unsigned(s.params[DilationH]) << 'x'
         << unsigned(s.params[DilationW]);
  }

  bool tilesInBlocks(const Spec &s, unsigned d) const override {
    // Register tiles are one output row: rows are cut in cache blocks, and
    // so is the dim the tile's rows run along (x, or f for an NCHW output)
    // until a tile is down to one row.
    const TensorSpec &out = s.operands[2];
    unsigned tileRows = vectorsAlongX(out) ? F : X;
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
    return dense(out.shape[1], w.shape[0], s.params[StrideH],
                 s.params[DilationH]) &&
           dense(out.shape[2], w.shape[1], s.params[StrideW],
                 s.params[DilationW]);
  }

  llvm::ArrayRef<KernelId> kernels() const override {
    static const KernelId ks[] = {KernelId::BroadcastFmaTile,
                                  KernelId::ScalarMulAdd};
    return ks;
  }
  std::optional<FillValue> accumulatorInit(const Spec &) const override {
    return FillValue::Zero;
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

  bool stagesInputs() const override { return true; }
  bool copiesInput(const Spec &s, unsigned i) const override {
    // The filters: into row-major HWCF (f contiguous, as the NHWC form's
    // vector loads need) or widened to f32. The image needs none: its
    // elements are broadcast (NHWC) or read along x (NCHW) where they lie;
    // copying its halo tiles only multiplies the search.
    return i == 1;
  }
  std::optional<Layout> registerTile(const Spec &s,
                                     const Target &) const override {
    // A tile of one output row: x by f accumulators, the vectors along the
    // output's contiguous dim.
    const TensorSpec &out = s.operands[2];
    if (out.dtype != Dtype::F32 || out.shape[0] != 1 || out.shape[1] != 1)
      return std::nullopt;
    return vectorsAlongX(out) ? Layout::permuted({0, 1, 3, 2})
                              : Layout::rowMajor(4);
  }

  uint64_t arithmeticBound(const Spec &s, const Target &t) const override {
    // At best the rate of an x-by-f (NHWC) or f-by-x (NCHW) register tile
    // with every other loop folded into its k: the convolution's kernels
    // are such products. B's columns along k admit every matmul kernel
    // (the bound is the lowest over layouts); inputs count as f32, as the
    // kernel has no vdpbf16ps step, but a bf16 image, which is never copied,
    // and bf16 filters past the last copy (below main memory) are widened
    // as they are loaded.
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
                        uint64_t vectorExtra) {
      TensorSpec ta = TensorSpec::rowMajor({1, m, k}, Dtype::F32, image.level);
      TensorSpec tb = TensorSpec::buffer({1, k, n}, Dtype::F32, w.level,
                                         Layout::colMajor(3));
      TensorSpec tc = TensorSpec::buffer({1, m, n}, out.dtype, out.level,
                                         Layout::rowMajor(3), out.vectorLanes);
      auto [n1, d1] =
          registerTileMacRate(Spec::matmul(ta, tb, tc, s.accum, s.limits), t, 1,
                              rowExtra, vectorExtra);
      if (n1 * den < num * d1)
        num = n1, den = d1;
    };
    consider(x, f, imageWiden, filterWiden);
    consider(f, x, filterWiden, imageWiden);
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
