//===- Kind.cpp - The kind registry and iteration spaces ------------------===//
#include "tessel/Synthesis/Kind.h"
#include "llvm/ADT/bit.h"

namespace tessel::synth {

#define TESSEL_KIND(Name) const Kind &Name##Kind();
#include "tessel/Synthesis/Kinds.def"

// Filled once at load time: kindOf is on the search's hot path.
static const Kind *const kKinds[] = {
#define TESSEL_KIND(Name) &Name##Kind(),
#include "tessel/Synthesis/Kinds.def"
};

const Kind &kindOf(SpecKind k) { return *kKinds[uint8_t(k)]; }

// Every spec operation asks for its operand count: a table, not a call.
static const std::array<uint8_t, 256> kOperandCounts = [] {
  std::array<uint8_t, 256> counts{};
  for (unsigned k = 0; k < kNumKinds; ++k)
    counts[k] = uint8_t(kKinds[k]->numOperands());
  return counts;
}();

unsigned numOperandsOf(SpecKind kind) { return kOperandCounts[uint8_t(kind)]; }

bool isKnownKind(uint8_t id) { return id < kNumKinds; }

uint32_t IndexExpr::extent(llvm::ArrayRef<uint32_t> loops) const {
  if (loop < 0)
    return 1;
  if (window < 0)
    return loops[loop];
  if (!loops[loop] || !loops[window])
    return 0;
  // The first and last taps of the first and last outputs.
  return (loops[loop] - 1) * stride + (loops[window] - 1) * dilation + 1;
}

void IterationSpace::setElementwise(unsigned rank, unsigned numOperands) {
  numLoops = numParallel = uint8_t(rank);
  for (unsigned i = 0; i < numOperands; ++i)
    for (unsigned d = 0; d < rank; ++d)
      maps[i][d] = IndexExpr::of(d);
}

Shape IterationSpace::operandShape(unsigned i, unsigned rank,
                                   llvm::ArrayRef<uint32_t> loops) const {
  Shape shape;
  for (unsigned d = 0; d < rank; ++d)
    shape.push_back(maps[i][d].extent(loops));
  return shape;
}

int IterationSpace::operandDim(unsigned i, unsigned rank, unsigned l) const {
  for (unsigned d = 0; d < rank; ++d)
    if (maps[i][d].uses(l))
      return int(d);
  return -1;
}

void IterationSpace::printLoop(llvm::raw_ostream &os, unsigned l) const {
  if (names[l])
    os << names[l];
  else
    os << 'd' << l;
}

std::optional<IterationSpace> loopsOf(const Spec &s) {
  if (!isKnownKind(uint8_t(s.kind)))
    return std::nullopt;
  const Kind &kind = kindOf(s.kind);
  IterationSpace space;
  if (!kind.index(s, space))
    return std::nullopt;
  // Each loop's extent is that of a dimension it alone indexes.
  unsigned n = kind.numOperands();
  for (unsigned l = 0; l < space.numLoops; ++l)
    for (unsigned i = 0; i < n && !space.extents[l]; ++i)
      for (unsigned d = 0; d < s.operands[i].rank; ++d) {
        const IndexExpr &e = space.maps[i][d];
        if (e.loop == int(l) && e.window < 0) {
          space.extents[l] = s.operands[i].shape[d];
          break;
        }
      }
  return space;
}

std::optional<IterationSpace> iterationSpace(const Spec &s) {
  std::optional<IterationSpace> space = loopsOf(s);
  if (!space)
    return std::nullopt;
  for (unsigned l = 0; l < space->numLoops; ++l)
    if (!space->extents[l])
      return std::nullopt;
  // Every operand's shape must be the one the loops imply.
  for (unsigned i = 0; i < s.numOperands(); ++i) {
    const TensorSpec &t = s.operands[i];
    if (t.dims() != llvm::ArrayRef<uint32_t>(
                        space->operandShape(i, t.rank, space->loopExtents())))
      return std::nullopt;
  }
  return space;
}

/// Operand `t` of a matrix product as the batch-1 matmul operand whose dims
/// 1 and 2 run along kernel indices `first` and `second`.
static std::optional<TensorSpec> asMatmulOperand(const TensorSpec &t,
                                                 llvm::ArrayRef<int8_t> dims,
                                                 llvm::ArrayRef<uint8_t> steps,
                                                 int first, int second) {
  TensorSpec r = t;
  r.rank = 3;
  r.shape = {1, 1, 1, 0};
  std::array<int, kMaxRank> to{};
  int strided = -1;
  for (unsigned d = 0; d < t.rank; ++d) {
    to[d] = dims[d] == first ? 1 : dims[d] == second ? 2 : -1;
    if (to[d] < 0) {
      if (t.shape[d] != 1)
        return std::nullopt;
      continue;
    }
    uint32_t step = std::max<uint32_t>(steps[d], 1);
    r.shape[to[d]] = (t.shape[d] - 1) / step + 1;
    if (step > 1 && t.shape[d] > 1)
      strided = int(d);
  }
  llvm::SmallVector<uint8_t, kMaxPhys> entryDims;
  llvm::SmallVector<uint16_t, kMaxPhys> blocks;
  unsigned contig = t.contig;
  for (unsigned i = 0; i < t.layout.size(); ++i) {
    unsigned d = t.layout.dim(i);
    if (to[d] < 0 || (int(d) == strided && t.layout.blockOf(d)))
      return std::nullopt;
    entryDims.push_back(uint8_t(to[d]));
    blocks.push_back(uint16_t(t.layout.block(i)));
    // Steps along a dim break the contiguity of its entry and those outside.
    if (int(d) == strided) {
      contig = std::min(contig, t.layout.size() - 1 - i);
      uint64_t innerBytes = dtypeBytes(t.dtype);
      auto ext = t.layout.physicalExtents(t.dims());
      for (unsigned j = i + 1; j < ext.size(); ++j)
        innerBytes *= ext[j];
      unsigned pitchLog2 =
          t.strideLog2 < 31 ? t.strideLog2 : llvm::countr_zero(innerBytes);
      r.strideLog2 = uint8_t(
          std::min(31u, pitchLog2 + llvm::countr_zero(uint32_t(steps[d]))));
    }
  }
  std::optional<Layout> layout = Layout::fromEntries(entryDims, blocks);
  if (!layout)
    return std::nullopt;
  r.layout = *layout;
  r.contig = uint8_t(contig);
  r.canonicalize();
  return r;
}

std::optional<Spec> asMatmul(const Spec &s) {
  if (s.kind == SpecKind::Matmul)
    return s;
  std::optional<MatmulForm> form = kindOf(s.kind).matmulForm(s);
  if (!form)
    return std::nullopt;
  // Kernel indices: 0 m, 1 k, 2 n.
  static const int roles[3][2] = {{0, 1}, {1, 2}, {0, 2}};
  std::array<TensorSpec, 3> ops;
  for (unsigned i = 0; i < 3; ++i) {
    std::optional<TensorSpec> t =
        asMatmulOperand(s.operands[form->operands[i]], form->dims[i],
                        form->steps[i], roles[i][0], roles[i][1]);
    if (!t)
      return std::nullopt;
    ops[i] = *t;
  }
  return Spec::matmul(ops[0], ops[1], ops[2], s.accum, s.limits, s.serial);
}

} // namespace tessel::synth
