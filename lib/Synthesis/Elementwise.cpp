//===- Elementwise.cpp - The functions elementwise kinds apply ------------===//
#include "tessel/Synthesis/Elementwise.h"

#include <algorithm>
#include <cmath>

namespace tessel::synth {

namespace {
struct FnInfo {
  const char *name;
  unsigned arity;
  unsigned vectorOps;
};
// Operation counts of the emitted code (UkernelToVector's Elementwise.cpp
// and upstream's polynomial approximations): exp is a clamp, a range
// reduction, a degree-7 polynomial and vscalefps on AVX-512 (upstream's
// degree-6 polynomial and exponent insertion elsewhere; ~12); tanh a
// rational approximation (~16, with its division); erf a clamp and a
// rational function of degrees 6 and 4 in x^2 (~20, with its division).
constexpr FnInfo kFns[kNumElementwiseFns] = {
    {"add", 2, 1},        {"sub", 2, 1},        {"mul", 2, 1},
    {"div", 2, 6},        {"max", 2, 1},        {"min", 2, 1},
    {"relu", 1, 1},       {"neg", 1, 1},        {"abs", 1, 1},
    {"exp", 1, 12},       {"tanh", 1, 16},      {"sigmoid", 1, 19},
    {"gelu", 1, 24},      {"gelu_tanh", 1, 21}, {"muladd", 3, 1},
    {"reciprocal", 1, 6}, {"broadcast", 1, 0},
};
} // namespace

unsigned arityOf(uint8_t fn) {
  return fn < kNumElementwiseFns ? kFns[fn].arity : 0;
}

llvm::SmallVector<ElementwiseFn, 16> functionsOfArity(unsigned n) {
  llvm::SmallVector<ElementwiseFn, 16> fns;
  for (unsigned f = 0; f < kNumElementwiseFns; ++f)
    if (kFns[f].arity == n)
      fns.push_back(ElementwiseFn(f));
  return fns;
}

llvm::StringRef nameOf(ElementwiseFn fn) { return kFns[uint8_t(fn)].name; }

std::optional<ElementwiseFn> elementwiseFnNamed(llvm::StringRef name) {
  for (unsigned i = 0; i < kNumElementwiseFns; ++i)
    if (name == kFns[i].name)
      return ElementwiseFn(i);
  return std::nullopt;
}

unsigned vectorOpsOf(ElementwiseFn fn) { return kFns[uint8_t(fn)].vectorOps; }

unsigned vectorOpsOf(ElementwiseFn fn, uint8_t epilogue) {
  return vectorOpsOf(fn) +
         (epilogue ? vectorOpsOf(ElementwiseFn(epilogue)) : 0);
}

double evaluate(ElementwiseFn fn, double x, double y) {
  // max, min and relu propagate NaN (as the vector code does).
  auto orNan = [&](double v) {
    return std::isnan(x) || std::isnan(y) ? NAN : v;
  };
  switch (fn) {
  case ElementwiseFn::Add:
    return x + y;
  case ElementwiseFn::Sub:
    return x - y;
  case ElementwiseFn::Mul:
    return x * y;
  case ElementwiseFn::Div:
    return x / y;
  case ElementwiseFn::Max:
    return orNan(std::max(x, y));
  case ElementwiseFn::Min:
    return orNan(std::min(x, y));
  case ElementwiseFn::Relu:
    return orNan(std::max(x, 0.0));
  case ElementwiseFn::Neg:
    return -x;
  case ElementwiseFn::Abs:
    return std::abs(x);
  case ElementwiseFn::Exp:
    return std::exp(x);
  case ElementwiseFn::Tanh:
    return std::tanh(x);
  case ElementwiseFn::Sigmoid:
    return 1 / (1 + std::exp(-x));
  case ElementwiseFn::Gelu:
    return x / 2 * (1 + std::erf(x / std::sqrt(2.0)));
  case ElementwiseFn::GeluTanh:
    return x / 2 *
           (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
  case ElementwiseFn::Reciprocal:
    return 1 / x;
  case ElementwiseFn::Broadcast:
    return x;
  case ElementwiseFn::MulAdd:
    return NAN;
  }
  return NAN;
}

static constexpr const char *kReduceFns[kNumReduceFns] = {"sum", "max", "min"};

llvm::StringRef nameOf(ReduceFn fn) { return kReduceFns[uint8_t(fn)]; }

std::optional<ReduceFn> reduceFnNamed(llvm::StringRef name) {
  for (unsigned i = 0; i < kNumReduceFns; ++i)
    if (name == kReduceFns[i])
      return ReduceFn(i);
  return std::nullopt;
}

} // namespace tessel::synth
