//===- Matmul.cpp - C[b,m,n] (+)= A[b,m,k] * B[b,k,n] ---------------------===//
//
// Loops b, m, n (parallel: C's dims) and k (reduction). A and B may be
// staged in caches, packed ([b][n/nb][k][nb] panels of B, bf16 pairs along
// k for vdpbf16ps) or widened; C's tile may live in vector registers.
//
//===----------------------------------------------------------------------===//
#include "tessel/Synthesis/Cost.h"
#include "tessel/Synthesis/Kind.h"
#include "llvm/Support/MathExtras.h"

namespace tessel::synth {
namespace {} // namespace

std::pair<uint64_t, uint64_t>
registerTileMacRate(const Spec &s, const Target &t, unsigned macsPerStep,
                    uint64_t rowExtra, uint64_t vectorExtra) {
  unsigned lanes = t.lanes(Dtype::F32);
  uint32_t opCost = macsPerStep == 2 ? t.bf16DotCost : t.fmaCost;
  const TensorSpec &c = s.operands[2];
  uint64_t bestNum = t.scalarOpCost, bestDen = 1;
  uint32_t regs = s.limits[MemoryLevel::VRF];
  uint32_t maxNv = llvm::divideCeil(s.n(), lanes);
  // mr x nv vectors per step doing mr x cols useful multiply-adds.
  auto consider = [&](uint64_t mr, uint64_t nv, uint64_t cols) {
    uint64_t num = std::max<uint64_t>(mr * nv * opCost, t.fmaLatencyFloor) +
                   (mr + nv) * t.loadCost + mr * rowExtra + nv * vectorExtra;
    uint64_t den = mr * cols * macsPerStep;
    if (num * bestDen < bestNum * den)
      bestNum = num, bestDen = den;
  };
  // The rate improves with every extra row of the tile (the B loads are
  // shared by more FMAs), so each width needs only its tallest tile that
  // fits. With C already in registers only the scratch must fit.
  bool cInVrf = c.level == MemoryLevel::VRF;
  uint64_t maxMr = std::min<uint64_t>(s.m(), 32);
  for (uint64_t nv = 1; nv <= maxNv && nv + 1 + (cInVrf ? 0 : nv) <= regs; ++nv)
    // A last vector may be partial: nv vectors cover at most n columns.
    consider(cInVrf ? maxMr : std::min(maxMr, (regs - nv - 1) / nv), nv,
             std::min<uint64_t>(nv * lanes, s.n()));
  // DotReduceTile (vectors along k, any n): mr x nr accumulators plus mr A
  // vectors and one B vector, at a full vector of MACs per multiply-add.
  // Its B columns run along k; unless they do here, only single columns
  // ever will (a tile of one column, copied).
  const TensorSpec &b = s.operands[1];
  bool columnsAlongK = b.layout.size() == 0 || b.layout.innermostDim() == 1;
  uint64_t maxNr = std::min<uint64_t>(columnsAlongK ? s.n() : 1, 32);
  if (macsPerStep == 1 && !cInVrf)
    for (uint64_t nr = 1; nr <= maxNr; ++nr) {
      uint64_t mr = std::min(maxMr, regs ? uint64_t(regs - 1) / (nr + 1) : 0);
      if (mr == 0)
        break;
      consider(mr, nr, nr * lanes);
    }
  return {bestNum, bestDen};
}

namespace {

class Matmul final : public Kind {
public:
  llvm::StringRef name() const override { return "Matmul"; }
  unsigned numOperands() const override { return 3; }
  llvm::StringRef operandName(unsigned i) const override {
    static const char *names[] = {"A", "B", "C"};
    return names[i];
  }
  bool labelsOperands() const override { return true; }
  bool accumulates() const override { return true; }

  bool index(const Spec &s, IterationSpace &space) const override {
    for (unsigned i = 0; i < 3; ++i)
      if (s.operands[i].rank != 3)
        return false;
    enum { B, M, N, K };
    space.numLoops = 4;
    space.numParallel = 3;
    space.batchMask = 1u << B;
    space.names = {'b', 'm', 'n', 'k'};
    auto map = [&](unsigned i, std::array<unsigned, 3> loops) {
      for (unsigned d = 0; d < 3; ++d)
        space.maps[i][d] = IndexExpr::of(loops[d]);
    };
    map(0, {B, M, K});
    map(1, {B, K, N});
    map(2, {B, M, N});
    return true;
  }

  void printSizes(const Spec &s, llvm::raw_ostream &os) const override {
    os << ' ';
    if (s.b() != 1)
      os << s.b() << 'x';
    os << s.m() << 'x' << s.k() << 'x' << s.n();
  }

  llvm::ArrayRef<KernelId> kernels() const override {
    static const KernelId ks[] = {
        KernelId::BroadcastFmaTile, KernelId::DotBf16Tile,
        KernelId::DotReduceTile, KernelId::ScalarMulAdd};
    return ks;
  }
  std::optional<FillValue> accumulatorInit(const Spec &) const override {
    return FillValue::Zero;
  }

  bool stagesInputs() const override { return true; }
  void copyLayouts(const Spec &s, unsigned i, Dtype dtype, const Target &t,
                   llvm::SmallVectorImpl<Layout> &out) const override {
    if (i != 1)
      return;
    // B: [b][n/nb][k][nb] panels, one register-tile width nb apart.
    uint32_t n = s.n();
    unsigned lanes = t.lanes(Dtype::F32);
    for (unsigned v = 1; v <= 4; ++v) {
      uint32_t nb = v * lanes;
      if (nb < n && n % nb == 0)
        out.push_back(Layout::packed({0, 2, 1}, 2, nb));
    }
    // bf16 pairs along k for vdpbf16ps: [b][k/2][n][2].
    if (dtype == Dtype::BF16 && t.hasBf16Dot && s.k() % 2 == 0 && s.k() > 2)
      out.push_back(Layout::packed({0, 1, 2}, 1, 2));
  }
  std::optional<MatmulForm> matmulForm(const Spec &s) const override {
    // The kernels' product is one batch: (b, m, k), (b, k, n), (b, m, n).
    if (s.b() != 1)
      return std::nullopt;
    MatmulForm form;
    form.dims = {{{-1, 0, 1}, {-1, 1, 2}, {-1, 0, 2}}};
    form.steps = {{{1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}}};
    return form;
  }
  std::optional<Layout> registerTile(const Spec &s,
                                     const Target &) const override {
    // The register-tile kernels hold one batch of f32 accumulators.
    if (s.operands[2].dtype != Dtype::F32 || s.b() != 1)
      return std::nullopt;
    return Layout::rowMajor(3);
  }
  uint64_t prefetchCover(const Spec &s, const Target &t) const override {
    return fmaTicks(s, t);
  }
  bool prefetchesInputs() const override { return true; }

  uint64_t arithmeticBound(const Spec &s, const Target &t) const override {
    uint64_t macs = uint64_t(s.b()) * s.m() * s.k() * s.n();
    const TensorSpec &a = s.operands[0], &b = s.operands[1], &c = s.operands[2];
    // bf16 is widened in registers by the FMA kernel; other inputs are
    // widened (or re-laid out) only by copies out of main memory, so below
    // that their dtype and layout are final, and bf16 there costs a
    // widening per A row and B vector of every k step.
    auto f32able = [](const TensorSpec &x) {
      return x.dtype == Dtype::F32 || x.dtype == Dtype::BF16 ||
             (x.level == MemoryLevel::GL &&
              isWideningCast(x.dtype, Dtype::F32));
    };
    bool vectorF32 = c.dtype == Dtype::F32 && f32able(a) && f32able(b);
    bool dotBf16 = t.hasBf16Dot && c.dtype == Dtype::F32 &&
                   a.dtype == Dtype::BF16 && b.dtype == Dtype::BF16 &&
                   (b.level == MemoryLevel::GL ||
                    b.layout.innermostDim() == 1 || b.layout.size() == 0);
    uint64_t num = t.scalarOpCost, den = 1; // the scalar kernel
    if (vectorF32) {
      auto widenedAsLoaded = [&](const TensorSpec &x) -> uint64_t {
        return x.dtype == Dtype::BF16 && x.level != MemoryLevel::GL ? t.cvtCost
                                                                    : 0;
      };
      auto [n1, d1] =
          registerTileMacRate(s, t, 1, widenedAsLoaded(a), widenedAsLoaded(b));
      if (n1 * den < num * d1)
        num = n1, den = d1;
    }
    if (dotBf16) {
      auto [n2, d2] = registerTileMacRate(s, t, 2);
      if (n2 * den < num * d2)
        num = n2, den = d2;
    }
    return satAdd(satMul(macs, num) / den, outputStoresBound(s, t));
  }
};

} // namespace

const Kind &MatmulKind() {
  static const Matmul kind;
  return kind;
}

} // namespace tessel::synth
