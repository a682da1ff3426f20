//===- ElementwiseKind.h - What Unary and Binary share ----------*- C++ -*-===//
//
// out = f(inputs) element by element (params[0] is f, Elementwise.h): one
// parallel loop per output dim, f32 or bf16 inputs, an f32 output, vector
// or scalar elementwise kernels.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_LIB_SYNTHESIS_KINDS_ELEMENTWISEKIND_H
#define TESSEL_LIB_SYNTHESIS_KINDS_ELEMENTWISEKIND_H

#include "tessel/Synthesis/Elementwise.h"
#include "tessel/Synthesis/Kind.h"

namespace tessel::synth {

class ElementwiseKind : public Kind {
public:
  ElementwiseKind(unsigned arity) : arity(arity) {}

  unsigned numOperands() const override { return arity + 1; }
  llvm::StringRef operandName(unsigned i) const override {
    if (i == arity)
      return "out";
    return arity == 1 ? "x" : i == 0 ? "lhs" : "rhs";
  }

  bool isValid(const Spec &s) const override {
    for (unsigned i = 0; i < arity; ++i)
      if (s.operands[i].dtype != Dtype::F32 &&
          s.operands[i].dtype != Dtype::BF16)
        return false;
    return s.operands[arity].dtype == Dtype::F32;
  }

  void printName(bool, const Params &params,
                 llvm::raw_ostream &os) const override {
    // "gelu_tanh" -> "GeluTanh"; "Add+Relu" with an epilogue.
    auto print = [&](uint8_t fn) {
      bool upper = true;
      for (char c : nameOf(ElementwiseFn(fn))) {
        if (c == '_') {
          upper = true;
          continue;
        }
        os << char(upper ? c - 'a' + 'A' : c);
        upper = false;
      }
    };
    print(params[0]);
    if (uint8_t epilogue = params[kEpilogueParam]) {
      os << '+';
      print(epilogue);
    }
  }

  llvm::ArrayRef<KernelId> kernels() const override {
    static const KernelId ks[] = {KernelId::VectorElementwise,
                                  KernelId::ScalarElementwise};
    return ks;
  }

  uint64_t arithmeticBound(const Spec &s, const Target &t) const override {
    // Whole vectors of the function and a store each, at best.
    const TensorSpec &out = s.output();
    uint64_t vecs = out.volume() / t.lanes(Dtype::F32);
    return vecs *
           (vectorOpsOf(ElementwiseFn(s.params[0]), s.params[kEpilogueParam]) *
                t.fmaCost +
            t.storeCost);
  }

protected:
  /// The function is one of this arity.
  bool validFn(const Spec &s) const { return arityOf(s.params[0]) == arity; }

  // params[1 + i]: the output dims along which input i is broadcast.

  /// Broadcasting along a dim of extent 1 is no broadcast.
  void clearUnitBroadcasts(Spec &s) const {
    const TensorSpec &out = s.operands[arity];
    for (unsigned d = 0; d < out.rank; ++d)
      if (out.shape[d] == 1)
        for (unsigned i = 0; i < arity; ++i)
          s.params[1 + i] &= ~(1u << d);
  }
  /// A broadcast dim is read whole by every iteration: no loop indexes it.
  void dropBroadcastLoops(const Spec &s, IterationSpace &space) const {
    for (unsigned d = 0; d < s.operands[arity].rank; ++d)
      for (unsigned i = 0; i < arity; ++i)
        if ((s.params[1 + i] >> d) & 1)
          space.maps[i][d] = IndexExpr();
  }

  unsigned arity;
};

} // namespace tessel::synth

#endif // TESSEL_LIB_SYNTHESIS_KINDS_ELEMENTWISEKIND_H
