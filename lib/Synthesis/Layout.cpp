//===- Layout.cpp ---------------------------------------------------------===//
#include "tessel/Synthesis/Layout.h"
#include "llvm/Support/raw_ostream.h"
#include <cassert>

namespace tessel::synth {

Layout Layout::rowMajor(unsigned rank) {
  Layout l;
  for (unsigned d = 0; d < rank; ++d)
    l.push(d, 0);
  return l;
}

Layout Layout::colMajor(unsigned rank) {
  Layout l = rowMajor(rank);
  if (rank >= 2)
    std::swap(l.dims[rank - 1], l.dims[rank - 2]);
  return l;
}

Layout Layout::permuted(llvm::ArrayRef<unsigned> perm) {
  Layout l;
  for (unsigned d : perm)
    l.push(d, 0);
  return l;
}

Layout Layout::packed(llvm::ArrayRef<unsigned> perm, unsigned dim,
                      unsigned block) {
  Layout l = permuted(perm);
  l.push(dim, block);
  return l;
}

std::optional<Layout> Layout::fromEntries(llvm::ArrayRef<uint8_t> dims,
                                         llvm::ArrayRef<uint16_t> blocks) {
  if (dims.size() > kMaxPhys || dims.size() != blocks.size())
    return std::nullopt;
  Layout l;
  for (unsigned i = 0; i < dims.size(); ++i)
    l.push(dims[i], blocks[i]);
  return l;
}

bool Layout::blockPartner(unsigned i) const {
  for (unsigned j = 0; j < i; ++j)
    if (dims[j] == dims[i] && !blocks[j])
      return true;
  return false;
}

unsigned Layout::blockOf(unsigned d) const {
  for (unsigned i = 0; i < numPhys; ++i)
    if (dims[i] == d && blocks[i])
      return blocks[i];
  return 0;
}

llvm::SmallVector<uint32_t, kMaxPhys>
Layout::physicalExtents(llvm::ArrayRef<uint32_t> shape) const {
  // Hot in the search: the common unblocked layout needs one pass.
  llvm::SmallVector<uint32_t, kMaxPhys> ext;
  ext.resize_for_overwrite(numPhys); // every entry is set below
  bool blocked = false;
  for (unsigned i = 0; i < numPhys; ++i) {
    ext[i] = shape[dims[i]];
    blocked |= blocks[i] != 0;
  }
  if (!blocked)
    return ext;
  for (unsigned i = 0; i < numPhys; ++i) {
    if (blocks[i])
      ext[i] = std::min<uint32_t>(ext[i], blocks[i]);
    else if (unsigned b = blockOf(dims[i]))
      ext[i] = (ext[i] + b - 1) / b;
  }
  return ext;
}

bool Layout::appliesTo(llvm::ArrayRef<uint32_t> shape) const {
  for (unsigned d = 0; d < shape.size(); ++d) {
    if (shape[d] <= 1)
      continue;
    bool placed = false;
    for (unsigned i = 0; i < numPhys; ++i)
      placed |= dims[i] == d;
    if (!placed)
      return false;
  }
  for (unsigned i = 0; i < numPhys; ++i) {
    if (dims[i] >= shape.size())
      return false;
    uint32_t p = blocks[i], s = shape[dims[i]];
    if (p && !(s % p == 0 || (s < p && p % s == 0)))
      return false;
  }
  return true;
}

Layout Layout::canonicalize(llvm::ArrayRef<uint32_t> shape,
                            unsigned &contig) const {
  auto ext = physicalExtents(shape);
  // Fast path (the common case in search): nothing to drop or merge.
  bool canonical = true;
  for (unsigned i = 0; i < numPhys && canonical; ++i) {
    canonical &= ext[i] > 1;
    if (blocks[i])
      canonical &= i > 0 && dims[i - 1] != dims[i] && blockPartner(i);
  }
  if (canonical) {
    contig = std::min<unsigned>(contig, numPhys);
    return *this;
  }
  // Per-entry contiguity flags; entries of extent 1 are dropped (they place
  // no data) but do not change the contiguity of the others.
  struct Entry {
    unsigned dim, block;
    uint32_t ext;
    bool contiguous;
  };
  llvm::SmallVector<Entry, kMaxPhys> kept;
  for (unsigned i = 0; i < numPhys; ++i)
    if (ext[i] > 1)
      kept.push_back({dims[i], blocks[i], ext[i], i + contig >= numPhys});
  // Collapse a dynamic entry immediately followed by its own block: the two
  // walk one logical dim through consecutive addresses, but only inside the
  // contiguous run. Elsewhere a dropped entry between them still spaces the
  // blocks apart (a column of a pair-packed [k/2][n][2] buffer is pairs 2n
  // elements apart, not one run of k).
  llvm::SmallVector<Entry, kMaxPhys> merged;
  for (const Entry &e : kept) {
    if (!merged.empty() && merged.back().dim == e.dim && e.block &&
        !merged.back().block && merged.back().contiguous) {
      merged.back().ext *= e.ext;
      merged.back().contiguous = e.contiguous;
      continue;
    }
    merged.push_back(e);
  }
  Layout out;
  for (Entry &e : merged) {
    // A block is redundant once it is the only entry left for its dim.
    unsigned count = 0;
    for (const Entry &o : merged)
      count += o.dim == e.dim;
    out.push(e.dim, count == 1 ? 0 : e.block);
  }
  unsigned c = 0;
  for (unsigned i = merged.size(); i > 0 && merged[i - 1].contiguous; --i)
    ++c;
  contig = c;
  return out;
}

bool Layout::operator==(const Layout &o) const {
  if (numPhys != o.numPhys)
    return false;
  for (unsigned i = 0; i < numPhys; ++i)
    if (dims[i] != o.dims[i] || blocks[i] != o.blocks[i])
      return false;
  return true;
}

bool Layout::operator<(const Layout &o) const {
  if (numPhys != o.numPhys)
    return numPhys < o.numPhys;
  for (unsigned i = 0; i < numPhys; ++i) {
    if (dims[i] != o.dims[i])
      return dims[i] < o.dims[i];
    if (blocks[i] != o.blocks[i])
      return blocks[i] < o.blocks[i];
  }
  return false;
}

std::string Layout::str() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  if (!numPhys)
    os << "[]";
  for (unsigned i = 0; i < numPhys; ++i) {
    os << '[' << unsigned(dims[i]);
    if (blocks[i])
      os << ':' << blocks[i];
    os << ']';
  }
  return s;
}

} // namespace tessel::synth
