//===- Elementwise.h - The functions elementwise kinds apply ----*- C++ -*-===//
//
// Params[0] of a Unary or Binary spec: which function it applies. The
// ukernel dialect's `elementwise` op names the same functions, by name.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SYNTHESIS_ELEMENTWISE_H
#define TESSEL_SYNTHESIS_ELEMENTWISE_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>

namespace tessel::synth {

enum class ElementwiseFn : uint8_t {
  // Binary: out = f(lhs, rhs).
  Add,
  Sub,
  Mul,
  Div,
  Max,
  Min,
  // Unary: out = f(x).
  Relu,
  Neg,
  Abs,
  Exp,
  Tanh,
  Sigmoid,
  /// x/2 (1 + erf(x/sqrt 2)).
  Gelu,
  /// x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
  GeluTanh,
  // Ternary: out = a * b + c (a depthwise convolution's tap; no spec kind
  // applies it on its own).
  MulAdd,
  // Unary (appended: memo databases store these numbers): out = 1 / x.
  Reciprocal,
  /// out = x: a copy, broadcasting x along its unit dims.
  Broadcast,
};
constexpr unsigned kNumElementwiseFns = 17;

/// Params[kEpilogueParam] of a Binary spec: a unary function applied to its
/// result in the same pass (a bias add, then a ReLU), out = g(f(lhs, rhs))
/// with f's result rounded to f32 first, as if stored; 0 for none (0 is
/// add, never unary). Unary specs leave it 0.
constexpr unsigned kEpilogueParam = 3;

/// Params[0] of a Reduce spec: how it combines.
enum class ReduceFn : uint8_t { Sum, Max, Min };
constexpr unsigned kNumReduceFns = 3;

/// "sum", "max", "min" (as the ukernel dialect spells them).
llvm::StringRef nameOf(ReduceFn fn);
std::optional<ReduceFn> reduceFnNamed(llvm::StringRef name);

/// 1, 2 or 3; 0 for a byte that names no function.
unsigned arityOf(uint8_t fn);
/// The catalog's functions of `n` inputs, in catalog order.
llvm::SmallVector<ElementwiseFn, 16> functionsOfArity(unsigned n);
/// e.g. "add", "gelu_tanh" (as the ukernel dialect spells them).
llvm::StringRef nameOf(ElementwiseFn fn);
std::optional<ElementwiseFn> elementwiseFnNamed(llvm::StringRef name);
/// Full-width vector operations one application takes at best (the cost
/// model's unit is one FMA slot): 1 for arithmetic, more for division and
/// the polynomial approximations of exp, tanh and erf (docs/cost-model.md).
unsigned vectorOpsOf(ElementwiseFn fn);
/// vectorOpsOf(fn), plus the epilogue's (kEpilogueParam; 0: none).
unsigned vectorOpsOf(ElementwiseFn fn, uint8_t epilogue);
/// Whether `fn` may be an epilogue: a unary function other than the
/// identity.
inline bool isEpilogue(uint8_t fn) {
  return arityOf(fn) == 1 && fn != uint8_t(ElementwiseFn::Broadcast);
}

/// f(x, y) (y unused by unary functions) in double precision: what each
/// function means, for the reference interpreter and for recognising the
/// bodies of imported ops. NaN for muladd.
double evaluate(ElementwiseFn fn, double x, double y = 0);

} // namespace tessel::synth

#endif // TESSEL_SYNTHESIS_ELEMENTWISE_H
