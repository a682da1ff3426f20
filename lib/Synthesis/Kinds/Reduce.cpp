//===- Reduce.cpp - out (op)= reduce(x) along one dim ---------------------===//
//
// params[0]: the combining function (ReduceFn: sum, max or min); params[1]: the
// reduced dim d of x; params[2]: 1 if out keeps d (as extent 1), 0 if out
// drops it. Loops: out's dims (parallel), then d (the reduction). x is f32 or
// bf16, out f32.
//
//===----------------------------------------------------------------------===//
#include "tessel/Synthesis/Elementwise.h"
#include "tessel/Synthesis/Kind.h"

namespace tessel::synth {
namespace {

class Reduce final : public Kind {
public:
  llvm::StringRef name() const override { return "Reduce"; }
  unsigned numOperands() const override { return 2; }
  llvm::StringRef operandName(unsigned i) const override {
    return i == 0 ? "x" : "out";
  }
  bool accumulates() const override { return true; }

  bool validParams(const Spec &s) const override {
    return unusedParamsZero(s, 3) && s.params[0] <= uint8_t(ReduceFn::Min) &&
           s.params[1] < s.operands[0].rank && s.params[2] <= 1;
  }
  bool index(const Spec &s, IterationSpace &space) const override {
    unsigned rank = s.operands[0].rank, d = s.params[1];
    bool keep = s.params[2];
    unsigned outRank = keep ? rank : rank - 1;
    if (d >= rank || s.operands[1].rank != outRank || outRank == 0)
      return false;
    space.numParallel = uint8_t(outRank);
    space.numLoops = uint8_t(outRank + 1);
    for (unsigned j = 0; j < outRank; ++j)
      space.maps[1][j] = IndexExpr::of(j);
    for (unsigned j = 0; j < rank; ++j)
      space.maps[0][j] = IndexExpr::of(j == d          ? outRank
                                       : keep || j < d ? j
                                                       : j - 1);
    return true;
  }
  bool isValid(const Spec &s) const override {
    Dtype in = s.operands[0].dtype;
    return (in == Dtype::F32 || in == Dtype::BF16) &&
           s.operands[1].dtype == Dtype::F32;
  }

  void printName(bool accum, const Params &params,
                 llvm::raw_ostream &os) const override {
    // "ReduceSum", "ReduceMaxAccum", ...
    llvm::StringRef fn = nameOf(ReduceFn(params[0]));
    os << "Reduce" << char(fn[0] - 'a' + 'A') << fn.drop_front()
       << (accum ? "Accum" : "");
  }
  void printSizes(const Spec &s, llvm::raw_ostream &os) const override {
    os << " along " << unsigned(s.params[1]);
  }

  llvm::ArrayRef<KernelId> kernels() const override {
    static const KernelId ks[] = {KernelId::VectorReduce,
                                  KernelId::ScalarReduce};
    return ks;
  }
  std::optional<FillValue> accumulatorInit(const Spec &s) const override {
    switch (ReduceFn(s.params[0])) {
    case ReduceFn::Sum:
      return FillValue::Zero;
    case ReduceFn::Max:
      return FillValue::NegInf;
    case ReduceFn::Min:
      return FillValue::Inf;
    }
    return std::nullopt;
  }

  uint64_t arithmeticBound(const Spec &s, const Target &t) const override {
    // One combining op per input vector, at best.
    return s.operands[0].volume() / t.lanes(Dtype::F32) * t.fmaCost;
  }
};

} // namespace

const Kind &ReduceKind() {
  static const Reduce kind;
  return kind;
}

} // namespace tessel::synth
