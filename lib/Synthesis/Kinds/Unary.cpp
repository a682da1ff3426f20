//===- Unary.cpp - out = f(x), element by element -------------------------===//
//
// params[0]: f (relu, neg, abs, exp, tanh, sigmoid, gelu, gelu_tanh,
// reciprocal, broadcast); params[1]: the output dims along which x is broadcast (bit
// d: x has extent 1 there), as a Binary's inputs.
//
//===----------------------------------------------------------------------===//
#include "ElementwiseKind.h"

namespace tessel::synth {
namespace {

class Unary final : public ElementwiseKind {
public:
  Unary() : ElementwiseKind(1) {}
  llvm::StringRef name() const override { return "Unary"; }

  bool validParams(const Spec &s) const override {
    return validFn(s) && unusedParamsZero(s, 2) &&
           (s.params[1] >> s.operands[1].rank) == 0;
  }
  void canonicalize(Spec &s) const override { clearUnitBroadcasts(s); }
  bool index(const Spec &s, IterationSpace &space) const override {
    if (s.operands[0].rank != s.operands[1].rank)
      return false;
    space.setElementwise(s.operands[1].rank, 2);
    dropBroadcastLoops(s, space);
    return true;
  }
};

} // namespace

const Kind &UnaryKind() {
  static const Unary kind;
  return kind;
}

} // namespace tessel::synth
