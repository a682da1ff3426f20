//===- Coordinates.h - Specs as (table key, point) --------------*- C++ -*-===//
//
// The compressed memo stores answers as boxes in Z>=0^n. A canonical Spec maps
// to a table key (everything categorical) plus a point (everything ordered),
// exactly and invertibly:
//
//   key   kind, accum, the kind's params; per operand: rank, dtype, level,
//   vector
//         lanes, layout entries (logical dim of each physical entry, and
//         which entries are blocks), prefetched;
//   point shape (the kind's loop extents, Kind.h: Matmul b, m, n, k; Move,
//         Fill: the operand's dims; linear:
//         any size, not only powers of two), then per operand its block sizes,
//         contig and strideLog2, then serial, then one coordinate per memory
//         level (the last kNumLevels coordinates):
//           GL, L2, L1 (bytes): 0 -> 0, 2^k -> k + 1, 0xFFFFFFFF -> 33;
//           VRF, RF (registers): the count itself.
//
// Cache limits are powers of two in canonical specs (MemoryLimits), so the log
// code loses nothing and makes consecutive budgets adjacent coordinates,
// which is what lets boxes merge. A spec outside this mapping (non-canonical
// limits, shapes that disagree, non-zero padding) is "not representable"; the
// memo keeps such specs in an exact side table instead (CompressedMemo.h).
// docs/memo-format.md has the full description.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MEMO_COORDINATES_H
#define TESSEL_MEMO_COORDINATES_H

#include "tessel/Synthesis/Spec.h"
#include "llvm/ADT/SmallVector.h"
#include <array>
#include <optional>

namespace tessel::memo {

/// Bytes of a table key: kind, accum and the params, then 12 per operand
/// (see above).
constexpr unsigned kKeyHeaderBytes = 2 + synth::kMaxParams;
constexpr unsigned kKeyBytes = kKeyHeaderBytes + synth::kMaxOperands * 12;
/// Point dimensions of the largest specs: 8 loops + 6 x (5 blocks + 2) + 1
/// + 5.
constexpr unsigned kMaxDims = 56;
/// Coordinates of the limit code for an unbounded byte budget (0xFFFFFFFF).
constexpr uint32_t kUnboundedCode = 33;

struct TableKey {
  std::array<uint8_t, kKeyBytes> bytes{};
  bool operator==(const TableKey &o) const { return bytes == o.bytes; }
  bool operator<(const TableKey &o) const { return bytes < o.bytes; }
  uint64_t hash() const;
  /// Number of point coordinates a spec with this key has; 0 if the key is
  /// malformed (e.g. read from a damaged file).
  unsigned dims() const;
  /// How many leading coordinates are the shape (Matmul: 4, else the rank).
  unsigned shapeDims() const;
  /// e.g. "Matmul f32 GL[0][1], f32 GL[0][1], f32 GL[0][1]".
  std::string str() const;
};

using Point = llvm::SmallVector<uint32_t, kMaxDims>;

/// Position of the first limit coordinate in a point of `dims` coordinates.
inline unsigned limitStart(unsigned dims) { return dims - synth::kNumLevels; }

/// Code of a limit on a byte-counted level; nothing if it is not 0, a power
/// of two or 0xFFFFFFFF.
std::optional<uint32_t> byteLimitCode(uint32_t bytes);
/// The smallest code whose budget is >= `bytes` (lookups of non-canonical
/// limits and lower ends of boxes from peaks).
uint32_t byteLimitCodeCeil(uint32_t bytes);
/// Whether level `l` counts bytes (log-coded) rather than registers.
bool isByteLevel(synth::MemoryLevel l);

struct Coordinates {
  TableKey key;
  Point point;
};

/// (key, point) of `spec`, or nothing if it is not representable. With
/// `roundLimitsUp` (lookups), a byte limit that is not a power of two gets
/// the next code up instead of failing: see Coordinates.cpp for why that is
/// still exact once the caller checks that the answer's peak fits.
std::optional<Coordinates> encode(const synth::Spec &spec,
                                  bool roundLimitsUp = false);
/// The spec with this key and point; nothing if they describe none (wrong
/// number of coordinates, out-of-range codes).
std::optional<synth::Spec> decode(const TableKey &key,
                                  llvm::ArrayRef<uint32_t> point);

} // namespace tessel::memo

#endif // TESSEL_MEMO_COORDINATES_H
