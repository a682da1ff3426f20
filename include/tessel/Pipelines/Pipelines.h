//===- Pipelines.h - Tessel's pass pipelines --------------------*- C++ -*-===//
//
// `--tessel-to-llvm`: spec ops all the way down to the llvm dialect, ready
// for `mlir-translate --mlir-to-llvmir`, the JIT or an object file.
//
//===----------------------------------------------------------------------===//

#ifndef TESSEL_PIPELINES_PIPELINES_H
#define TESSEL_PIPELINES_PIPELINES_H

#include "tessel/Dialect/Spec/Synthesis/Session.h"
#include "tessel/Synthesis/Search.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace tessel {

struct ToLLVMOptions : public mlir::PassPipelineOptions<ToLLVMOptions> {
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("host (its calibration, else avx512/avx2), avx512, avx2, "
                     "zen5, sapphire-rapids or a .target file"),
      llvm::cl::init("host")};
  Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Cores the program is synthesized for and the OpenMP "
                     "thread count of its parallel loops (0: all cores, "
                     "OMP_NUM_THREADS at run time)"),
      llvm::cl::init(0)};
  Option<unsigned> searchThreads{
      *this, "search-threads",
      llvm::cl::desc("Threads of the search (0: all cores)"),
      llvm::cl::init(0)};
  Option<unsigned> searchBudget{
      *this, "search-budget",
      llvm::cl::desc("Specs the search may expand per op (0: no limit)"),
      llvm::cl::init(synth::SearchOptions::kDefaultBudget)};
  Option<std::string> db{
      *this, "db",
      llvm::cl::desc("Memo database to read and update (empty: in memory)"),
      llvm::cl::init("")};
  Option<bool> dbIgnoreMismatch{
      *this, "db-ignore-mismatch",
      llvm::cl::desc("Replace a mismatched or damaged database with a "
                     "warning instead of failing"),
      llvm::cl::init(false)};
  Option<bool> avx512Instructions{
      *this, "avx512-instructions",
      llvm::cl::desc("Use AVX-512-only instructions the search does not "
                     "choose (vscalefps in exp) when the target's ISA is "
                     "AVX-512; off for code that must run on a CPU without "
                     "AVX-512 anyway"),
      llvm::cl::init(true)};
  Option<bool> bf16Instructions{
      *this, "bf16-instructions",
      llvm::cl::desc("With avx512-instructions, let LLVM round to bf16 with "
                     "vcvtneps2bf16 when the target has AVX512-BF16; off "
                     "(bf16 rounding in integer ops) for code that must run "
                     "on a CPU without it anyway"),
      llvm::cl::init(true)};
  Option<bool> barePtrCallConv{
      *this, "bare-ptr-call-conv",
      llvm::cl::desc("Pass statically shaped memrefs as plain element "
                     "pointers (the C signature of `tessel compile`) instead "
                     "of memref descriptors"),
      llvm::cl::init(false)};

  /// The synthesis these options ask for.
  spec::SynthesisOptions synthesis() const;
};

/// Appends a check that nothing is on tensors (a located error per op that
/// is: bufferize first), synthesis, microkernel lowering, upstream loops for
/// the linalg ops left on memrefs, OpenMP for parallel loops, the standard
/// conversions to the llvm dialect and a check that nothing else is left (the
/// run fails naming each op that is) to `pm` (on a module).
void buildToLLVMPipeline(mlir::OpPassManager &pm, const ToLLVMOptions &options);

/// Registers `--tessel-to-llvm` with the global pipeline registry.
void registerToLLVMPipeline();

} // namespace tessel

#endif // TESSEL_PIPELINES_PIPELINES_H
