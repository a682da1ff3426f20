//===- DepthwiseConv.cpp - One filter per channel -------------------------===//
//
// out[n,y,x,c] (+)= sum_{r,s} image[n, y*sh+r*dh, x*sw+s*dw, c] * w[r,s,c].
//
// A depthwise 2-D convolution: each channel convolved with its own filter,
// over logical NHWC images, HWC filters and NHWC outputs (NCHW/CHW are
// layouts of these dims). Loops n, y, x, c (parallel: out's dims) and r, s
// (reductions); params and windows as Conv's (WindowKind.h). There is no
// channel reduction, so no matrix product: at one tap, a row of outputs is
// an elementwise multiply-add of an image row and the filter's channels
// (broadcast along x), in vectors along the output's contiguous dim, and a
// register tile of one output row keeps its accumulators across the taps.
//
//===----------------------------------------------------------------------===//
#include "WindowKind.h"

#include "tessel/Synthesis/Cost.h"

namespace tessel::synth {
namespace {

class DepthwiseConv final : public WindowKind {
public:
  llvm::StringRef name() const override { return "DepthwiseConv"; }

  bool index(const Spec &s, IterationSpace &space) const override {
    if (s.operands[0].rank != 4 || s.operands[1].rank != 3 ||
        s.operands[2].rank != 4)
      return false;
    space.numLoops = 6;
    space.numParallel = 4;
    space.batchMask = 1u << N;
    space.names = {'n', 'y', 'x', 'c', 'r', 's'};
    indexImage(s, space, Channel);
    space.maps[1] = {IndexExpr::of(R), IndexExpr::of(S),
                     IndexExpr::of(Channel)};
    return true;
  }
  llvm::ArrayRef<KernelId> kernels() const override {
    static const KernelId ks[] = {KernelId::VectorMulAddTile,
                                  KernelId::ScalarMulAdd};
    return ks;
  }
  std::optional<MatmulForm> matmulForm(const Spec &s) const override {
    // One channel of one output at one tap is a product of scalars (the
    // scalar kernel's form); anything larger is not a matrix product.
    for (const TensorSpec &o : s.operands)
      if (o.volume() != 1)
        return std::nullopt;
    MatmulForm form;
    for (auto &dims : form.dims)
      dims.fill(-1);
    for (auto &steps : form.steps)
      steps.fill(1);
    return form;
  }
  bool copiesInput(const Spec &, unsigned) const override {
    // Each image element meets r * s filter elements: nothing gains from
    // a relayout that a copy would pay for. Views enter caches.
    return false;
  }

  uint64_t arithmeticBound(const Spec &s, const Target &t) const override {
    // Every multiply-add at the vector kernel's rate (a multiply-add and
    // the loads of an image and a filter vector per `lanes` of them) or
    // the scalar kernel's, whichever is lower.
    const TensorSpec &w = s.operands[1], &out = s.operands[2];
    uint64_t macs =
        satMul(out.volume(), uint64_t(w.shape[0]) * uint64_t(w.shape[1]));
    uint64_t vector =
        satMul(macs, t.fmaCost + 2 * t.loadCost) / t.lanes(Dtype::F32);
    uint64_t scalar = satMul(macs, t.scalarOpCost);
    return satAdd(std::min(vector, scalar), outputStoresBound(s, t));
  }
};

} // namespace

const Kind &DepthwiseConvKind() {
  static const DepthwiseConv kind;
  return kind;
}

} // namespace tessel::synth
