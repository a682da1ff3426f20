//===- Layout.h - Physical layouts of tensors -------------------*- C++ -*-===//
//
// A layout lists physical dimensions from slowest to fastest. Each entry names
// a logical dimension and either covers what remains of it ("dynamic", block 0)
// or a fixed inner block of it. Row-major [m][k] is {(0,0),(1,0)}; the packed
// right-hand side [n/16][k][16] of a k x n matrix is {(1,0),(0,0),(1,16)}; the
// bf16 pair layout [k/2][n][2] is {(0,0),(1,0),(0,2)}. A logical dimension has
// at most one dynamic entry and at most one block entry, the block inner to it.
//
// Layouts are canonicalised against a shape: dimensions of extent 1 vanish, an
// entry pair that became adjacent collapses (inside the contiguous run), and a block that covers the whole
// extent becomes dynamic. Equal placements of data therefore compare equal.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SYNTHESIS_LAYOUT_H
#define TESSEL_SYNTHESIS_LAYOUT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace tessel::synth {

constexpr unsigned kMaxRank = 4;
constexpr unsigned kMaxPhys = kMaxRank + 1;

using Shape = llvm::SmallVector<uint32_t, kMaxRank>;

class Layout {
public:
  Layout() = default;

  static Layout rowMajor(unsigned rank);
  /// Row-major with the two innermost logical dimensions swapped.
  static Layout colMajor(unsigned rank);
  /// `perm` lists logical dimensions slowest first.
  static Layout permuted(llvm::ArrayRef<unsigned> perm);
  /// `perm` with an inner block of `block` elements of logical dim `dim`
  /// appended innermost, e.g. packed({1,0}, 1, 16) = [n/16][k][16] for k x n.
  static Layout packed(llvm::ArrayRef<unsigned> perm, unsigned dim,
                       unsigned block);
  /// Entries given as they are (dims[i], blocks[i]), slowest first, without
  /// canonicalisation: the memo database rebuilds stored layouts exactly.
  /// Nothing if there are more than kMaxPhys entries.
  static std::optional<Layout> fromEntries(llvm::ArrayRef<uint8_t> dims,
                                           llvm::ArrayRef<uint16_t> blocks);

  unsigned size() const { return numPhys; }
  unsigned dim(unsigned i) const { return dims[i]; }
  unsigned block(unsigned i) const { return blocks[i]; }
  /// The block size of logical dim `d`, or 0 if it is not blocked.
  unsigned blockOf(unsigned d) const;

  /// Extent of each physical entry for a tensor (or tile) of `shape`.
  llvm::SmallVector<uint32_t, kMaxPhys>
  physicalExtents(llvm::ArrayRef<uint32_t> shape) const;
  /// Whether a tile of `shape` is a regular view in this layout (blocks divide
  /// the extent or the extent divides the block) and every dimension of extent
  /// above 1 is placed.
  bool appliesTo(llvm::ArrayRef<uint32_t> shape) const;

  /// Canonical form for `shape`. `contig` (innermost contiguous entries) is
  /// updated in place to count entries of the new layout.
  Layout canonicalize(llvm::ArrayRef<uint32_t> shape, unsigned &contig) const;

  /// The innermost entry's logical dimension (the one vectors run along).
  int innermostDim() const { return numPhys ? dims[numPhys - 1] : -1; }

  bool operator==(const Layout &o) const;
  bool operator!=(const Layout &o) const { return !(*this == o); }
  bool operator<(const Layout &o) const;

  /// e.g. "[0][1]" (row-major) or "[1][0][1:16]" (packed).
  std::string str() const;

private:
  /// Whether block entry `i` has the dynamic entry of its dim outside it.
  bool blockPartner(unsigned i) const;
  void push(unsigned d, unsigned b) {
    dims[numPhys] = static_cast<uint8_t>(d);
    blocks[numPhys] = static_cast<uint16_t>(b);
    ++numPhys;
  }

  // Plain bytes, no padding: specs are hashed as raw memory.
  uint8_t numPhys = 0;
  std::array<uint8_t, kMaxPhys> dims{};
  std::array<uint16_t, kMaxPhys> blocks{};
};

} // namespace tessel::synth

#endif // TESSEL_SYNTHESIS_LAYOUT_H
