//===- Spec.cpp -----------------------------------------------------------===//
#include "tessel/Synthesis/Spec.h"
#include "tessel/Synthesis/Elementwise.h"
#include "tessel/Synthesis/Kind.h"
#include "tessel/Synthesis/Target.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/xxhash.h"
#include <cassert>
#include <cstddef>
#include <cstring>
#include <type_traits>

namespace tessel::synth {

// Specs are hashed and compared as raw bytes: there must be no padding.
static_assert(std::has_unique_object_representations_v<Layout>);
static_assert(std::has_unique_object_representations_v<TensorSpec>);
static_assert(std::has_unique_object_representations_v<MemoryLimits>);
static_assert(std::has_unique_object_representations_v<Spec>);

//===----------------------------------------------------------------------===//
// TensorSpec
//===----------------------------------------------------------------------===//

static uint8_t bufferStrideLog2(const Layout &l, llvm::ArrayRef<uint32_t> shape,
                                Dtype dtype) {
  if (l.size() <= 1)
    return 31;
  auto ext = l.physicalExtents(shape);
  uint64_t stride = uint64_t(ext.back()) * dtypeBytes(dtype);
  return static_cast<uint8_t>(
      std::min<unsigned>(llvm::countr_zero(stride), 31));
}

TensorSpec TensorSpec::buffer(llvm::ArrayRef<uint32_t> shape, Dtype dtype,
                              MemoryLevel level, Layout layout,
                              unsigned vectorLanes) {
  assert(shape.size() <= kMaxRank);
  TensorSpec t;
  t.rank = shape.size();
  for (unsigned d = 0; d < shape.size(); ++d)
    t.shape[d] = shape[d];
  t.dtype = dtype;
  t.level = level;
  t.vectorLanes = level == MemoryLevel::VRF ? vectorLanes : 0;
  unsigned contig = layout.size();
  t.layout = layout.canonicalize(shape, contig);
  t.contig = contig;
  t.strideLog2 = bufferStrideLog2(t.layout, shape, dtype);
  return t;
}

uint64_t TensorSpec::volume() const {
  uint64_t v = 1;
  for (unsigned d = 0; d < rank; ++d)
    v *= shape[d];
  return v;
}

/// A VRF tensor is rows of vectors along its innermost physical dim (the
/// last of a row partial when its lanes do not divide the row).
static bool vrfShapeOk(const TensorSpec &t) {
  return t.vectorLanes != 0 && t.layout.size() != 0;
}

std::optional<TensorSpec>
TensorSpec::tile(llvm::ArrayRef<uint32_t> tileShape) const {
  if (tileShape.size() != rank)
    return std::nullopt;
  for (unsigned d = 0; d < rank; ++d)
    if (tileShape[d] == 0 || tileShape[d] > shape[d])
      return std::nullopt;
  if (!layout.appliesTo(tileShape))
    return std::nullopt;
  auto parentExt = layout.physicalExtents(dims());
  auto tileExt = layout.physicalExtents(tileShape);
  unsigned n = layout.size();
  // Entry i stays contiguous with the inner ones if it was, and every entry
  // inside it still spans its whole parent extent.
  unsigned c = 0;
  bool innerFull = true;
  for (unsigned i = n; i > 0; --i) {
    bool wasContig = i - 1 + contig >= n;
    if (!wasContig || !innerFull)
      break;
    ++c;
    innerFull &= tileExt[i - 1] == parentExt[i - 1];
  }
  TensorSpec t = *this;
  for (unsigned d = 0; d < rank; ++d)
    t.shape[d] = tileShape[d];
  t.contig = c;
  t.canonicalize();
  // A register tile is cut between vectors (only a row's own end may be a
  // partial vector).
  if (t.level == MemoryLevel::VRF &&
      (!vrfShapeOk(t) || (tileExt.back() != parentExt.back() &&
                          tileExt.back() % vectorLanes != 0)))
    return std::nullopt;
  return t;
}

uint64_t TensorSpec::rows() const {
  auto ext = layout.physicalExtents(dims());
  uint64_t r = 1;
  for (unsigned i = 0; i + contig < layout.size(); ++i)
    r *= ext[i];
  return r;
}

uint64_t TensorSpec::lineBytesPerRow() const {
  auto ext = layout.physicalExtents(dims());
  uint64_t e = 1;
  for (unsigned i = layout.size() - contig; i < layout.size(); ++i)
    e *= ext[i];
  return e * dtypeBytes(dtype);
}

uint64_t TensorSpec::vectors(unsigned lanes) const {
  auto ext = layout.physicalExtents(dims());
  if (ext.empty())
    return 1;
  uint64_t n = llvm::divideCeil(ext.back(), lanes);
  for (unsigned i = 0; i + 1 < ext.size(); ++i)
    n *= ext[i];
  return n;
}

uint64_t TensorSpec::lines() const {
  if (isRegisterLevel(level))
    return 0;
  return rows() * llvm::divideCeil(lineBytesPerRow(), 64);
}

void TensorSpec::canonicalize() {
  unsigned c = contig;
  layout = layout.canonicalize(dims(), c);
  contig = c;
  if (level != MemoryLevel::VRF)
    vectorLanes = 0;
  if (level != MemoryLevel::GL)
    prefetched = 0;
  // Registers have no addresses: contiguity and strides mean nothing there.
  // A single run never becomes strided by tiling, so its stride is moot.
  if (isRegisterLevel(level))
    contig = layout.size();
  if (layout.size() <= 1 || isRegisterLevel(level))
    strideLog2 = 31;
  for (unsigned d = rank; d < kMaxRank; ++d)
    shape[d] = 0;
}

bool TensorSpec::operator==(const TensorSpec &o) const {
  return std::memcmp(this, &o, sizeof(TensorSpec)) == 0;
}

void TensorSpec::print(llvm::raw_ostream &os) const {
  for (unsigned d = 0; d < rank; ++d)
    os << (d ? "x" : "") << shape[d];
  os << ' ' << dtypeName(dtype) << ' ' << levelName(level);
  if (level == MemoryLevel::VRF)
    os << '/' << unsigned(vectorLanes);
  if (level != MemoryLevel::RF && level != MemoryLevel::VRF) {
    os << ' ' << layout.str();
    if (!fullyContiguous())
      os << " c" << unsigned(contig);
  }
  if (prefetched)
    os << " prefetched";
}

std::string TensorSpec::str() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  print(os);
  return s;
}

//===----------------------------------------------------------------------===//
// MemoryLimits
//===----------------------------------------------------------------------===//

void MemoryLimits::canonicalize() {
  for (MemoryLevel l : {MemoryLevel::L1, MemoryLevel::L2}) {
    uint32_t &u = (*this)[l];
    if (u)
      u = uint32_t(1) << llvm::Log2_32(u);
  }
}

void MemoryLimits::print(llvm::raw_ostream &os) const {
  os << "{L2 " << (*this)[MemoryLevel::L2] / 1024 << "K, L1 "
     << (*this)[MemoryLevel::L1] / 1024 << "K, VRF "
     << (*this)[MemoryLevel::VRF] << ", RF " << (*this)[MemoryLevel::RF] << '}';
}

MemoryLimits fullLimits(const Target &t) {
  MemoryLimits m;
  for (unsigned l = 0; l < kNumLevels; ++l)
    m.units[l] = t.levels[l].capacity;
  m.canonicalize();
  return m;
}

//===----------------------------------------------------------------------===//
// Spec
//===----------------------------------------------------------------------===//

Spec Spec::matmul(const TensorSpec &a, const TensorSpec &b, const TensorSpec &c,
                  bool accum, MemoryLimits limits, bool serial) {
  Spec s;
  s.kind = SpecKind::Matmul;
  s.accum = accum;
  s.serial = serial;
  s.operands = {a, b, c};
  s.limits = limits;
  s.canonicalize();
  return s;
}

/// A convolution of `kind` (Kinds/WindowKind.h: params strides, dilations).
static Spec windowed(SpecKind kind, const TensorSpec &image,
                     const TensorSpec &filter, const TensorSpec &out,
                     std::array<uint8_t, 2> strides,
                     std::array<uint8_t, 2> dilations, bool accum,
                     MemoryLimits limits, bool serial) {
  Spec s;
  s.kind = kind;
  s.accum = accum;
  s.serial = serial;
  s.params = {strides[0], strides[1], dilations[0], dilations[1]};
  s.operands = {image, filter, out};
  s.limits = limits;
  s.canonicalize();
  return s;
}

Spec Spec::conv2d(const TensorSpec &image, const TensorSpec &filter,
                  const TensorSpec &out, std::array<uint8_t, 2> strides,
                  std::array<uint8_t, 2> dilations, bool accum,
                  MemoryLimits limits, bool serial) {
  return windowed(SpecKind::Conv, image, filter, out, strides, dilations, accum,
                  limits, serial);
}

Spec Spec::depthwiseConv2d(const TensorSpec &image, const TensorSpec &filter,
                           const TensorSpec &out,
                           std::array<uint8_t, 2> strides,
                           std::array<uint8_t, 2> dilations, bool accum,
                           MemoryLimits limits, bool serial) {
  return windowed(SpecKind::DepthwiseConv, image, filter, out, strides,
                  dilations, accum, limits, serial);
}

Spec Spec::move(const TensorSpec &src, const TensorSpec &dst,
                MemoryLimits limits, bool serial) {
  Spec s;
  s.kind = SpecKind::Move;
  s.serial = serial;
  s.operands = {src, dst, TensorSpec()};
  s.limits = limits;
  s.canonicalize();
  return s;
}

Spec Spec::fillOf(const TensorSpec &dst, FillValue v, MemoryLimits limits,
                  bool serial) {
  Spec s;
  s.kind = SpecKind::Fill;
  s.params[0] = uint8_t(v);
  s.serial = serial;
  s.operands = {dst, TensorSpec(), TensorSpec()};
  s.limits = limits;
  s.canonicalize();
  return s;
}

Spec Spec::elementwise(uint8_t fn, llvm::ArrayRef<TensorSpec> inputs,
                       const TensorSpec &out, MemoryLimits limits, bool serial,
                       uint8_t epilogue) {
  Spec s;
  s.kind = inputs.size() == 1 ? SpecKind::Unary : SpecKind::Binary;
  s.params[0] = fn;
  s.params[kEpilogueParam] = epilogue;
  s.serial = serial;
  for (unsigned i = 0; i < inputs.size() && i < 2; ++i) {
    s.operands[i] = inputs[i];
    if (inputs[i].rank == out.rank)
      for (unsigned d = 0; d < out.rank; ++d)
        if (inputs[i].shape[d] == 1 && out.shape[d] != 1)
          s.params[1 + i] |= uint8_t(1u << d);
  }
  s.operands[inputs.size()] = out;
  s.limits = limits;
  s.canonicalize();
  return s;
}

Spec Spec::reduce(uint8_t fn, unsigned dim, bool keepDim, const TensorSpec &x,
                  const TensorSpec &out, bool accum, MemoryLimits limits,
                  bool serial) {
  Spec s;
  s.kind = SpecKind::Reduce;
  s.params[0] = fn;
  s.params[1] = uint8_t(dim);
  s.params[2] = keepDim;
  s.accum = accum;
  s.serial = serial;
  s.operands = {x, out};
  s.limits = limits;
  s.canonicalize();
  return s;
}

unsigned Spec::numOperands() const { return numOperandsOf(kind); }

OperandRole Spec::role(unsigned i) const {
  if (i + 1 < numOperands())
    return OperandRole::In;
  return accum ? OperandRole::InOut : OperandRole::Out;
}

bool Spec::isValid() const {
  if (!isKnownKind(uint8_t(kind)))
    return false;
  const Kind &k = kindOf(kind);
  if (reserved || !k.validParams(*this) || (accum && !k.accumulates()))
    return false;
  for (unsigned i = 0; i < numOperands(); ++i) {
    const TensorSpec &t = operands[i];
    if (t.rank == 0 || !t.layout.appliesTo(t.dims()))
      return false;
    for (unsigned d = 0; d < t.rank; ++d)
      if (t.shape[d] == 0)
        return false;
    if ((t.level == MemoryLevel::VRF) != (t.vectorLanes != 0))
      return false;
    if (t.level == MemoryLevel::VRF && !vrfShapeOk(t))
      return false;
    if (t.level == MemoryLevel::RF && t.volume() != 1)
      return false;
  }
  // The shapes are the ones the loops imply.
  return iterationSpace(*this) && k.isValid(*this);
}

void Spec::canonicalize() {
  unsigned n = numOperands();
  bool allGlobal = true;
  for (unsigned i = 0; i < kMaxOperands; ++i) {
    if (i >= n) {
      operands[i] = TensorSpec();
      continue;
    }
    operands[i].canonicalize();
    allGlobal &= operands[i].level == MemoryLevel::GL;
  }
  if (n) {
    const Kind &k = kindOf(kind);
    if (!k.accumulates())
      accum = false;
    k.canonicalize(*this);
  }
  // Parallel loops need every operand in main memory; below any move nothing
  // can be parallel, so the flag would only split the memo.
  if (!allGlobal)
    serial = true;
  limits.canonicalize();
}

/// Bytes of `s` before its absent operands: the header and the present
/// operands. Absent operands are all zero in canonical specs, so hashing and
/// comparing these and the limits is as good as the whole spec and takes
/// half the bytes of a matmul.
static size_t presentBytes(const Spec &s) {
  return offsetof(Spec, operands) + s.numOperands() * sizeof(TensorSpec);
}

bool Spec::sameIgnoringLimits(const Spec &o) const {
  return kind == o.kind && std::memcmp(this, &o, presentBytes(*this)) == 0;
}

bool Spec::operator==(const Spec &o) const {
  return sameIgnoringLimits(o) && limits == o.limits;
}

uint64_t Spec::hashIgnoringLimits() const {
  return llvm::xxh3_64bits(llvm::ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(this), presentBytes(*this)));
}

uint64_t Spec::hash() const {
  uint64_t l = llvm::xxh3_64bits(llvm::ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(&limits), sizeof(MemoryLimits)));
  return hashIgnoringLimits() ^ (l * 0x9E3779B97F4A7C15ull);
}

void Spec::print(llvm::raw_ostream &os, bool withLimits) const {
  if (!isKnownKind(uint8_t(kind))) {
    os << "<unknown kind " << unsigned(kind) << '>';
    return;
  }
  const Kind &k = kindOf(kind);
  k.printName(accum, params, os);
  k.printSizes(*this, os);
  os << " (";
  for (unsigned i = 0; i < numOperands(); ++i) {
    if (i)
      os << ", ";
    if (k.labelsOperands())
      os << k.operandName(i) << ": ";
    operands[i].print(os);
  }
  os << ')';
  if (!serial)
    os << " par";
  if (withLimits) {
    os << ' ';
    limits.print(os);
  }
}

std::string Spec::str(bool withLimits) const {
  std::string s;
  llvm::raw_string_ostream os(s);
  print(os, withLimits);
  return s;
}

} // namespace tessel::synth

tessel::synth::Spec llvm::DenseMapInfo<tessel::synth::Spec>::getEmptyKey() {
  tessel::synth::Spec s;
  s.kind = static_cast<tessel::synth::SpecKind>(0xFF);
  return s;
}
tessel::synth::Spec llvm::DenseMapInfo<tessel::synth::Spec>::getTombstoneKey() {
  tessel::synth::Spec s;
  s.kind = static_cast<tessel::synth::SpecKind>(0xFE);
  return s;
}
