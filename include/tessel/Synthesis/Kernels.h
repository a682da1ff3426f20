//===- Kernels.h - The microkernel catalog ----------------------*- C++ -*-===//
//
// Leaves of every program. Each kernel has an applicability rule over a Spec,
// a cost formula and the scratch registers it needs. Kernels take all their
// parameters from the Spec they implement (tile shape, layouts, levels), so an
// Impl leaf names the kernel and its spec and code generation re-derives
// nothing else.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SYNTHESIS_KERNELS_H
#define TESSEL_SYNTHESIS_KERNELS_H

#include "tessel/Synthesis/Spec.h"
#include "tessel/Synthesis/Target.h"
#include "llvm/ADT/StringRef.h"

namespace tessel::synth {

enum class KernelId : uint8_t {
  /// MatmulAccum, C (mr x nr, nr = nv vectors) in vector registers; for each
  /// k: load nv vectors of a B row, broadcast each of mr A elements, FMA.
  /// Any mr, nv with mr*nv + nv + 1 <= vector registers. f32 or bf16 A/B
  /// (bf16 widened in registers on load), f32 C.
  BroadcastFmaTile,
  /// bf16 x bf16 -> f32 with vdpbf16ps (AVX-512 BF16): B pair-packed
  /// [k/2][n][2], A broadcast as bf16 pairs, C (mr x nr f32) in registers.
  DotBf16Tile,
  /// 1x1x1 multiply(-add) of scalars anywhere; the universal fallback.
  ScalarMulAdd,
  /// Vector move of rows whose inner run is a multiple of the lanes:
  /// memory->VRF (load), VRF->memory (store), memory->memory (copy/pack).
  VectorMove,
  /// bf16 -> f32 widening move of vector rows.
  VectorCvtBf16F32,
  /// Packs two bf16 rows (k, k+1) of vector runs along n into the pair
  /// layout [n][2] that vdpbf16ps reads (vpunpck{l,h}wd + store).
  VectorPackBf16Pairs,
  /// Move of one element (with widening cast if asked).
  ScalarMove,
  /// Fill of vector registers, or of memory rows with vector stores.
  VectorFill,
  /// Fill of one element.
  ScalarFill,
  /// MatmulAccum with A rows and B columns contiguous along k (B stored
  /// n-major, as in C = A * B^T): mr x nr accumulator vectors along k, one
  /// multiply-add per (A vector, B vector) pair, reduced horizontally at the
  /// end and added to C in memory. Any k (the tail is a masked load). f32
  /// or bf16 A/B (widened on load), f32 C.
  DotReduceTile,
  /// Unary or Binary (Elementwise.h) on memory rows in vectors along the
  /// output's contiguous innermost dim (a row's last vector masked); an
  /// input of extent 1 along it is broadcast. bf16 inputs widen on load.
  VectorElementwise,
  /// Unary or Binary element by element, any layouts.
  ScalarElementwise,
  /// Reduce with x in vectors along its contiguous innermost dim: along
  /// the reduced dim, per-lane accumulators summed horizontally at the end;
  /// along another dim, out's rows accumulate x's rows vector by vector.
  VectorReduce,
  /// Reduce element by element, any layouts.
  ScalarReduce,
  /// DepthwiseConvAccum at one tap: out += image * filter, in vectors along
  /// the output's contiguous dim (the channels, the filter's too; or x, the
  /// filter element broadcast, the image's vectors gathered element by
  /// element at a stride), out a register tile or memory rows. f32 or bf16
  /// image/filter (widened on load), f32 out.
  VectorMulAddTile,
};
constexpr unsigned kNumKernels = 15;

llvm::StringRef kernelName(KernelId k);

/// Whether `k` works one element at a time (no vector instructions).
bool isScalarKernel(KernelId k);

struct KernelApplication {
  uint64_t cost = 0;
  /// Scratch vector registers beyond the operands (must fit the VRF limit).
  uint32_t scratchVectors = 0;
  /// Scratch scalar registers (RF).
  uint32_t scratchScalars = 0;
};

/// Cost and scratch needs of `k` on `spec`, or nothing if it does not apply
/// (wrong kind, dtypes, levels, layouts, shape, or not enough registers left
/// under `spec.limits`).
std::optional<KernelApplication> applyKernel(KernelId k, const Spec &spec,
                                             const Target &target);

/// Cost of reading (or writing) a memory operand once: lines x line cost of
/// its level (L2 for a prefetched tile). Zero for registers.
uint64_t accessCost(const TensorSpec &t, const Target &target);

/// Whether a view's rows can stay resident in a cache level together: rows
/// that agree modulo its alias period compete for its ways, and more of
/// them than ways cannot.
bool fitsCacheSets(const TensorSpec &t, const LevelInfo &info);

/// Cost of a register-tile kernel reading the rows of `t` along
/// `walkedDim` (its innermost) in lockstep, `stepBytes` of each row per step
/// (A's rows under a broadcast kernel): accessCost, plus, when more rows
/// than L1 has ways share its sets (rows 4 KiB apart), a fetch from L2 of
/// each row's line at every step.
uint64_t rowsInLockstepCost(const TensorSpec &t, unsigned walkedDim,
                            unsigned stepBytes, const Target &target);

/// Ticks the multiply-adds of matmul `s` take at full vector rate: the time
/// its kernels have to hide memory traffic behind.
uint64_t fmaTicks(const Spec &s, const Target &target);

} // namespace tessel::synth

#endif // TESSEL_SYNTHESIS_KERNELS_H
