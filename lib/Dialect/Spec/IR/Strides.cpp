//===- Strides.cpp - Which dimension vectors run along --------------------===//
//
// Spec ops need a dimension of static stride 1 for vectors to run along.
// Buffers whose strides are only known at run time (tensor function
// arguments after one-shot bufferization) get one by a cast behind a
// run-time check; these helpers say where and to what.
//
//===----------------------------------------------------------------------===//

#include "tessel/Dialect/Spec/IR/SpecOps.h"

using namespace mlir;

std::optional<unsigned> tessel::spec::innermostDim(MemRefType type) {
  for (unsigned d = type.getRank(); d-- > 0;)
    if (type.getDimSize(d) != 1)
      return d;
  return std::nullopt;
}

bool tessel::spec::hasDynamicInnermostStride(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  std::optional<unsigned> inner = innermostDim(type);
  return type.hasStaticShape() && inner &&
         succeeded(type.getStridesAndOffset(strides, offset)) &&
         ShapedType::isDynamic(strides[*inner]);
}

MemRefType tessel::spec::withUnitInnermostStride(MemRefType type) {
  auto [strides, offset] = type.getStridesAndOffset();
  strides[*innermostDim(type)] = 1;
  auto layout = StridedLayoutAttr::get(type.getContext(), offset, strides);
  return MemRefType::get(type.getShape(), type.getElementType(), layout,
                         type.getMemorySpace());
}
