//===- HostBuffer.h - Host memory for one memref argument -------*- C++ -*-===//
//
// The memory behind a statically shaped, strided memref: its whole footprint,
// 64-byte aligned, with element access by logical index (values travel as
// doubles whatever the element type) and seeded random contents.
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_EXECUTION_HOSTBUFFER_H
#define TESSEL_EXECUTION_HOSTBUFFER_H

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <memory>
#include <optional>
#include <random>

namespace tessel::exec {

class HostBuffer {
public:
  /// Nothing unless `type` has a static shape, strides and offset and an
  /// element type of f32, f64, bf16, f16 or i8/i16/i32/i64.
  /// Nothing too when the allocation fails.
  static std::unique_ptr<HostBuffer> create(mlir::MemRefType type);
  /// The bytes `create` would allocate for `type`, without allocating;
  /// nothing when it cannot hold `type`.
  static std::optional<uint64_t> bytesFor(mlir::MemRefType type);

  mlir::MemRefType getType() const { return type; }
  /// The aligned base pointer (what a bare-pointer call passes).
  void *data() { return storage.get(); }

  double get(llvm::ArrayRef<int64_t> index) const;
  /// Stores `value` rounded to the element type.
  void set(llvm::ArrayRef<int64_t> index, double value);
  /// Calls `fn` on every logical index, the last dimension fastest.
  void forEachIndex(llvm::function_ref<void(llvm::ArrayRef<int64_t>)> fn) const;
  /// Uniform values in [-range, range] (integers: [-8, 8]), rounded to the
  /// type.
  void randomize(std::mt19937 &rng, double range = 1.0);
  void copyFrom(const HostBuffer &other);

private:
  HostBuffer(mlir::MemRefType type, llvm::SmallVector<int64_t> strides,
             int64_t offset, int64_t footprint);
  int64_t position(llvm::ArrayRef<int64_t> index) const;

  mlir::MemRefType type;
  llvm::SmallVector<int64_t> strides;
  int64_t offset, footprint;
  unsigned elementBytes;
  std::unique_ptr<char[], void (*)(void *)> storage;
};

} // namespace tessel::exec

#endif // TESSEL_EXECUTION_HOSTBUFFER_H
