//===- Coordinates.cpp - Specs as (table key, point) ----------------------===//
#include "tessel/Memo/Coordinates.h"
#include "tessel/Synthesis/Kind.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include <cstring>

using namespace tessel::synth;

namespace tessel::memo {

namespace {
constexpr unsigned kOperandBytes = 12;
// Offsets inside one operand's key bytes.
enum : unsigned {
  kRank = 0,
  kDtype = 1,
  kLevel = 2,
  kLanes = 3,
  kNumPhys = 4,
  kDims = 5, // kMaxPhys bytes
  kBlockMask = 10,
  kPrefetched = 11,
};

unsigned numOperandsOf(uint8_t kind) {
  return synth::numOperandsOf(SpecKind(kind));
}

/// The iteration space's loops for the kind, accum, param and operand ranks
/// of a well-formed key (its index maps; no extents).
std::optional<IterationSpace> keyLoops(const TableKey &k);

const uint8_t *operandKey(const TableKey &k, unsigned i) {
  return k.bytes.data() + kKeyHeaderBytes + i * kOperandBytes;
}
uint8_t *operandKey(TableKey &k, unsigned i) {
  return k.bytes.data() + kKeyHeaderBytes + i * kOperandBytes;
}
Params keyParams(const TableKey &k) {
  Params p;
  std::copy_n(k.bytes.begin() + 2, kMaxParams, p.begin());
  return p;
}
} // namespace

uint64_t TableKey::hash() const {
  return llvm::xxh3_64bits(llvm::ArrayRef<uint8_t>(bytes.data(), bytes.size()));
}

unsigned TableKey::dims() const {
  uint8_t kind = bytes[0];
  unsigned n = numOperandsOf(kind);
  if (!n || bytes[1] > 1 || (bytes[1] && !kindOf(SpecKind(kind)).accumulates()))
    return 0;
  unsigned d = 0;
  for (unsigned i = 0; i < kMaxOperands; ++i) {
    const uint8_t *o = operandKey(*this, i);
    if (i >= n) {
      // Absent operands are all zero: one spec, one key.
      for (unsigned j = 0; j < kOperandBytes; ++j)
        if (o[j])
          return 0;
      continue;
    }
    if (o[kRank] == 0 || o[kRank] > kMaxRank || o[kDtype] >= kNumDtypes ||
        o[kLevel] >= kNumLevels || o[kNumPhys] > kMaxPhys ||
        o[kPrefetched] > (o[kLevel] == uint8_t(MemoryLevel::GL) ? 1 : 0) ||
        (o[kBlockMask] >> o[kNumPhys]) != 0)
      return 0;
    for (unsigned j = 0; j < kMaxPhys; ++j)
      if (j < o[kNumPhys] ? o[kDims + j] >= kMaxRank : o[kDims + j] != 0)
        return 0;
    d += llvm::popcount(o[kBlockMask]) + 2; // blocks, contig, strideLog2
  }
  std::optional<IterationSpace> loops = keyLoops(*this);
  if (!loops)
    return 0;
  return loops->numLoops + d + 1 + kNumLevels;
}

unsigned TableKey::shapeDims() const {
  std::optional<IterationSpace> loops = keyLoops(*this);
  return loops ? loops->numLoops : 0;
}

namespace {
std::optional<IterationSpace> keyLoops(const TableKey &k) {
  Spec s;
  s.kind = SpecKind(k.bytes[0]);
  s.accum = k.bytes[1];
  s.params = keyParams(k);
  for (unsigned i = 0; i < numOperandsOf(k.bytes[0]); ++i)
    s.operands[i].rank = operandKey(k, i)[kRank];
  IterationSpace space;
  const Kind &kind = kindOf(s.kind);
  if (!kind.validParams(s) || !kind.index(s, space))
    return std::nullopt;
  return space;
}
} // namespace

std::string TableKey::str() const {
  if (!dims())
    return "<malformed key>";
  std::string s;
  llvm::raw_string_ostream os(s);
  kindOf(SpecKind(bytes[0])).printName(bytes[1], keyParams(*this), os);
  for (unsigned i = 0; i < numOperandsOf(bytes[0]); ++i) {
    const uint8_t *o = operandKey(*this, i);
    os << (i ? ", " : " ") << dtypeName(Dtype(o[kDtype])) << ' '
       << levelName(MemoryLevel(o[kLevel]));
    if (o[kLanes])
      os << '/' << unsigned(o[kLanes]);
    if (o[kPrefetched])
      os << " prefetched";
    for (unsigned j = 0; j < o[kNumPhys]; ++j)
      os << '[' << unsigned(o[kDims + j])
         << ((o[kBlockMask] >> j) & 1 ? ":b" : "") << ']';
  }
  return s;
}

bool isByteLevel(MemoryLevel l) { return !isRegisterLevel(l); }

std::optional<uint32_t> byteLimitCode(uint32_t bytes) {
  if (bytes == 0)
    return 0;
  if (bytes == 0xFFFFFFFFu)
    return kUnboundedCode;
  if (!llvm::isPowerOf2_32(bytes))
    return std::nullopt;
  return llvm::Log2_32(bytes) + 1;
}

uint32_t byteLimitCodeCeil(uint32_t bytes) {
  if (bytes == 0)
    return 0;
  if (bytes > (1u << 31))
    return kUnboundedCode;
  return llvm::Log2_32_Ceil(bytes) + 1;
}

std::optional<Coordinates> encode(const Spec &s, bool roundLimitsUp) {
  unsigned n = s.numOperands();
  if (!n)
    return std::nullopt;
  Coordinates c;
  TableKey &k = c.key;
  k.bytes[0] = uint8_t(s.kind);
  k.bytes[1] = s.accum;
  std::copy(s.params.begin(), s.params.end(), k.bytes.begin() + 2);
  if (uint8_t(s.accum) > 1 || uint8_t(s.serial) > 1 || s.reserved)
    return std::nullopt;
  const TensorSpec empty;
  for (unsigned i = 0; i < kMaxOperands; ++i) {
    const TensorSpec &t = s.operands[i];
    if (i >= n) {
      if (std::memcmp(&t, &empty, sizeof(TensorSpec)) != 0)
        return std::nullopt;
      continue;
    }
    if (t.rank == 0 || t.rank > kMaxRank || t.reserved || t.prefetched > 1)
      return std::nullopt;
    for (unsigned d = t.rank; d < kMaxRank; ++d)
      if (t.shape[d])
        return std::nullopt;
    uint8_t *o = operandKey(k, i);
    o[kRank] = t.rank;
    o[kDtype] = uint8_t(t.dtype);
    o[kLevel] = uint8_t(t.level);
    o[kLanes] = t.vectorLanes;
    o[kPrefetched] = t.prefetched;
    o[kNumPhys] = t.layout.size();
    for (unsigned j = 0; j < t.layout.size(); ++j) {
      o[kDims + j] = t.layout.dim(j);
      if (t.layout.block(j))
        o[kBlockMask] |= 1u << j;
    }
  }
  if (!k.dims())
    return std::nullopt;

  // The operands' shapes are implied by the loop extents; specs whose
  // shapes disagree have no place here.
  std::optional<IterationSpace> space = iterationSpace(s);
  if (!space)
    return std::nullopt;
  Point &p = c.point;
  p.append(space->extents.begin(), space->extents.begin() + space->numLoops);
  for (unsigned i = 0; i < n; ++i) {
    const TensorSpec &t = s.operands[i];
    for (unsigned j = 0; j < t.layout.size(); ++j)
      if (t.layout.block(j))
        p.push_back(t.layout.block(j));
    p.push_back(t.contig);
    p.push_back(t.strideLog2);
  }
  p.push_back(s.serial);
  for (unsigned l = 0; l < kNumLevels; ++l) {
    uint32_t u = s.limits.units[l];
    if (isByteLevel(MemoryLevel(l))) {
      // A lookup of a non-canonical budget L (say 3000 bytes of L1) asks at
      // the next canonical budget up, ceil(L). A box containing that point
      // was solved under some L_s >= ceil(L) >= L; its answer is optimal
      // under L too iff its peak fits L, which the memo checks. That is
      // exactly the plain map's rule (solved limits >= L and peak <= L).
      std::optional<uint32_t> code =
          roundLimitsUp ? byteLimitCodeCeil(u) : byteLimitCode(u);
      if (!code)
        return std::nullopt;
      p.push_back(*code);
    } else {
      p.push_back(u);
    }
  }
  return c;
}

std::optional<Spec> decode(const TableKey &k, llvm::ArrayRef<uint32_t> p) {
  unsigned dims = k.dims();
  if (!dims || p.size() != dims)
    return std::nullopt;
  Spec s;
  s.kind = SpecKind(k.bytes[0]);
  s.accum = k.bytes[1];
  s.params = keyParams(k);
  unsigned n = numOperandsOf(k.bytes[0]);
  unsigned at = 0;
  auto next = [&] { return p[at++]; };
  IterationSpace space = *keyLoops(k);
  for (unsigned l = 0; l < space.numLoops; ++l)
    space.extents[l] = next();
  for (unsigned i = 0; i < n; ++i) {
    const uint8_t *o = operandKey(k, i);
    TensorSpec &t = s.operands[i];
    t.rank = o[kRank];
    Shape shape = space.operandShape(i, t.rank, space.loopExtents());
    llvm::copy(shape, t.shape.begin());
    t.dtype = Dtype(o[kDtype]);
    t.level = MemoryLevel(o[kLevel]);
    t.vectorLanes = o[kLanes];
    t.prefetched = o[kPrefetched];
    llvm::SmallVector<uint8_t, kMaxPhys> ld;
    llvm::SmallVector<uint16_t, kMaxPhys> lb;
    for (unsigned j = 0; j < o[kNumPhys]; ++j) {
      ld.push_back(o[kDims + j]);
      uint32_t block = (o[kBlockMask] >> j) & 1 ? next() : 0;
      if (block > 0xFFFF)
        return std::nullopt;
      lb.push_back(uint16_t(block));
    }
    t.layout = *Layout::fromEntries(ld, lb);
    uint32_t contig = next(), stride = next();
    if (contig > 0xFF || stride > 0xFF)
      return std::nullopt;
    t.contig = uint8_t(contig);
    t.strideLog2 = uint8_t(stride);
  }
  uint32_t serial = next();
  if (serial > 1)
    return std::nullopt;
  s.serial = serial;
  for (unsigned l = 0; l < kNumLevels; ++l) {
    uint32_t c = next();
    if (!isByteLevel(MemoryLevel(l))) {
      s.limits.units[l] = c;
      continue;
    }
    if (c > kUnboundedCode)
      return std::nullopt;
    s.limits.units[l] = c == 0                ? 0
                        : c == kUnboundedCode ? 0xFFFFFFFFu
                                              : 1u << (c - 1);
  }
  return s;
}

} // namespace tessel::memo
