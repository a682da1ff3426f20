//===- Reference.cpp - A reference interpreter for spec ops ---------------===//

#include "tessel/Execution/Reference.h"
#include "tessel/Dialect/Spec/IR/CatalogFunctionOps.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"
#include "tessel/Dialect/Spec/Synthesis/EngineSpec.h"
#include "tessel/Synthesis/Elementwise.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace tessel;
using namespace tessel::exec;

static void ensureBound(ErrorBound &bound, MemRefType type) {
  if (!bound.magnitude)
    bound.magnitude = HostBuffer::create(
        MemRefType::get(type.getShape(), Float64Type::get(type.getContext())));
}

static LogicalResult matmul(spec::MatmulOp op, ArrayRef<HostBuffer *> buf,
                            ErrorBound &bound) {
  HostBuffer &a = *buf[0], &b = *buf[1], &c = *buf[2];
  bool batched = a.getType().getRank() == 3;
  int64_t k = a.getType().getShape().back();
  ensureBound(bound, c.getType());
  bound.terms = std::max(bound.terms, k + (op.getAccumulate() ? 1 : 0));
  c.forEachIndex([&](ArrayRef<int64_t> i) {
    int64_t bi = batched ? i[0] : 0, m = i[i.size() - 2], n = i.back();
    double sum = 0, magnitude = 0;
    if (op.getAccumulate()) {
      sum = c.get(i);
      magnitude = std::abs(sum) + bound.magnitude->get(i);
    }
    for (int64_t x = 0; x < k; ++x) {
      double p = batched ? a.get({bi, m, x}) * b.get({bi, x, n})
                         : a.get({m, x}) * b.get({x, n});
      sum += p;
      magnitude += std::abs(p);
    }
    c.set(i, sum);
    bound.magnitude->set(i, magnitude);
  });
  return success();
}

static LogicalResult conv2d(spec::Conv2DOp op, ArrayRef<HostBuffer *> buf,
                            ErrorBound &bound) {
  HostBuffer &image = *buf[0], &filters = *buf[1], &out = *buf[2];
  auto [ip, fp, op_] = op.getDimPositions();
  ArrayRef<int64_t> fshape = filters.getType().getShape();
  // A depthwise convolution sums over its channel's filter only.
  bool depthwise = op.isDepthwise();
  int64_t r = fshape[fp[0]], s = fshape[fp[1]],
          c = depthwise ? 1 : fshape[fp[2]];
  ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
  ArrayRef<int64_t> ishape = image.getType().getShape();
  std::array<int64_t, 4> pads = op.getPads();
  ensureBound(bound, out.getType());
  bound.terms = std::max(bound.terms, r * s * c + (op.getAccumulate() ? 1 : 0));
  SmallVector<int64_t, 4> ii(4), fi(fshape.size());
  out.forEachIndex([&](ArrayRef<int64_t> o) {
    int64_t n = o[op_[0]], y = o[op_[1]], x = o[op_[2]], f = o[op_[3]];
    double sum = 0, magnitude = 0;
    if (op.getAccumulate()) {
      sum = out.get(o);
      magnitude = std::abs(sum) + bound.magnitude->get(o);
    }
    for (int64_t i = 0; i < r; ++i)
      for (int64_t j = 0; j < s; ++j)
        for (int64_t ch = depthwise ? f : 0; ch < (depthwise ? f + 1 : c);
             ++ch) {
          ii[ip[0]] = n;
          ii[ip[1]] = y * strides[0] + i * dilations[0] - pads[0];
          ii[ip[2]] = x * strides[1] + j * dilations[1] - pads[1];
          ii[ip[3]] = ch;
          // A tap on the padding reads zero.
          if (ii[ip[1]] < 0 || ii[ip[1]] >= ishape[ip[1]] || ii[ip[2]] < 0 ||
              ii[ip[2]] >= ishape[ip[2]])
            continue;
          fi[fp[0]] = i;
          fi[fp[1]] = j;
          fi[fp[2]] = ch;
          fi[fp[3]] = f; // the same index when depthwise
          double p = image.get(ii) * filters.get(fi);
          sum += p;
          magnitude += std::abs(p);
        }
    out.set(o, sum);
    bound.magnitude->set(o, magnitude);
  });
  return success();
}

/// The error budget of elementwise function `fn` at (x, y) with result r,
/// as a magnitude relative to the output's unit roundoff (Runner.cpp): the
/// inputs' sum for add/sub (it may cancel), for the GELUs the magnitude of
/// x/2 (1 + t) (it cancels for negative x), the result for the others.
static double magnitudeOf(synth::ElementwiseFn fn, double x, double y,
                          double r) {
  using Fn = synth::ElementwiseFn;
  switch (fn) {
  case Fn::Add:
  case Fn::Sub:
    return std::abs(x) + std::abs(y);
  case Fn::Gelu:
    return std::abs(x) / 2 * (1 + std::abs(std::erf(x / std::sqrt(2.0))));
  case Fn::GeluTanh:
    return std::abs(x) / 2 *
           (1 + std::abs(std::tanh(std::sqrt(2 / M_PI) *
                                   (x + 0.044715 * x * x * x))));
  default:
    return std::abs(r);
  }
}

/// exp, tanh and erf are approximated: a few ulps (docs/adding-a-kind.md).
static bool isApproximated(synth::ElementwiseFn fn) {
  using Fn = synth::ElementwiseFn;
  return fn == Fn::Exp || fn == Fn::Tanh || fn == Fn::Sigmoid ||
         fn == Fn::Gelu || fn == Fn::GeluTanh;
}

/// An elementwise op from the catalog's definition of its function (and
/// its epilogue, applied to the result rounded to f32 as the kernel does).
static LogicalResult elementwise(Operation *op, ArrayRef<HostBuffer *> buf,
                                 ErrorBound &bound) {
  HostBuffer &out = *buf.back();
  auto inputs = buf.drop_back();
  ensureBound(bound, out.getType());
  std::optional<synth::ElementwiseFn> named = spec::elementwiseFnOf(op);
  if (!named)
    return op->emitError("the reference interpreter has no elementwise "
                         "function named '")
           << op->getName().stripDialect() << "'";
  synth::ElementwiseFn fn = *named;
  std::optional<synth::ElementwiseFn> epilogue = spec::epilogueOf(op);
  bool approximated =
      isApproximated(fn) || (epilogue && isApproximated(*epilogue));
  bound.terms = std::max<int64_t>(bound.terms, approximated ? 2 : 0);
  // Read every input before writing (out may be one of them).
  auto at = [&](const HostBuffer &in, ArrayRef<int64_t> i) {
    SmallVector<int64_t> j(i);
    for (unsigned d = 0; d < j.size(); ++d)
      if (in.getType().getDimSize(d) == 1)
        j[d] = 0; // broadcast
    return in.get(j);
  };
  out.forEachIndex([&](ArrayRef<int64_t> i) {
    double x = at(*inputs[0], i), y = inputs.size() > 1 ? at(*inputs[1], i) : 0;
    double r = synth::evaluate(fn, x, y);
    double magnitude = magnitudeOf(fn, x, y, r);
    if (epilogue) {
      // The binary functions round once, so the kernel's intermediate is
      // exactly float(r): only the epilogue's own error remains.
      double v = float(r);
      r = synth::evaluate(*epilogue, v);
      magnitude = magnitudeOf(*epilogue, v, 0, r);
    }
    out.set(i, r);
    // In place after an earlier op, that op's error passes through.
    bound.magnitude->set(i, std::max(bound.magnitude->get(i), magnitude));
  });
  return success();
}

static LogicalResult reduce(spec::ReduceOp op, ArrayRef<HostBuffer *> buf,
                            ErrorBound &bound) {
  HostBuffer &in = *buf[0], &out = *buf[1];
  int64_t dim = op.getDim(), n = in.getType().getDimSize(dim);
  spec::ReductionKind kind = op.getKind();
  bool isSum = kind == spec::ReductionKind::Sum;
  bool accumulate = op.getAccumulate();
  ensureBound(bound, out.getType());
  // A sum rounds once per term (any order); a maximum or minimum is exact.
  if (isSum)
    bound.terms = std::max(bound.terms, n + (accumulate ? 1 : 0));
  double inf = std::numeric_limits<double>::infinity();
  out.forEachIndex([&](ArrayRef<int64_t> i) {
    double acc = accumulate                         ? out.get(i)
                 : kind == spec::ReductionKind::Max ? -inf
                 : kind == spec::ReductionKind::Min ? inf
                                                    : 0.0;
    double magnitude =
        accumulate ? std::abs(acc) + bound.magnitude->get(i) : 0.0;
    SmallVector<int64_t> j(i);
    for (int64_t r = 0; r < n; ++r) {
      j[dim] = r;
      double v = in.get(j);
      acc = isSum                              ? acc + v
            : std::isnan(acc) || std::isnan(v) ? NAN
            : kind == spec::ReductionKind::Max ? std::max(acc, v)
                                               : std::min(acc, v);
      magnitude += std::abs(v);
    }
    out.set(i, acc);
    bound.magnitude->set(i, isSum ? magnitude : std::abs(acc));
  });
  return success();
}

/// exp(x - max) / sum(exp(x - max)) along the op's dim. The sum rounds
/// once per term; each exponent's argument x - max rounds relative to
/// |x| + |max|, which exp turns into a relative error of the result.
static LogicalResult softmax(spec::SoftmaxOp op, ArrayRef<HostBuffer *> buf,
                             ErrorBound &bound) {
  HostBuffer &in = *buf[0], &out = *buf[1];
  int64_t dim = op.getDim(), n = in.getType().getDimSize(dim);
  ensureBound(bound, out.getType());
  bound.terms = std::max(bound.terms, n + 4);
  out.forEachIndex([&](ArrayRef<int64_t> i) {
    if (i[dim] != 0)
      return; // one row at a time, from its first element
    SmallVector<int64_t> j(i);
    double max = -std::numeric_limits<double>::infinity(), sum = 0;
    for (j[dim] = 0; j[dim] < n; ++j[dim])
      max = std::max(max, in.get(j));
    for (j[dim] = 0; j[dim] < n; ++j[dim])
      sum += std::exp(in.get(j) - max);
    for (j[dim] = 0; j[dim] < n; ++j[dim]) {
      double x = in.get(j), r = std::exp(x - max) / sum;
      out.set(j, r);
      bound.magnitude->set(j, r * (2 + std::abs(x) + std::abs(max)));
    }
  });
  return success();
}

static LogicalResult move(spec::MoveOp, ArrayRef<HostBuffer *> buf,
                          ErrorBound &bound) {
  HostBuffer &src = *buf[0], &dst = *buf[1];
  ensureBound(bound, dst.getType());
  dst.forEachIndex([&](ArrayRef<int64_t> i) {
    dst.set(i, src.get(i));
    bound.magnitude->set(i, std::abs(src.get(i)));
  });
  return success();
}

static LogicalResult fill(spec::FillOp fill, ArrayRef<HostBuffer *> buf,
                          ErrorBound &bound) {
  HostBuffer &dst = *buf[0];
  Type e = dst.getType().getElementType();
  double value = 0;
  if (fill.getValue() == spec::FillValue::NegInf)
    value = -std::numeric_limits<double>::infinity();
  else if (fill.getValue() == spec::FillValue::Inf)
    value = std::numeric_limits<double>::infinity();
  else if (fill.getValue() == spec::FillValue::Min)
    value = isa<FloatType>(e)
                ? llvm::APFloat::getLargest(
                      cast<FloatType>(e).getFloatSemantics(), true)
                      .convertToDouble()
                : -std::ldexp(1.0, e.getIntOrFloatBitWidth() - 1);
  ensureBound(bound, dst.getType());
  dst.forEachIndex([&](ArrayRef<int64_t> i) {
    dst.set(i, value);
    bound.magnitude->set(i, 0);
  });
  return success();
}

namespace {
/// The interface over one of the functions above (`Evaluate` takes the op
/// as its class, or as an Operation *).
template <typename OpT, auto Evaluate>
struct Reference
    : exec::ReferenceOpInterface::ExternalModel<Reference<OpT, Evaluate>, OpT> {
  LogicalResult evaluate(Operation *op, ArrayRef<HostBuffer *> operands,
                         ErrorBound &bound) const {
    return Evaluate(cast<OpT>(op), operands, bound);
  }
};

/// Every op that applies a catalog function is evaluated by `elementwise`.
template <typename OpT>
using ElementwiseReference = Reference<OpT, elementwise>;
} // namespace

void exec::registerReferenceExternalModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *context, spec::SpecDialect *) {
    using namespace spec;
    MatmulOp::attachInterface<Reference<MatmulOp, ::matmul>>(*context);
    Conv2DOp::attachInterface<Reference<Conv2DOp, ::conv2d>>(*context);
    MoveOp::attachInterface<Reference<MoveOp, ::move>>(*context);
    FillOp::attachInterface<Reference<FillOp, ::fill>>(*context);
    ReduceOp::attachInterface<Reference<ReduceOp, ::reduce>>(*context);
    SoftmaxOp::attachInterface<Reference<SoftmaxOp, ::softmax>>(*context);
    attachToCatalogFunctionOps<ElementwiseReference>(*context);
  });
}

LogicalResult exec::runReference(Operation *op, ArrayRef<HostBuffer *> buf,
                                 ErrorBound &bound) {
  if (auto reference = dyn_cast<ReferenceOpInterface>(op))
    return reference.evaluate(buf, bound);
  return op->emitError("the reference interpreter does not model '")
         << op->getName() << "'";
}

#include "tessel/Execution/ReferenceInterface.cpp.inc"
