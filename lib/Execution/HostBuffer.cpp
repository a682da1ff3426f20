//===- HostBuffer.cpp -----------------------------------------------------===//

#include "tessel/Execution/HostBuffer.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"

#include "llvm/ADT/APFloat.h"
#include <cstdlib>
#include <cstring>

using namespace mlir;
using namespace tessel::exec;

/// Strides, offset and footprint (elements) of a memref a HostBuffer can
/// hold.
struct Geometry {
  llvm::SmallVector<int64_t> strides;
  int64_t offset = 0, footprint = 1;
};

static std::optional<Geometry> geometryOf(MemRefType type) {
  Type e = type.getElementType();
  bool supported = e.isF32() || e.isF64() || e.isBF16() || e.isF16() ||
                   e.isSignlessInteger(8) || e.isSignlessInteger(16) ||
                   e.isSignlessInteger(32) || e.isSignlessInteger(64);
  Geometry g;
  if (!supported || !type.hasStaticShape() ||
      failed(type.getStridesAndOffset(g.strides, g.offset)) ||
      ShapedType::isDynamic(g.offset) ||
      llvm::any_of(g.strides, ShapedType::isDynamic))
    return std::nullopt;
  // Checked, and bounded as spec operands are: negative or hostile offsets
  // and strides must not wrap to a small buffer.
  std::optional<int64_t> footprint = tessel::spec::addressedElements(type);
  uint64_t elementBytes = llvm::divideCeil(e.getIntOrFloatBitWidth(), 8);
  if (!footprint ||
      uint64_t(*footprint) > tessel::spec::kMaxOperandBytes / elementBytes)
    return std::nullopt;
  g.footprint = llvm::is_contained(type.getShape(), 0) ? 1 : *footprint;
  return g;
}

static uint64_t allocationBytes(MemRefType type, int64_t footprint) {
  return llvm::alignTo(uint64_t(footprint) *
                           (type.getElementType().getIntOrFloatBitWidth() / 8),
                       64);
}

std::optional<uint64_t> HostBuffer::bytesFor(MemRefType type) {
  std::optional<Geometry> g = geometryOf(type);
  if (!g)
    return std::nullopt;
  return allocationBytes(type, g->footprint);
}

std::unique_ptr<HostBuffer> HostBuffer::create(MemRefType type) {
  std::optional<Geometry> g = geometryOf(type);
  if (!g)
    return nullptr;
  std::unique_ptr<HostBuffer> buffer(
      new HostBuffer(type, std::move(g->strides), g->offset, g->footprint));
  return buffer->storage ? std::move(buffer) : nullptr;
}

HostBuffer::HostBuffer(MemRefType type, llvm::SmallVector<int64_t> strides,
                       int64_t offset, int64_t footprint)
    : type(type), strides(std::move(strides)), offset(offset),
      footprint(footprint),
      elementBytes(type.getElementType().getIntOrFloatBitWidth() / 8),
      storage(nullptr, std::free) {
  size_t bytes = allocationBytes(type, footprint);
  storage.reset(static_cast<char *>(std::aligned_alloc(64, bytes)));
  if (storage)
    std::memset(storage.get(), 0, bytes);
}

int64_t HostBuffer::position(ArrayRef<int64_t> index) const {
  int64_t p = offset;
  for (auto [i, s] : llvm::zip(index, strides))
    p += i * s;
  return p;
}

/// bf16 and f16 are converted through APFloat (round to nearest even).
static const llvm::fltSemantics *halfSemantics(Type e) {
  if (e.isBF16())
    return &llvm::APFloat::BFloat();
  if (e.isF16())
    return &llvm::APFloat::IEEEhalf();
  return nullptr;
}

double HostBuffer::get(ArrayRef<int64_t> index) const {
  const char *p = storage.get() + position(index) * elementBytes;
  Type e = type.getElementType();
  if (e.isF32()) {
    float v;
    std::memcpy(&v, p, 4);
    return v;
  }
  if (e.isF64()) {
    double v;
    std::memcpy(&v, p, 8);
    return v;
  }
  if (const llvm::fltSemantics *sem = halfSemantics(e)) {
    uint16_t bits;
    std::memcpy(&bits, p, 2);
    return llvm::APFloat(*sem, llvm::APInt(16, bits)).convertToDouble();
  }
  switch (elementBytes) {
  case 1:
    return *reinterpret_cast<const int8_t *>(p);
  case 2: {
    int16_t v;
    std::memcpy(&v, p, 2);
    return v;
  }
  case 4: {
    int32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
  default: {
    int64_t v;
    std::memcpy(&v, p, 8);
    return double(v);
  }
  }
}

void HostBuffer::set(ArrayRef<int64_t> index, double value) {
  char *p = storage.get() + position(index) * elementBytes;
  Type e = type.getElementType();
  if (e.isF32()) {
    float v = float(value);
    std::memcpy(p, &v, 4);
  } else if (e.isF64()) {
    std::memcpy(p, &value, 8);
  } else if (const llvm::fltSemantics *sem = halfSemantics(e)) {
    llvm::APFloat f(value);
    bool lost;
    f.convert(*sem, llvm::APFloat::rmNearestTiesToEven, &lost);
    uint16_t bits = uint16_t(f.bitcastToAPInt().getZExtValue());
    std::memcpy(p, &bits, 2);
  } else {
    int64_t v = int64_t(value);
    std::memcpy(p, &v, elementBytes); // little-endian truncation
  }
}

void HostBuffer::forEachIndex(
    llvm::function_ref<void(ArrayRef<int64_t>)> fn) const {
  ArrayRef<int64_t> shape = type.getShape();
  if (type.getNumElements() == 0)
    return;
  llvm::SmallVector<int64_t> index(shape.size(), 0);
  while (true) {
    fn(index);
    int d = int(shape.size()) - 1;
    for (; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
    if (d < 0)
      return;
  }
}

void HostBuffer::randomize(std::mt19937 &rng, double range) {
  bool isInt = isa<IntegerType>(type.getElementType());
  std::uniform_real_distribution<double> real(-range, range);
  std::uniform_int_distribution<int> integer(-8, 8);
  forEachIndex([&](ArrayRef<int64_t> i) {
    set(i, isInt ? double(integer(rng)) : real(rng));
  });
}

void HostBuffer::copyFrom(const HostBuffer &other) {
  std::memcpy(storage.get(), other.storage.get(), footprint * elementBytes);
}
