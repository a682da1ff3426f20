//===- Move.cpp - dst = src: copy, relayout, pack or widening cast --------===//
#include "tessel/Synthesis/Kind.h"

namespace tessel::synth {
namespace {

class Move final : public Kind {
public:
  llvm::StringRef name() const override { return "Move"; }
  unsigned numOperands() const override { return 2; }
  llvm::StringRef operandName(unsigned i) const override {
    return i == 0 ? "src" : "dst";
  }

  bool index(const Spec &s, IterationSpace &space) const override {
    if (s.operands[0].rank != s.operands[1].rank)
      return false;
    space.setElementwise(s.operands[1].rank, 2);
    return true;
  }
  bool isValid(const Spec &s) const override {
    Dtype from = s.operands[0].dtype, to = s.operands[1].dtype;
    return from == to || isWideningCast(from, to);
  }

  llvm::ArrayRef<KernelId> kernels() const override {
    static const KernelId ks[] = {
        KernelId::VectorMove, KernelId::VectorCvtBf16F32,
        KernelId::VectorPackBf16Pairs, KernelId::ScalarMove};
    return ks;
  }

  uint64_t arithmeticBound(const Spec &s, const Target &t) const override {
    // At best whole vectors: a load from memory and/or a store to memory.
    const TensorSpec &src = s.operands[0], &dst = s.operands[1];
    uint64_t vecs = dst.volume() / t.lanes(dst.dtype);
    return vecs * ((isRegisterLevel(src.level) ? 0 : t.loadCost) +
                   (isRegisterLevel(dst.level) ? 0 : t.storeCost));
  }
};

} // namespace

const Kind &MoveKind() {
  static const Move kind;
  return kind;
}

} // namespace tessel::synth
