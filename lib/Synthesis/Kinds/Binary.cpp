//===- Binary.cpp - out = f(lhs, rhs), element by element, broadcasting ---===//
//
// params[0]: f (add, sub, mul, div, max, min); params[1] and params[2]: the
// output dims along which lhs and rhs are broadcast (bit d: the input has
// extent 1 there and every output index reads it); params[3]: a unary
// epilogue g, out = g(f(lhs, rhs)), or 0 (kEpilogueParam). Inputs have the
// output's rank.
//
//===----------------------------------------------------------------------===//
#include "ElementwiseKind.h"

namespace tessel::synth {
namespace {

class Binary final : public ElementwiseKind {
public:
  Binary() : ElementwiseKind(2) {}
  llvm::StringRef name() const override { return "Binary"; }

  bool validParams(const Spec &s) const override {
    unsigned rank = s.operands[2].rank;
    uint8_t epilogue = s.params[kEpilogueParam];
    return validFn(s) && unusedParamsZero(s, kEpilogueParam + 1) &&
           (s.params[1] >> rank) == 0 && (s.params[2] >> rank) == 0 &&
           (epilogue == 0 || isEpilogue(epilogue));
  }
  void canonicalize(Spec &s) const override { clearUnitBroadcasts(s); }
  bool index(const Spec &s, IterationSpace &space) const override {
    unsigned rank = s.operands[2].rank;
    if (s.operands[0].rank != rank || s.operands[1].rank != rank)
      return false;
    space.setElementwise(rank, 3);
    dropBroadcastLoops(s, space);
    return true;
  }
};

} // namespace

const Kind &BinaryKind() {
  static const Binary kind;
  return kind;
}

} // namespace tessel::synth
