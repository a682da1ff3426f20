//===- Kind.cpp - The kind registry and iteration spaces ------------------===//
#include "tessel/Synthesis/Kind.h"

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

} // namespace tessel::synth
