//===- Kind.h - What an operation kind declares once ------------*- C++ -*-===//
//
// A kind (matmul, move, fill, ...) is data the generic engine reads: its
// operands, its iteration space (loops, parallel or reduction, and how each
// loop indexes each operand), its parameters, its kernels, the arithmetic
// part of its lower bound and which rewrites beyond tiling it admits. Output
// tiling, reduction splits, moves, prefetching, validity, printing and the
// memo's coordinates are written once over that description (Actions.cpp,
// Spec.cpp, Memo/Coordinates.cpp). Each kind lives in its own file,
// lib/Synthesis/Kinds/<Name>.cpp, registered by one line in Kinds.def.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SYNTHESIS_KIND_H
#define TESSEL_SYNTHESIS_KIND_H

#include "tessel/Synthesis/Kernels.h"
#include "tessel/Synthesis/Spec.h"
#include "tessel/Synthesis/Target.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"
#include <optional>

namespace tessel::synth {

/// Loops of an iteration space: a convolution has seven (n, oh, ow, f; c,
/// fh, fw).
constexpr unsigned kMaxLoops = 8;

/// How the loops reach one operand dimension: index = loop * stride +
/// window * dilation, a sliding window such as a convolution's
/// oh * stride + fh * dilation; just `loop` without a window; and no loop
/// at all for a dimension of extent 1 that every iteration reads whole (a
/// broadcast).
struct IndexExpr {
  int8_t loop = -1;
  int8_t window = -1;
  uint8_t stride = 1;
  uint8_t dilation = 1;

  static IndexExpr of(unsigned loop) {
    IndexExpr e;
    e.loop = int8_t(loop);
    return e;
  }
  static IndexExpr slidingWindow(unsigned loop, unsigned window,
                                 unsigned stride, unsigned dilation) {
    IndexExpr e;
    e.loop = int8_t(loop);
    e.window = int8_t(window);
    e.stride = uint8_t(stride);
    e.dilation = uint8_t(dilation);
    return e;
  }
  bool uses(unsigned l) const { return loop == int(l) || window == int(l); }
  /// The extent of the dimension when the loops span `loops`.
  uint32_t extent(llvm::ArrayRef<uint32_t> loops) const;
};

/// A kind's loops over one spec. Loops 0 .. numParallel-1 are the output's
/// dimensions, in order (every kind's output is indexed by its parallel
/// loops alone); the reductions follow. An output tiling therefore names
/// its tile by the output's shape, and a split names a reduction by its
/// position after the parallel loops.
struct IterationSpace {
  uint8_t numLoops = 0;
  uint8_t numParallel = 0;
  /// Loops tiled one at a time (a matmul's batch).
  uint8_t batchMask = 0;

  /// One letter per loop for explanations ('\0': "d<loop>").
  std::array<char, kMaxLoops> names{};
  std::array<uint32_t, kMaxLoops> extents{};
  std::array<std::array<IndexExpr, kMaxRank>, kMaxOperands> maps{};

  /// `rank` parallel loops indexing operands 0 .. numOperands-1 alike (an
  /// elementwise iteration space).
  void setElementwise(unsigned rank, unsigned numOperands);
  unsigned numReductions() const { return numLoops - numParallel; }
  bool isBatch(unsigned l) const { return (batchMask >> l) & 1; }

  llvm::ArrayRef<uint32_t> loopExtents() const {
    return {extents.data(), numLoops};
  }
  /// The shape of operand `i` (of `rank` dims) when the loops span `loops`.
  Shape operandShape(unsigned i, unsigned rank,
                     llvm::ArrayRef<uint32_t> loops) const;
  /// The first dimension of operand `i` (of `rank` dims) that loop `l`
  /// moves, or -1.
  int operandDim(unsigned i, unsigned rank, unsigned l) const;
  void printLoop(llvm::raw_ostream &os, unsigned l) const;
};

/// How a spec whose other loops all have extent 1 is a matrix product
/// C[m, n] += A[m, k] * B[k, n], so that the matmul kernels implement it
/// (a convolution at one filter tap and one output row). `operands` names
/// the spec operands that are A, B and C; for each of them (in that order):
/// which kernel index (0: m, 1: k, 2: n) each of its dims runs along (-1
/// for a dim of extent 1), and how many elements apart consecutive kernel
/// indices lie along it (a strided convolution's image).
struct MatmulForm {
  std::array<uint8_t, 3> operands = {0, 1, 2};
  std::array<std::array<int8_t, kMaxRank>, 3> dims{};
  std::array<std::array<uint8_t, kMaxRank>, 3> steps{};
};

/// What one kind declares. Operands 0 .. numOperands-2 are inputs; the last
/// is the output, also read when the spec accumulates (Spec::accum).
class Kind {
public:
  virtual ~Kind() = default;

  virtual llvm::StringRef name() const = 0;
  virtual unsigned numOperands() const = 0;
  virtual llvm::StringRef operandName(unsigned i) const = 0;
  /// Whether explanations label the operands with their names.
  virtual bool labelsOperands() const { return false; }
  /// Whether Spec::params hold parameters of this kind (default: none, all
  /// zero).
  virtual bool validParams(const Spec &s) const {
    return unusedParamsZero(s, 0);
  }
  /// Puts a spec's kind-specific fields in canonical form (Spec::
  /// canonicalize has done the operands), so that equal problems are equal
  /// bytes.
  virtual void canonicalize(Spec &s) const {}
  /// Whether a spec may accumulate into its output (it has reductions).
  virtual bool accumulates() const { return false; }

  /// The loops, their names and index maps for the operand ranks and the
  /// params of `s` (nothing else of `s` is read; the generic code derives
  /// the extents from the shapes). False if the ranks do not fit the kind.
  virtual bool index(const Spec &s, IterationSpace &space) const = 0;
  /// Rules beyond the shapes the index maps imply (e.g. dtypes).
  virtual bool isValid(const Spec &s) const { return true; }
  /// The name of specs with this accum flag and params, e.g. "MatmulAccum"
  /// or "FillZero" (explanations, memo keys).
  virtual void printName(bool accum, const Params &params,
                         llvm::raw_ostream &os) const {
    os << name() << (accum ? "Accum" : "");
  }
  /// What follows the name in an explanation (also of an invalid spec, for
  /// error messages), e.g. " 64x32x16".
  virtual void printSizes(const Spec &s, llvm::raw_ostream &os) const {}

  /// Kernels that may implement a spec of this kind, in tie-break order.
  virtual llvm::ArrayRef<KernelId> kernels() const = 0;
  /// The output's initial value when an overwriting spec may be written as
  /// a fill followed by the accumulating spec.
  virtual std::optional<FillValue> accumulatorInit(const Spec &s) const {
    return std::nullopt;
  }

  /// The spec as a matrix product, if it is one (MatmulForm).
  virtual std::optional<MatmulForm> matmulForm(const Spec &s) const {
    return std::nullopt;
  }

  /// Whether output tilings cut output dim `d` of `s` at 1 or in cache
  /// blocks only (blockSizeCandidates), not at every register-tile height:
  /// a dim no register tile spans at this point.
  virtual bool tilesInBlocks(const Spec &s, unsigned d) const { return false; }

  /// Whether every element of input `i` is read (a strided or dilated
  /// convolution skips image rows): the lower bound counts the traffic of
  /// such inputs only.
  virtual bool readsWhole(const Spec &s, unsigned i) const { return true; }

  /// Whether inputs may be moved into caches (views and copies).
  virtual bool stagesInputs() const { return false; }
  /// Whether input `i` may be copied (relaid out, cast) into L2; views of
  /// it may enter caches either way.
  virtual bool copiesInput(const Spec &s, unsigned i) const { return true; }
  /// Layouts beyond row-major a copy of input `i` in `dtype` may take.
  virtual void copyLayouts(const Spec &s, unsigned i, Dtype dtype,
                           const Target &t,
                           llvm::SmallVectorImpl<Layout> &out) const {}
  /// The layout of the output's tile in vector registers (a register
  /// tile; vectors run along its innermost dim), if it may be moved there.
  virtual std::optional<Layout> registerTile(const Spec &s,
                                             const Target &t) const {
    return std::nullopt;
  }
  /// Ticks the arithmetic of `s` takes at full rate, behind which a loop
  /// may prefetch its next input tiles; 0 if the kind's loops never
  /// prefetch (Actions.cpp, "Prefetching").
  virtual uint64_t prefetchCover(const Spec &s, const Target &t) const {
    return 0;
  }
  /// Whether its loops may ever prefetch (the lower bound then counts its
  /// main-memory inputs at L2's cost).
  virtual bool prefetchesInputs() const { return false; }

  /// A lower bound on the time of the arithmetic of `s` (the generic lower
  /// bound adds the operands' traffic and the parallel split: Cost.cpp).
  virtual uint64_t arithmeticBound(const Spec &s, const Target &t) const = 0;

protected:
  /// The params past the kind's first `used` are zero (canonical bytes).
  static bool unusedParamsZero(const Spec &s, unsigned used) {
    for (unsigned i = used; i < kMaxParams; ++i)
      if (s.params[i])
        return false;
    return true;
  }
};

/// The matrix product a spec is (Kind::matmulForm) as a batch-1 Matmul spec
/// over the same tiles, for the matmul kernels' applicability and costs: a
/// strided dim keeps only its row-to-row contiguity.
std::optional<Spec> asMatmul(const Spec &s);

/// The kind registered as `k` (a known kind: see isKnownKind).
const Kind &kindOf(SpecKind k);
/// Whether `id` names a registered kind (e.g. a byte read from a file).
bool isKnownKind(uint8_t id);

/// The iteration space of `s`, extents included; nothing if the operands'
/// ranks or shapes do not fit its kind.
std::optional<IterationSpace> iterationSpace(const Spec &s);
/// The same for a spec known to be valid, without checking that every
/// operand's shape is the one the loops imply (the search's hot path).
std::optional<IterationSpace> loopsOf(const Spec &s);

} // namespace tessel::synth

#endif // TESSEL_SYNTHESIS_KIND_H
