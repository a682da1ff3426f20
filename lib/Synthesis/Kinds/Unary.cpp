//===- Unary.cpp - out = f(x), element by element -------------------------===//
//
// params[0]: f (relu, neg, abs, exp, tanh, sigmoid, gelu, gelu_tanh,
// reciprocal).
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
    return validFn(s) && unusedParamsZero(s, 1);
  }
  bool index(const Spec &s, IterationSpace &space) const override {
    if (s.operands[0].rank != s.operands[1].rank)
      return false;
    space.setElementwise(s.operands[1].rank, 2);
    return true;
  }
};

} // namespace

const Kind &UnaryKind() {
  static const Unary kind;
  return kind;
}

} // namespace tessel::synth
