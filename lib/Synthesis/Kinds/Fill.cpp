//===- Fill.cpp - dst = a constant (Spec::param is the FillValue) ---------===//
#include "tessel/Synthesis/Kind.h"

namespace tessel::synth {
namespace {

class Fill final : public Kind {
public:
  llvm::StringRef name() const override { return "Fill"; }
  unsigned numOperands() const override { return 1; }
  llvm::StringRef operandName(unsigned) const override { return "dst"; }
  bool validParams(const Spec &s) const override {
    return s.params[0] <= uint8_t(FillValue::Inf) && unusedParamsZero(s, 1);
  }

  bool index(const Spec &s, IterationSpace &space) const override {
    space.setElementwise(s.operands[0].rank, 1);
    return true;
  }
  void printName(bool, const Params &params,
                 llvm::raw_ostream &os) const override {
    switch (FillValue(params[0])) {
    case FillValue::Zero:
      os << "FillZero";
      return;
    case FillValue::NegInf:
      os << "FillNegInf";
      return;
    case FillValue::Min:
      os << "FillMin";
      return;
    case FillValue::Inf:
      os << "FillInf";
      return;
    }
    os << "Fill";
  }

  llvm::ArrayRef<KernelId> kernels() const override {
    static const KernelId ks[] = {KernelId::VectorFill, KernelId::ScalarFill};
    return ks;
  }

  uint64_t arithmeticBound(const Spec &s, const Target &t) const override {
    const TensorSpec &dst = s.operands[0];
    uint64_t vecs = dst.volume() / t.lanes(dst.dtype);
    return vecs * (isRegisterLevel(dst.level) ? t.loadCost : t.storeCost);
  }
};

} // namespace

const Kind &FillKind() {
  static const Fill kind;
  return kind;
}

} // namespace tessel::synth
