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
#include "tessel/Synthesis/Kind.h"

namespace tessel::synth {
namespace {

enum Loop { N, Y, X, F, R, S, C };
enum Param { StrideH, StrideW, DilationH, DilationW };

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
    // m = x, k = c, n = f.
    MatmulForm form;
    form.dims = {{{-1, -1, 0, 1}, {-1, -1, 1, 2}, {-1, -1, 0, 2}}};
    form.steps = {{{1, 1, s.params[StrideW], 1}, {1, 1, 1, 1}, {1, 1, 1, 1}}};
    return form;
  }

  bool stagesInputs() const override { return true; }
  bool registerTile(const Spec &s, const Target &) const override {
    // A tile of one output row: x by f accumulators.
    const TensorSpec &out = s.operands[2];
    return out.dtype == Dtype::F32 && out.shape[0] == 1 && out.shape[1] == 1;
  }

  uint64_t arithmeticBound(const Spec &s, const Target &t) const override {
    // At best the rate of an x-by-f matrix product with every other loop
    // folded into its k: the convolution's kernels are such products.
    const TensorSpec &image = s.operands[0], &w = s.operands[1],
                     &out = s.operands[2];
    uint32_t k =
        out.shape[0] * out.shape[1] * w.shape[0] * w.shape[1] * w.shape[2];
    Layout filterLayout = w.layout.size() && w.layout.innermostDim() == 2
                              ? Layout::colMajor(3)
                              : Layout::rowMajor(3);
    TensorSpec a =
        TensorSpec::rowMajor({1, out.shape[2], k}, image.dtype, image.level);
    TensorSpec b = TensorSpec::buffer({1, k, out.shape[3]}, w.dtype, w.level,
                                      filterLayout);
    TensorSpec c =
        TensorSpec::buffer({1, out.shape[2], out.shape[3]}, out.dtype,
                           out.level, Layout::rowMajor(3), out.vectorLanes);
    return kindOf(SpecKind::Matmul)
        .arithmeticBound(Spec::matmul(a, b, c, s.accum, s.limits), t);
  }
};

} // namespace

const Kind &ConvKind() {
  static const Conv kind;
  return kind;
}

} // namespace tessel::synth
