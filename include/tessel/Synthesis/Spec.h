//===- Spec.h - Specifications: what a program must compute -----*- C++ -*-===//
//
// A Spec is a small value: an operation kind, its operands' TensorSpecs, a
// serial flag and the memory still available. The search touches millions of
// them, so they are fixed-size plain bytes hashed and compared as memory
// (static_asserts below keep them free of padding).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SYNTHESIS_SPEC_H
#define TESSEL_SYNTHESIS_SPEC_H

#include "tessel/Synthesis/Layout.h"
#include "tessel/Synthesis/Types.h"
#include "llvm/ADT/DenseMapInfo.h"
#include "llvm/ADT/Hashing.h"
#include <optional>

namespace tessel::synth {

class Target;

/// One operand: the tile of a buffer that a Spec reads or writes.
struct TensorSpec {
  std::array<uint32_t, kMaxRank> shape{};
  Layout layout;
  uint8_t rank = 0;
  Dtype dtype = Dtype::F32;
  MemoryLevel level = MemoryLevel::GL;
  /// How many innermost physical entries of `layout` are contiguous in
  /// memory (== layout.size() for a whole buffer).
  uint8_t contig = 0;
  /// Elements per vector register; non-zero exactly when level == VRF.
  uint8_t vectorLanes = 0;
  /// log2 of the largest power of two dividing the byte stride between the
  /// rows of this view (31 when it is one contiguous run). Drives the
  /// cache-set conflict model: rows 4 KiB apart all land in one L1 set.
  uint8_t strideLog2 = 31;
  /// Main memory only: an enclosing loop fetches this tile into L2 while
  /// the previous one is computed, so it is read at L2's cost (Actions.cpp,
  /// "Prefetching").
  uint8_t prefetched = 0;
  uint8_t reserved = 0;

  /// A whole buffer of `shape` in `level` with `layout` (canonicalised).
  static TensorSpec buffer(llvm::ArrayRef<uint32_t> shape, Dtype dtype,
                           MemoryLevel level, Layout layout,
                           unsigned vectorLanes = 0);
  static TensorSpec rowMajor(llvm::ArrayRef<uint32_t> shape, Dtype dtype,
                             MemoryLevel level = MemoryLevel::GL) {
    return buffer(shape, dtype, level, Layout::rowMajor(shape.size()));
  }

  llvm::ArrayRef<uint32_t> dims() const { return {shape.data(), rank}; }
  uint64_t volume() const;
  uint64_t bytes() const { return volume() * dtypeBytes(dtype); }
  bool fullyContiguous() const { return contig == layout.size(); }

  /// The sub-view of `tileShape` (same rank), or nothing if the layout or
  /// vector registers cannot express it.
  std::optional<TensorSpec> tile(llvm::ArrayRef<uint32_t> tileShape) const;

  /// 64-byte lines touched, Morello's estimate: the product of non-contiguous
  /// physical extents times the lines of the contiguous inner run.
  uint64_t lines() const;
  /// Rows (non-contiguous physical extents multiplied) and lines per row.
  uint64_t rows() const;
  uint64_t lineBytesPerRow() const;
  /// Vectors of `lanes` holding it row by row along its innermost physical
  /// entry, the last of each row partial when `lanes` does not divide it.
  uint64_t vectors(unsigned lanes) const;

  void canonicalize();
  bool operator==(const TensorSpec &o) const;
  bool operator!=(const TensorSpec &o) const { return !(*this == o); }
  void print(llvm::raw_ostream &os) const;
  std::string str() const;
};

/// Memory still available per level: bytes for L1/L2/GL, registers for
/// VRF/RF. Cache budgets are kept at powers of two (rounded down after an
/// allocation), as Morello does, so that the memo sees few distinct limits.
struct MemoryLimits {
  std::array<uint32_t, kNumLevels> units{};

  uint32_t &operator[](MemoryLevel l) { return units[static_cast<int>(l)]; }
  uint32_t operator[](MemoryLevel l) const {
    return units[static_cast<int>(l)];
  }
  void canonicalize();
  bool operator==(const MemoryLimits &o) const { return units == o.units; }
  /// At most `o` at every level.
  bool within(const MemoryLimits &o) const {
    for (unsigned l = 0; l < units.size(); ++l)
      if (units[l] > o.units[l])
        return false;
    return true;
  }
  void print(llvm::raw_ostream &os) const;
};

/// Operation kinds, one per line of Kinds.def; what each declares is in
/// Kind.h and its own file, lib/Synthesis/Kinds/<Name>.cpp.
enum class SpecKind : uint8_t {
#define TESSEL_KIND(Name) Name,
#include "tessel/Synthesis/Kinds.def"
};
constexpr unsigned kNumKinds = 0
#define TESSEL_KIND(Name) +1
#include "tessel/Synthesis/Kinds.def"
    ;

/// Operands of a spec of `kind`; 0 for a value that names no kind (e.g. a
/// byte read from a damaged file).
unsigned numOperandsOf(SpecKind kind);

/// The most operands a kind has (an attention chain: Q, K, V, O and two row
/// statistics).
constexpr unsigned kMaxOperands = 6;
/// Bytes of a kind's parameters (Kind::validParams).
constexpr unsigned kMaxParams = 8;
using Params = std::array<uint8_t, kMaxParams>;

/// Spec::params[0] of a Fill.
enum class FillValue : uint8_t { Zero, NegInf, Min, Inf };

enum class OperandRole : uint8_t { In, Out, InOut };

struct Spec {
  SpecKind kind = SpecKind::Move;
  /// Accumulate into the output (it is read) instead of overwriting it;
  /// only kinds with reductions accumulate (Kind::accumulates).
  bool accum = false;
  /// Must run on one thread (set on the bodies of parallel loops).
  bool serial = false;
  uint8_t reserved = 0;
  /// The kind's parameters (Kind::validParams; all 0 for kinds with none).
  Params params{};
  std::array<TensorSpec, kMaxOperands> operands{};
  MemoryLimits limits;

  static Spec matmul(const TensorSpec &a, const TensorSpec &b,
                     const TensorSpec &c, bool accum, MemoryLimits limits,
                     bool serial = false);
  static Spec move(const TensorSpec &src, const TensorSpec &dst,
                   MemoryLimits limits, bool serial = false);
  static Spec fillOf(const TensorSpec &dst, FillValue v, MemoryLimits limits,
                     bool serial = false);
  /// out = fn(inputs) (one input: Unary, two: Binary; Elementwise.h), an
  /// input of extent 1 where `out` has more being broadcast along that dim;
  /// a Binary's result then through the unary `epilogue` (0: none).
  static Spec elementwise(uint8_t fn, llvm::ArrayRef<TensorSpec> inputs,
                          const TensorSpec &out, MemoryLimits limits,
                          bool serial = false, uint8_t epilogue = 0);
  /// out (fn)= x along `dim` (ReduceFn), out keeping it as extent 1 or not.
  static Spec reduce(uint8_t fn, unsigned dim, bool keepDim,
                     const TensorSpec &x, const TensorSpec &out, bool accum,
                     MemoryLimits limits, bool serial = false);

  /// out (+)= conv(image, filter), logical NHWC / HWCF / NHWC (Kinds/
  /// Conv.cpp), with strides and dilations as (h, w).
  static Spec conv2d(const TensorSpec &image, const TensorSpec &filter,
                     const TensorSpec &out, std::array<uint8_t, 2> strides,
                     std::array<uint8_t, 2> dilations, bool accum,
                     MemoryLimits limits, bool serial = false);
  /// A depthwise convolution: filters (r, s, c), one per channel; the
  /// output's channels are the image's.
  static Spec depthwiseConv2d(const TensorSpec &image, const TensorSpec &filter,
                              const TensorSpec &out,
                              std::array<uint8_t, 2> strides,
                              std::array<uint8_t, 2> dilations, bool accum,
                              MemoryLimits limits, bool serial = false);

  unsigned numOperands() const;
  FillValue fillValue() const { return FillValue(params[0]); }
  OperandRole role(unsigned i) const;
  bool reads(unsigned i) const { return role(i) != OperandRole::Out; }
  bool writes(unsigned i) const { return role(i) != OperandRole::In; }
  /// The operand whose tiles an output tiling chooses.
  unsigned outputIndex() const { return numOperands() - 1; }
  const TensorSpec &output() const { return operands[outputIndex()]; }

  /// Matmul sizes (b x m x k x n).
  uint32_t b() const { return operands[0].shape[0]; }
  uint32_t m() const { return operands[0].shape[1]; }
  uint32_t k() const { return operands[0].shape[2]; }
  uint32_t n() const { return operands[1].shape[2]; }

  /// Shapes agree, layouts apply, vector lanes are present exactly in VRF.
  bool isValid() const;
  void canonicalize();
  Spec canonical() const {
    Spec s = *this;
    s.canonicalize();
    return s;
  }

  bool operator==(const Spec &o) const;
  bool operator!=(const Spec &o) const { return !(*this == o); }
  uint64_t hash() const;
  /// The hash and the equality of specs whatever their limits (the memo's
  /// keys: SpecTable.h).
  uint64_t hashIgnoringLimits() const;
  bool sameIgnoringLimits(const Spec &o) const;

  void print(llvm::raw_ostream &os, bool withLimits = true) const;
  std::string str(bool withLimits = true) const;
};

/// Full limits of a target (everything available).
MemoryLimits fullLimits(const Target &t);

} // namespace tessel::synth

namespace llvm {
template <> struct DenseMapInfo<tessel::synth::Spec> {
  static tessel::synth::Spec getEmptyKey();
  static tessel::synth::Spec getTombstoneKey();
  static unsigned getHashValue(const tessel::synth::Spec &s) {
    return static_cast<unsigned>(s.hash());
  }
  static bool isEqual(const tessel::synth::Spec &a,
                      const tessel::synth::Spec &b) {
    return a == b;
  }
};
} // namespace llvm

#endif // TESSEL_SYNTHESIS_SPEC_H
