//===- Kernels.cpp - Leaves: microkernel ops on boxes ---------------------===//
#include "tessel/Synthesis/Kernels.h"
#include "Emitter.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "tessel/Dialect/Ukernel/IR/UkernelOps.h"
#include "tessel/Synthesis/Elementwise.h"

using namespace tessel;
using namespace tessel::emitter;

void Emitter::emitKernel(OpBuilder &b, const Impl &impl, ArrayRef<View> views) {
  using synth::KernelId;
  const synth::Spec &s = impl.spec;
  KernelId kernel = impl.action.kernel;
  auto i64 = [&](int64_t v) { return b.getI64IntegerAttr(v); };
  Operation *op = nullptr;

  auto fillValue = [&](Type type, synth::FillValue value) -> TypedAttr {
    if (auto ft = dyn_cast<FloatType>(type)) {
      const llvm::fltSemantics &sem = ft.getFloatSemantics();
      switch (value) {
      case synth::FillValue::Zero:
        return FloatAttr::get(ft, llvm::APFloat::getZero(sem));
      case synth::FillValue::NegInf:
        return FloatAttr::get(ft, llvm::APFloat::getInf(sem, true));
      case synth::FillValue::Min:
        return FloatAttr::get(ft, llvm::APFloat::getLargest(sem, true));
      case synth::FillValue::Inf:
        return FloatAttr::get(ft, llvm::APFloat::getInf(sem, false));
      }
    }
    unsigned width = type.getIntOrFloatBitWidth();
    return IntegerAttr::get(type, value == synth::FillValue::Zero
                                      ? llvm::APInt(width, 0)
                                      : llvm::APInt::getSignedMinValue(width));
  };
  auto identity = [&](unsigned rank) {
    return llvm::to_vector(llvm::seq<int>(0, rank));
  };

  switch (kernel) {
  case KernelId::BroadcastFmaTile:
  case KernelId::DotBf16Tile:
  case KernelId::DotReduceTile:
  case KernelId::ScalarMulAdd: {
    // Kernel indices (m, k, n), and the operands and dims that are A, B
    // and C, as the kind declares them (Kind::matmulForm).
    Value lhs, rhs, acc;
    synth::MatmulForm form = *synth::kindOf(s.kind).matmulForm(s);
    auto boxOf = [&](unsigned i, Value &value) {
      unsigned o = form.operands[i], rank = s.operands[o].rank;
      SmallVector<int> domain(form.dims[i].begin(),
                              form.dims[i].begin() + rank);
      return boxMap(b, views[o], domain, 3, value,
                    ArrayRef(form.steps[i]).take_front(rank));
    };
    AffineMapAttr lhsMap = boxOf(0, lhs);
    AffineMapAttr rhsMap = boxOf(1, rhs);
    AffineMapAttr accMap = boxOf(2, acc);
    synth::Spec product = *synth::asMatmul(s);
    auto sizes = b.getDenseI64ArrayAttr(
        {int64_t(product.m()), int64_t(product.k()), int64_t(product.n())});
    if (kernel == KernelId::ScalarMulAdd) {
      if (!s.accum) // c = a * b: zero c first.
        ukernel::FillOp::create(
            b, loc, acc, accMap, sizes,
            fillValue(cast<MemRefType>(acc.getType()).getElementType(),
                      synth::FillValue::Zero),
            i64(0), i64(0));
      op = ukernel::ScalarFmaOp::create(b, loc, lhs, rhs, acc, lhsMap, rhsMap,
                                        accMap, sizes, i64(0));
    } else if (kernel == KernelId::DotReduceTile) {
      op = ukernel::DotReduceOp::create(b, loc, lhs, rhs, acc, lhsMap, rhsMap,
                                        accMap, sizes,
                                        i64(target.lanes(synth::Dtype::F32)));
    } else {
      // The lines this kernel is to prefetch, if any (taken once: later
      // kernels of the body would repeat them).
      SmallVector<Value> prefetchBoxes, prefetchFirsts;
      SmallVector<int64_t> prefetchCounts;
      for (const Prefetch &p : prefetches) {
        prefetchBoxes.push_back(p.box);
        prefetchFirsts.push_back(
            getValueOrCreateConstantIndexOp(b, loc, p.first));
        prefetchCounts.push_back(p.count);
      }
      prefetches.clear();
      DenseI64ArrayAttr prefetchLines = b.getDenseI64ArrayAttr(prefetchCounts);
      int64_t lanes = target.lanes(synth::Dtype::F32);
      if (kernel == KernelId::DotBf16Tile)
        op = ukernel::DotBf16Op::create(b, loc, lhs, rhs, acc, prefetchBoxes,
                                        prefetchFirsts, lhsMap, rhsMap, accMap,
                                        sizes, i64(lanes), prefetchLines);
      else
        op = ukernel::BroadcastFmaOp::create(
            b, loc, lhs, rhs, acc, prefetchBoxes, prefetchFirsts, lhsMap,
            rhsMap, accMap, sizes, i64(lanes), prefetchLines);
    }
    break;
  }
  case KernelId::VectorMove:
  case KernelId::VectorCvtBf16F32:
  case KernelId::ScalarMove: {
    unsigned rank = views[1].sizes.size();
    Value src, dst;
    AffineMapAttr srcMap = boxMap(b, views[0], identity(rank), rank, src);
    AffineMapAttr dstMap = boxMap(b, views[1], identity(rank), rank, dst);
    int64_t lanes =
        kernel == KernelId::ScalarMove ? 0 : target.lanes(s.operands[1].dtype);
    int64_t dim = lanes ? s.operands[1].layout.innermostDim() : 0;
    op = ukernel::CopyOp::create(
        b, loc, src, dst, srcMap, dstMap,
        b.getDenseI64ArrayAttr(
            SmallVector<int64_t>(views[1].sizes.begin(), views[1].sizes.end())),
        i64(lanes), i64(dim));
    break;
  }
  case KernelId::VectorPackBf16Pairs: {
    // Kernel indices (k, n) over the last two logical dimensions.
    unsigned rank = views[0].sizes.size();
    SmallVector<int> domain(rank, -1);
    domain[rank - 2] = 0;
    domain[rank - 1] = 1;
    Value src, dst;
    AffineMapAttr srcMap = boxMap(b, views[0], domain, 2, src);
    AffineMapAttr dstMap = boxMap(b, views[1], domain, 2, dst);
    op = ukernel::PackBf16PairsOp::create(
        b, loc, src, dst, srcMap, dstMap,
        b.getDenseI64ArrayAttr({2, int64_t(views[0].sizes[rank - 1])}),
        i64(target.lanes(synth::Dtype::BF16)));
    break;
  }
  case KernelId::VectorElementwise:
  case KernelId::ScalarElementwise: {
    // Kernel indices are the spec's loops (the output's dims); a broadcast
    // input's map does not use the dims no loop indexes.
    synth::IterationSpace space = *synth::iterationSpace(s);
    unsigned n = s.numOperands();
    SmallVector<Value> inputs;
    SmallVector<Attribute> maps;
    for (unsigned i = 0; i + 1 < n; ++i) {
      Value box;
      maps.push_back(loopBoxMap(b, views[i], space, s, i, box));
      inputs.push_back(box);
    }
    Value out;
    AffineMapAttr outMap = loopBoxMap(b, views[n - 1], space, s, n - 1, out);
    int64_t lanes = kernel == KernelId::VectorElementwise
                        ? target.lanes(synth::Dtype::F32)
                        : 0;
    int64_t dim = lanes ? s.output().layout.innermostDim() : 0;
    uint8_t epilogue =
        s.kind == synth::SpecKind::Binary ? s.params[synth::kEpilogueParam] : 0;
    // An output written in main memory, not read again by this op.
    bool streaming =
        lanes && streamOutputs && s.output().level == synth::MemoryLevel::GL;
    op = ukernel::ElementwiseOp::create(
        b, loc, inputs, out, b.getArrayAttr(maps), outMap, loopSizes(b, space),
        b.getStringAttr(synth::nameOf(synth::ElementwiseFn(s.params[0]))),
        i64(lanes), i64(dim),
        epilogue
            ? b.getStringAttr(synth::nameOf(synth::ElementwiseFn(epilogue)))
            : StringAttr(),
        streaming ? b.getUnitAttr() : UnitAttr());
    break;
  }
  case KernelId::VectorMulAddTile: {
    // out = image * filter + out over the spec's loops (one tap), in
    // vectors along out's contiguous dim (out's dims are the first loops).
    synth::IterationSpace space = *synth::iterationSpace(s);
    SmallVector<Value> boxes(3);
    SmallVector<Attribute> maps;
    for (unsigned i = 0; i < 3; ++i)
      maps.push_back(loopBoxMap(b, views[i], space, s, i, boxes[i]));
    op = ukernel::ElementwiseOp::create(
        b, loc, boxes, boxes[2], b.getArrayAttr(maps),
        cast<AffineMapAttr>(maps[2]), loopSizes(b, space),
        b.getStringAttr(synth::nameOf(synth::ElementwiseFn::MulAdd)),
        i64(target.lanes(synth::Dtype::F32)),
        i64(s.output().layout.innermostDim()), /*epilogue=*/StringAttr());
    break;
  }
  case KernelId::VectorReduce:
  case KernelId::ScalarReduce: {
    // Kernel indices are the spec's loops: the output's dims, then the
    // reduced one.
    synth::IterationSpace space = *synth::iterationSpace(s);
    Value x, out;
    AffineMapAttr xMap = loopBoxMap(b, views[0], space, s, 0, x);
    AffineMapAttr outMap = loopBoxMap(b, views[1], space, s, 1, out);
    int64_t lanes =
        kernel == KernelId::VectorReduce ? target.lanes(synth::Dtype::F32) : 0;
    int64_t dim =
        lanes ? space.maps[0][s.operands[0].layout.innermostDim()].loop : 0;
    op = ukernel::ReduceOp::create(
        b, loc, x, out, xMap, outMap, loopSizes(b, space),
        b.getStringAttr(synth::nameOf(synth::ReduceFn(s.params[0]))),
        i64(space.numParallel), i64(lanes), i64(dim));
    break;
  }
  case KernelId::VectorFill:
  case KernelId::ScalarFill: {
    unsigned rank = views[0].sizes.size();
    Value dst;
    AffineMapAttr dstMap = boxMap(b, views[0], identity(rank), rank, dst);
    Type type = cast<MemRefType>(dst.getType()).getElementType();
    int64_t lanes =
        kernel == KernelId::ScalarFill ? 0 : target.lanes(s.operands[0].dtype);
    int64_t dim = lanes ? s.operands[0].layout.innermostDim() : 0;
    op = ukernel::FillOp::create(
        b, loc, dst, dstMap,
        b.getDenseI64ArrayAttr(
            SmallVector<int64_t>(views[0].sizes.begin(), views[0].sizes.end())),
        fillValue(type, s.fillValue()), i64(lanes), i64(dim));
    break;
  }
  }
  tag(op, impl);
}
