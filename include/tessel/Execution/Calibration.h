//===- Calibration.h - Measure the machine the cost model describes -*- C++
//-*-===//
//
// `tessel calibrate` measures what the cost model's constants stand for on
// the machine it runs on (docs/targets.md): the core clock, FMA throughput
// and latency, vector loads and stores per cycle, L2 and main-memory read
// bandwidth, the price of starting a run in main memory, and the fork/join
// of a parallel loop as Tessel's own generated code does it. Cache sizes
// come from the operating system or cpuid. The result is a Target.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_EXECUTION_CALIBRATION_H
#define TESSEL_EXECUTION_CALIBRATION_H

#include "tessel/Synthesis/Target.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace tessel::exec {

/// What calibration measured. Times are in core cycles.
struct Measurements {
  double ghz = 0;                 ///< core cycles per nanosecond
  double fmaCycles = 0;           ///< per full-width FMA, independent chains
  double fmaHalfCycles = 0;       ///< per half-width (ymm) FMA (AVX-512 hosts)
  double fmaLatency = 0;          ///< one dependent chain
  double bf16DotCycles = 0;       ///< per vdpbf16ps zmm (0: not available)
  double loadsPerCycle = 0;       ///< full-width loads from L1
  double storesPerCycle = 0;      ///< full-width stores to L1
  double l2BytesPerCycle = 0;     ///< reading a block resident in L2
  double memoryBytesPerCycle = 0; ///< streaming reads from main memory
  double runStartCycles = 0;      ///< extra cost of a short run in memory
  double forkJoinCycles = 0;      ///< an empty parallel loop over the cores
  /// The smallest copy (bytes read plus written) from which streaming
  /// stores beat ordinary ones, at that size and every larger one
  /// measured (0: they never did), and their speedup there.
  uint64_t streamingFromBytes = 0;
  double streamingSpeedup = 0;
  uint64_t l1Bytes = 0, l1Ways = 0, l2Bytes = 0, l2Ways = 0;
  std::string cacheSource; ///< where the cache sizes came from
  unsigned cores = 0;
};

/// Measures this machine (a few seconds). Each measurement is checked
/// against generous bounds; one outside them (a machine too busy to
/// measure) is an error naming it. `log` gets progress lines.
llvm::Expected<Measurements> measureHost(llvm::raw_ostream *log);

/// The target description the measurements make (label "host", cpu
/// Target::hostCpu()); constants nothing measures keep the values of the
/// shipped description for the host's ISA.
synth::Target targetFromMeasurements(const Measurements &m);

/// `m` as `#` comment lines, to keep beside the description.
std::string describeMeasurements(const Measurements &m);

} // namespace tessel::exec

#endif // TESSEL_EXECUTION_CALIBRATION_H
