//===- Reference.cpp - A reference interpreter for spec ops ---------------===//

#include "tessel/Execution/Reference.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"

#include "llvm/ADT/TypeSwitch.h"
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

LogicalResult exec::runReference(Operation *op, ArrayRef<HostBuffer *> buf,
                                 ErrorBound &bound) {
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](spec::MatmulOp matmul) { return ::matmul(matmul, buf, bound); })
      .Case([&](spec::MoveOp) {
        HostBuffer &src = *buf[0], &dst = *buf[1];
        ensureBound(bound, dst.getType());
        dst.forEachIndex([&](ArrayRef<int64_t> i) {
          dst.set(i, src.get(i));
          bound.magnitude->set(i, std::abs(src.get(i)));
        });
        return success();
      })
      .Case([&](spec::FillOp fill) {
        HostBuffer &dst = *buf[0];
        Type e = dst.getType().getElementType();
        double value = 0;
        if (fill.getValue() == spec::FillValue::NegInf)
          value = -std::numeric_limits<double>::infinity();
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
      })
      .Default([&](Operation *) {
        return op->emitError("the reference interpreter does not model '")
               << op->getName() << "'";
      });
}
