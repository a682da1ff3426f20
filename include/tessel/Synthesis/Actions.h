//===- Actions.h - Rewrites of a Spec into smaller Specs --------*- C++ -*-===//
//
// An Action turns a Spec into a small program whose holes are sub-Specs:
//
//   TileOut   loops over output tiles (serial or parallel, one or two dims,
//             any size; boundary regions where the tile does not divide);
//   Split     a loop over one reduction dimension (accumulating specs);
//   Move      puts one operand in a faster level: a cache view (same layout,
//             no code, reserves capacity), or a copy into a new buffer with
//             another layout (packing) and/or dtype (widening), with the copy
//             in and/or out as sub-Specs;
//   ToAccum   zero the output, then accumulate;
//   Select    a microkernel (leaf).
//
// Actions carry every parameter, so the memo stores the Action itself (never
// an index into an enumeration) and code generation reads it directly.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SYNTHESIS_ACTIONS_H
#define TESSEL_SYNTHESIS_ACTIONS_H

#include "tessel/Synthesis/Cost.h"
#include "tessel/Synthesis/Kernels.h"
#include "tessel/Synthesis/Kind.h"
#include "tessel/Synthesis/Spec.h"
#include "tessel/Synthesis/Target.h"
#include "llvm/ADT/SmallVector.h"

namespace tessel::synth {

/// Declaration order is the tie-break order: kernels first, then the
/// rewrites that make shallower programs.
enum class ActionKind : uint8_t { None, Select, ToAccum, Move, TileOut, Split };

enum class MoveKind : uint8_t { CacheView, Copy };

struct Action {
  ActionKind kind = ActionKind::None;
  // Select.
  KernelId kernel = KernelId::ScalarMulAdd;
  // TileOut.
  bool parallel = false;
  // Move.
  MoveKind moveKind = MoveKind::CacheView;
  uint8_t operand = 0;
  MemoryLevel dstLevel = MemoryLevel::GL;
  Dtype dstDtype = Dtype::F32;
  /// Split: which reduction, counted after the parallel loops (0: the
  /// first reduction, a matmul's k).
  uint8_t reduction = 0;
  Layout dstLayout;
  /// TileOut: the output tile shape (output rank); Split: size[0] = the
  /// reduction's tile.
  std::array<uint32_t, kMaxRank> size{};

  static Action select(KernelId k);
  static Action toAccum();
  static Action tileOut(llvm::ArrayRef<uint32_t> tile, bool parallel);
  static Action split(uint32_t tile, unsigned reduction = 0);
  static Action move(unsigned operand, MoveKind kind, MemoryLevel level,
                     const Layout &layout, Dtype dtype);

  bool operator==(const Action &o) const;
  /// Total order used to break cost ties deterministically.
  static int compare(const Action &a, const Action &b);
  void print(llvm::raw_ostream &os, const Spec &spec) const;
  std::string str(const Spec &spec) const;
};

/// What a child of an applied action is, for explanation and code generation.
enum class ChildRole : uint8_t { Body, Prologue, Epilogue, Init };

struct Child {
  Spec spec;
  /// How many times the child runs (loop iterations of this region).
  uint64_t count = 1;
  ChildRole role = ChildRole::Body;
  /// Loop regions: bit d set = dim d of the output (or the split reduction,
  /// bit 0) takes the remainder extent in this region.
  uint8_t remainderMask = 0;
};

/// An action applied to a spec: its children, its own cost (moves, loop
/// overhead, kernel time) and what it allocates.
struct Decomposition {
  llvm::SmallVector<Child, 4> children;
  uint64_t baseCost = 0;
  /// Allocation in the action's own level (bytes or registers; 0 if none);
  /// children run under the limits minus this.
  MemoryLevel allocLevel = MemoryLevel::GL;
  uint32_t allocUnits = 0;
  /// Kernels: scratch registers used (part of the peak).
  uint32_t scratchVectors = 0, scratchScalars = 0;
  bool parallel = false;
  /// Serial loops: what the children count that the loop order saves. A
  /// loop stepping along a main-memory operand's contiguous dimension
  /// continues the same few streams in every iteration, so only the first
  /// pays their start (LevelInfo::runCost).
  uint64_t credit = 0;
};

/// `gross` less `credit`, never below zero.
inline uint64_t netOfCredit(uint64_t gross, uint64_t credit) {
  return gross > credit ? gross - credit : 0;
}

/// How far the search looks into specs with huge loops. A spec of more than
/// `coarseVolume` iterations with a loop longer than `blockAbove` is
/// *coarse*: its only actions cut such loops into blocks (powers of two from
/// `smallestBlock` to `blockAbove`) or zero the output first; the blocks
/// run the parallel loops. Huge specs then reuse their blocks' programs instead
/// of spawning sub-specs of their own sizes, which bounds the search
/// (docs/search.md).
struct ActionSpace {
  uint64_t coarseVolume = uint64_t(1) << 33;
  uint32_t blockAbove = 2048;
  uint32_t smallestBlock = 2048;

  /// The default: specs up to 2048^3 iterations are searched in full.
  static ActionSpace full() { return {}; }
  /// After the search budget runs out: every loop longer than 256 in
  /// blocks of 256, whatever the volume.
  static ActionSpace quick() { return {0, 256, 256}; }
  bool isCoarse(const IterationSpace &space) const;
};

/// Every action applicable to a canonical spec, in no particular order.
void enumerateActions(const Spec &spec, const Target &target,
                      llvm::SmallVectorImpl<Action> &out,
                      const ActionSpace &actionSpace = ActionSpace::full());

/// Apply `action` to canonical `spec`; children are canonical. Nothing if the
/// action does not apply.
std::optional<Decomposition> applyAction(const Spec &spec, const Action &a,
                                         const Target &target);

/// The loop of `spec`'s iteration space that the loop of `a` (a TileOut or
/// Split) runs along when it steps along its dim `dim` (an output dim, or 0
/// for the split reduction).
unsigned loopOf(const IterationSpace &space, const Action &a, unsigned dim);

/// How much each child's cost counts in the parent's (iterations, divided
/// among cores for parallel loops).
uint64_t childWeight(const Decomposition &d, unsigned i, const Target &t);

/// The action's total cost and peak given its children's costs.
Cost combineCost(const Decomposition &d, llvm::ArrayRef<Cost> children,
                 const Target &t);

/// Candidate tile sizes strictly below `extent`. With quantum 1: every size
/// up to 16 a register block may need; with quantum q > 1 (a vector dim): 1
/// and q..4q. Then 2^i and 3*2^i from 32 up (cache blocks).
void tileSizeCandidates(uint32_t extent, unsigned quantum,
                        llvm::SmallVectorImpl<uint32_t> &out);
/// Cache-block sizes below `extent`: 1, 2^i and 3 * 2^i, and the
/// register-tile heights up to 16 that divide it (Kind::tilesInBlocks).
void blockSizeCandidates(uint32_t extent, llvm::SmallVectorImpl<uint32_t> &out);

} // namespace tessel::synth

#endif // TESSEL_SYNTHESIS_ACTIONS_H
