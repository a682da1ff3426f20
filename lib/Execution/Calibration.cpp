//===- Calibration.cpp - Measure the machine the cost model describes ----===//
//
// Each measurement is a loop of hand-written instructions (inline assembly:
// a compiler would reassociate or delete them) timed best-of-N by
// exec::timeBest, converted to core cycles by a dependent chain of integer
// adds (one cycle each on every x86 core; the TSC is not the core clock in
// a VM). The fork/join is timed on a parallel loop compiled by Tessel's own
// pipeline, so it is the OpenMP runtime generated code really calls.
// docs/targets.md explains how each number becomes a target constant.
//
//===----------------------------------------------------------------------===//
#include "tessel/Execution/Calibration.h"
#include "tessel/Execution/CompiledModule.h"
#include "tessel/Execution/Runner.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Threading.h"
#include "llvm/TargetParser/Host.h"
#include <algorithm>
#include <chrono>
#include <cpuid.h>
#include <cstdlib>
#include <immintrin.h>
#include <memory>
#include <unistd.h>
#include <vector>

using namespace tessel;
using namespace tessel::exec;

namespace {
constexpr unsigned kSamples = 5;
/// Fork/join is timed as this many (parallel, serial) pairs of batches.
constexpr unsigned kForkJoinPairs = 7;

/// An aligned buffer of `bytes`, every page touched.
struct Buffer {
  explicit Buffer(size_t bytes)
      : bytes(bytes), data(static_cast<char *>(std::aligned_alloc(
                          4096, llvm::alignTo(bytes, 4096)))) {
    if (data)
      std::fill(data, data + bytes, 0); // zeros: no denormals, pages mapped
  }
  ~Buffer() { std::free(data); }
  size_t bytes;
  char *data;
};

#define REP4(x) x x x x
#define REP16(x) REP4(REP4(x))

/// Cycles per nanosecond: 16 dependent adds per iteration, one cycle each.
double measureGhz() {
  constexpr unsigned kIters = 1 << 16;
  double s = timeBest(
      [] {
        uint64_t x = 0;
        for (unsigned i = 0; i < kIters; ++i)
          asm volatile(REP16("add %0, %0\n\t") : "+r"(x));
      },
      kSamples);
  return kIters * 16.0 / (s * 1e9);
}

/// Seconds per instruction of `body(iterations)`, which runs `perIteration`
/// instructions per iteration. The loop is inside `body`: a call per
/// iteration would cost more taken branches than some bodies have cycles.
double perInstruction(void (*body)(unsigned), unsigned perIteration) {
  constexpr unsigned kIters = 1 << 14;
  return timeBest([&] { body(kIters); }, kSamples) /
         (double(kIters) * perIteration);
}

// Twelve independent accumulators (more than latency x pipes on any x86
// core so far), 48 FMAs per iteration; xmm12/13 are zeroed so no operand is
// a denormal.
#define FMA_SETUP                                                              \
  "vxorps %%xmm12, %%xmm12, %%xmm12\n\t"                                       \
  "vxorps %%xmm13, %%xmm13, %%xmm13\n\t"
#define FMA(op, R, i) op " %%" R "12, %%" R "13, %%" R #i "\n\t"
#define FMA12(op, R)                                                           \
  FMA(op, R, 0)                                                                \
  FMA(op, R, 1)                                                                \
  FMA(op, R, 2)                                                                \
  FMA(op, R, 3)                                                                \
  FMA(op, R, 4)                                                                \
  FMA(op, R, 5)                                                                \
  FMA(op, R, 6)                                                                \
  FMA(op, R, 7) FMA(op, R, 8) FMA(op, R, 9) FMA(op, R, 10) FMA(op, R, 11)
#define CLOBBER14                                                              \
  "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",      \
      "xmm9", "xmm10", "xmm11", "xmm12", "xmm13"
#define LOOP(...)                                                              \
  for (unsigned i = 0; i < iterations; ++i)                                    \
  asm volatile(__VA_ARGS__)

__attribute__((target("avx512f"))) void fmaZmm(unsigned iterations) {
  LOOP(FMA_SETUP REP4(FMA12("vfmadd231ps", "zmm")):: : CLOBBER14);
}
__attribute__((target("avx2,fma"))) void fmaYmm(unsigned iterations) {
  LOOP(FMA_SETUP REP4(FMA12("vfmadd231ps", "ymm")):: : CLOBBER14);
}
__attribute__((target("avx512f,avx512bf16"))) void dotZmm(unsigned iterations) {
  LOOP(FMA_SETUP REP4(FMA12("vdpbf16ps", "zmm")):: : CLOBBER14);
}
/// One chain through every iteration: 64 dependent FMAs each.
__attribute__((target("avx2,fma"))) void fmaChain(unsigned iterations) {
  __m256 acc = _mm256_setzero_ps(), zero = _mm256_setzero_ps();
  for (unsigned i = 0; i < iterations; ++i)
    asm volatile(REP16(REP4("vfmadd231ps %1, %1, %0\n\t"))
                 : "+x"(acc)
                 : "x"(zero));
}

// 64 loads (stores) of one full vector each, to 16 different lines of an
// L1-resident buffer.
#define MOV16(load, R)                                                         \
  load("0", R "0") load("64", R "1") load("128", R "2") load("192", R "3")     \
      load("256", R "4") load("320", R "5") load("384", R "6")                 \
          load("448", R "7") load("512", R "0") load("576", R "1")             \
              load("640", R "2") load("704", R "3") load("768", R "4")         \
                  load("832", R "5") load("896", R "6") load("960", R "7")
#define LOAD(off, reg) "vmovaps " off "(%0), %%" reg "\n\t"
#define STORE(off, reg) "vmovaps %%" reg ", " off "(%0)\n\t"
#define CLOBBER8 "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7"

/// An L1-resident buffer for the load and store loops.
alignas(4096) char l1Buffer[4096];

__attribute__((target("avx512f"))) void loadZmm(unsigned iterations) {
  LOOP(REP4(MOV16(LOAD, "zmm"))::"r"(l1Buffer) : CLOBBER8);
}
__attribute__((target("avx2"))) void loadYmm(unsigned iterations) {
  LOOP(REP4(MOV16(LOAD, "ymm"))::"r"(l1Buffer) : CLOBBER8);
}
__attribute__((target("avx512f"))) void storeZmm(unsigned iterations) {
  LOOP("vxorps %%xmm0, %%xmm0, %%xmm0\n\t" REP4(MOV16(STORE, "zmm"))::"r"(
           l1Buffer) : "memory",
       CLOBBER8);
}
__attribute__((target("avx2"))) void storeYmm(unsigned iterations) {
  LOOP("vxorps %%xmm0, %%xmm0, %%xmm0\n\t" REP4(MOV16(STORE, "ymm"))::"r"(
           l1Buffer) : "memory",
       CLOBBER8);
}

/// Reads `lines` lines of 64 bytes from `p`, one 32-byte load per line
/// (enough to bring the line in, on any x86 with AVX2), each consumed as a
/// kernel consumes what it loads: or-ed into an accumulator (an integer op:
/// one cycle, no floating-point assists). A multiple of 8 lines.
__attribute__((target("avx2"))) void readLines(const char *p, size_t lines) {
  for (size_t i = 0; i + 8 <= lines; i += 8, p += 512)
    asm volatile("vpor 0(%0), %%ymm0, %%ymm0\n\t"
                 "vpor 64(%0), %%ymm1, %%ymm1\n\t"
                 "vpor 128(%0), %%ymm2, %%ymm2\n\t"
                 "vpor 192(%0), %%ymm3, %%ymm3\n\t"
                 "vpor 256(%0), %%ymm0, %%ymm0\n\t"
                 "vpor 320(%0), %%ymm1, %%ymm1\n\t"
                 "vpor 384(%0), %%ymm2, %%ymm2\n\t"
                 "vpor 448(%0), %%ymm3, %%ymm3\n\t" ::"r"(p)
                 : "xmm0", "xmm1", "xmm2", "xmm3");
}

/// Seconds per 64-byte line reading `buf` front to back.
double streamSecondsPerLine(const Buffer &buf) {
  size_t lines = buf.bytes / 64;
  return timeBest([&] { readLines(buf.data, lines); }, kSamples) /
         double(lines);
}

/// Rows of 64 KiB read as runs of two lines: for each pair of lines along
/// a row, that pair of every row (a tile of 32 floats of each row of a
/// matrix with 16384-float rows). Two lines, so that the start of each
/// run, not its length, is most of the time.
constexpr size_t kRunRow = 64 * 1024;
__attribute__((target("avx2"))) void readRuns(const char *p, size_t rows) {
  for (size_t c = 0; c < kRunRow; c += 128)
    for (size_t r = 0; r < rows; ++r)
      asm volatile("vpor 0(%0), %%ymm0, %%ymm0\n\t"
                   "vpor 64(%0), %%ymm1, %%ymm1\n\t" ::"r"(p + r * kRunRow + c)
                   : "xmm0", "xmm1");
}

/// Main memory read front to back (seconds per 64-byte line) and as runs
/// of two lines 64 KiB apart (extra seconds per run started, over the same
/// lines streamed: the prefetchers' lock-on and the TLB at each run, the
/// experiment of cost-model.md "Runs and streams"). One pass per sample,
/// the samples alternated so that both see the same machine: a VM's memory
/// bandwidth drifts by tens of percent from one second to the next.
std::pair<double, double> memorySecondsPerLineAndRun(const Buffer &buf) {
  size_t rows = buf.bytes / kRunRow, lines = rows * kRunRow / 64;
  auto seconds = [](auto &&read) {
    auto start = std::chrono::steady_clock::now();
    read();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  };
  readLines(buf.data, lines); // warm up the TLB walker and the clock
  double stream = INFINITY, runs = INFINITY;
  for (unsigned i = 0; i < kSamples; ++i) {
    stream = std::min(stream, seconds([&] { readLines(buf.data, lines); }));
    runs = std::min(runs, seconds([&] { readRuns(buf.data, rows); }));
  }
  return {stream / double(lines), (runs - stream) / (double(lines) / 2)};
}

/// Copies `bytes` from `src` to `dst` in 32-byte vectors, with streaming
/// (non-temporal) stores or ordinary ones: an elementwise op's traffic.
__attribute__((target("avx2"))) void copyVectors(char *dst, const char *src,
                                                 size_t bytes, bool stream) {
  if (stream) {
    for (size_t i = 0; i < bytes; i += 32)
      _mm256_stream_ps(
          reinterpret_cast<float *>(dst + i),
          _mm256_load_ps(reinterpret_cast<const float *>(src + i)));
    _mm_sfence();
    return;
  }
  for (size_t i = 0; i < bytes; i += 32) {
    _mm256_store_ps(reinterpret_cast<float *>(dst + i),
                    _mm256_load_ps(reinterpret_cast<const float *>(src + i)));
    // Not a memcpy call: glibc's streams large copies itself.
    asm volatile("" ::: "memory");
  }
}

/// Copies of 1 MiB to all of `buf` (bytes read plus written), each then
/// read back as the next op reads its input, timed with ordinary and with
/// streaming stores: the smallest size from which streaming is faster at
/// every larger size measured (losing by under 3 % there is noise), and by
/// how much there. Ordinary stores read each line before writing it;
/// streaming ones do not, but leave nothing in cache for the reader, so
/// they pay once the copy would not stay there.
std::pair<uint64_t, double> streamingCrossover(const Buffer &buf) {
  std::pair<uint64_t, double> from{0, 0};
  for (uint64_t bytes = 1 << 20; bytes <= buf.bytes; bytes *= 2) {
    char *src = buf.data, *dst = buf.data + bytes / 2;
    auto time = [&](bool stream) {
      return timeBest(
          [&] {
            copyVectors(dst, src, bytes / 2, stream);
            readLines(dst, bytes / 2 / 64);
          },
          3);
    };
    double ordinary = time(false), streaming = time(true);
    if (!from.first && streaming < ordinary)
      from = {bytes, ordinary / streaming};
    else if (from.first && streaming > 1.03 * ordinary)
      from = {0, 0};
  }
  return from;
}

/// Seconds of one empty parallel loop over `cores` iterations, less the
/// same loop run serially, compiled and run as Tessel programs are.
llvm::Expected<double> forkJoinSeconds(unsigned cores) {
  std::string n = std::to_string(cores);
  std::string type = "memref<" + n + "x16xf32>";
  std::string source = "func.func @parallel(%out: " + type +
                       ") {\n"
                       "  %c0 = arith.constant 0 : index\n"
                       "  %one = arith.constant 1.0 : f32\n"
                       "  scf.forall (%i) in (" +
                       n +
                       ") {\n    memref.store %one, %out[%i, %c0] : " + type +
                       "\n  }\n  return\n}\n"
                       "func.func @serial(%out: " +
                       type +
                       ") {\n"
                       "  %c0 = arith.constant 0 : index\n"
                       "  %c1 = arith.constant 1 : index\n"
                       "  %n = arith.constant " +
                       n +
                       " : index\n"
                       "  %one = arith.constant 1.0 : f32\n"
                       "  scf.for %i = %c0 to %n step %c1 {\n"
                       "    memref.store %one, %out[%i, %c0] : " +
                       type + "\n  }\n  return\n}\n";
  ToLLVMOptions options;
  options.target = "avx2"; // no spec ops: the target does not matter
  options.threads = cores;
  llvm::Expected<std::unique_ptr<CompiledModule>> module =
      CompiledModule::compile(source, "<fork-join>", options);
  if (!module)
    return module.takeError();
  // A cost, not a capability: the median of alternated pairs, not the best
  // sample. On a VM the cores' distance changes as the host moves them (a
  // 2-vCPU Zen 5 VM measured 0.9 us once and 2.8-3.0 us on every later
  // run, which is what its GEMMs paid), and a fork priced at its luckiest
  // makes small products parallel and slower than serial.
  llvm::SmallVector<double, kForkJoinPairs> costs;
  for (unsigned i = 0; i < kForkJoinPairs; ++i) {
    llvm::Expected<double> parallel =
        (*module)->lookup("parallel")->bench({}, 1);
    if (!parallel)
      return parallel.takeError();
    llvm::Expected<double> serial = (*module)->lookup("serial")->bench({}, 1);
    if (!serial)
      return serial.takeError();
    costs.push_back(std::max(0.0, *parallel - *serial));
  }
  llvm::sort(costs);
  return costs[costs.size() / 2];
}

//===----------------------------------------------------------------------===//
// Cache sizes
//===----------------------------------------------------------------------===//

std::string readSysfs(const llvm::Twine &path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> f =
      llvm::MemoryBuffer::getFileAsStream(path);
  return f ? (*f)->getBuffer().trim().str() : std::string();
}

/// One of cpu0's caches as Linux lists it.
struct SysfsCache {
  std::string level, type;
  uint64_t bytes = 0, ways = 0; ///< 0 when unreadable
};

/// cpu0's caches (/sys/devices/system/cpu/cpu0/cache; none in some VMs).
std::vector<SysfsCache> sysfsCaches() {
  std::vector<SysfsCache> caches;
  for (unsigned i = 0; i < 16; ++i) {
    std::string dir =
        "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(i) + "/";
    SysfsCache c;
    c.level = readSysfs(dir + "level");
    if (c.level.empty())
      break;
    c.type = readSysfs(dir + "type");
    std::string sizeText = readSysfs(dir + "size");
    llvm::StringRef size = sizeText; // "48K", "2048K", "260M"
    uint64_t scale = size.consume_back("K")   ? 1024
                     : size.consume_back("M") ? 1024 * 1024
                                              : 1;
    if (!size.getAsInteger(10, c.bytes))
      c.bytes *= scale;
    else
      c.bytes = 0;
    if (llvm::StringRef(readSysfs(dir + "ways_of_associativity"))
            .getAsInteger(10, c.ways))
      c.ways = 0;
    caches.push_back(std::move(c));
  }
  return caches;
}

/// Linux's view of cpu0's data caches.
bool cachesFromSysfs(Measurements &m) {
  for (const SysfsCache &c : sysfsCaches()) {
    if (c.type == "Instruction" || !c.bytes || !c.ways)
      continue;
    if (c.level == "1")
      m.l1Bytes = c.bytes, m.l1Ways = c.ways;
    else if (c.level == "2")
      m.l2Bytes = c.bytes, m.l2Ways = c.ways;
  }
  m.cacheSource = "sysfs";
  return m.l1Bytes && m.l2Bytes && m.l1Ways && m.l2Ways;
}

/// cpuid's deterministic cache parameters: leaf 4 (Intel) or 0x8000001D
/// (AMD); a VM may leave them zero.
bool cachesFromCpuid(Measurements &m, unsigned leaf) {
  for (unsigned i = 0; i < 16; ++i) {
    unsigned a, b, c, d;
    if (!__get_cpuid_count(leaf, i, &a, &b, &c, &d) || (a & 0x1F) == 0)
      break;
    unsigned type = a & 0x1F, level = (a >> 5) & 7;
    if (type == 2) // instruction cache
      continue;
    uint64_t ways = ((b >> 22) & 0x3FF) + 1;
    uint64_t bytes = ways * (((b >> 12) & 0x3FF) + 1) * ((b & 0xFFF) + 1) *
                     (uint64_t(c) + 1);
    if (level == 1)
      m.l1Bytes = bytes, m.l1Ways = ways;
    else if (level == 2)
      m.l2Bytes = bytes, m.l2Ways = ways;
  }
  m.cacheSource = "cpuid leaf " + llvm::utohexstr(leaf);
  return m.l1Bytes && m.l2Bytes;
}

/// AMD's legacy leaves (what the bhyve Zen 5 VM answers).
bool cachesFromAmdLegacy(Measurements &m) {
  unsigned a, b, c, d;
  if (!__get_cpuid(0x80000005, &a, &b, &c, &d))
    return false;
  m.l1Bytes = uint64_t(c >> 24) * 1024, m.l1Ways = (c >> 16) & 0xFF;
  if (!__get_cpuid(0x80000006, &a, &b, &c, &d))
    return false;
  m.l2Bytes = uint64_t(c >> 16) * 1024;
  // The associativity code of 0x80000006 (AMD APM, CPUID Fn8000_0006).
  static const unsigned kWays[16] = {0,  1, 2,  3,  4,  6,  8,   0,
                                     16, 0, 32, 48, 64, 96, 128, 0};
  m.l2Ways = kWays[(c >> 12) & 0xF];
  m.cacheSource = "cpuid leaves 80000005/6";
  return m.l1Bytes && m.l2Bytes && m.l1Ways && m.l2Ways;
}

bool cacheSizes(Measurements &m) {
  unsigned a, b, c, d;
  __get_cpuid(0, &a, &b, &c, &d);
  bool amd = b == 0x68747541; // "Auth"enticAMD
  return cachesFromSysfs(m) || cachesFromCpuid(m, amd ? 0x8000001D : 4) ||
         (amd && cachesFromAmdLegacy(m));
}

/// The largest cache any level reports (sysfs), to size a buffer past it.
uint64_t lastLevelBytes() {
  uint64_t largest = 0;
  for (const SysfsCache &c : sysfsCaches())
    largest = std::max(largest, c.bytes);
  return largest;
}

llvm::Error outOfBounds(llvm::StringRef what, double value, double lo,
                        double hi) {
  return llvm::createStringError(
      llvm::formatv("calibration measured {0} = {1:g4}, outside the sane "
                    "range [{2}, {3}]: was the machine busy? Measure again "
                    "on an idle machine",
                    what, value, lo, hi)
          .str());
}
} // namespace

llvm::Expected<Measurements> tessel::exec::measureHost(llvm::raw_ostream *log) {
  llvm::StringMap<bool> f = llvm::sys::getHostCPUFeatures();
  // The kernels measured are those of the ISA the description will name.
  synth::Target shipped = synth::Target::shippedForHost();
  bool avx512 = shipped.isa == synth::Isa::AVX512;
  if (!f.lookup("avx2") || !f.lookup("fma"))
    return llvm::createStringError(
        "this CPU has no AVX2 and FMA; Tessel targets x86 with AVX2 or "
        "AVX-512");
  auto say = [&](const llvm::Twine &what) {
    if (log)
      *log << "tessel: calibrate: " << what << "\n";
  };
  Measurements m;
  unsigned n = llvm::hardware_concurrency().compute_thread_count();
  m.cores = n ? n : 1;

  say("core clock");
  m.ghz = measureGhz();
  double cycle = 1e-9 / m.ghz; // seconds per cycle
  auto cycles = [&](double seconds) { return seconds / cycle; };

  say("FMA throughput and latency");
  m.fmaCycles = cycles(perInstruction(avx512 ? fmaZmm : fmaYmm, 48));
  if (avx512)
    m.fmaHalfCycles = cycles(perInstruction(fmaYmm, 48));
  m.fmaLatency = cycles(perInstruction(fmaChain, 64));
  if (shipped.hasBf16Dot)
    m.bf16DotCycles = cycles(perInstruction(dotZmm, 48));

  say("loads and stores");
  m.loadsPerCycle = 1 / cycles(perInstruction(avx512 ? loadZmm : loadYmm, 64));
  m.storesPerCycle =
      1 / cycles(perInstruction(avx512 ? storeZmm : storeYmm, 64));

  if (!cacheSizes(m))
    return llvm::createStringError(
        "neither Linux (/sys/devices/system/cpu/cpu0/cache) nor cpuid tell "
        "this machine's cache sizes; write a description by hand from a "
        "shipped one (docs/targets.md)");

  say("L2 bandwidth");
  {
    Buffer l2(m.l2Bytes / 2);
    m.l2BytesPerCycle = 64 / cycles(streamSecondsPerLine(l2));
  }

  say("main memory bandwidth and run starts");
  {
    // Four times the largest cache (a VM may report a whole socket's),
    // within 256 MiB to 1 GiB ...
    uint64_t bytes =
        std::clamp<uint64_t>(4 * lastLevelBytes(), 256 << 20, 1 << 30);
    // ... and at most an eighth of the memory (a small VM).
    uint64_t ram = uint64_t(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGESIZE);
    bytes = std::min<uint64_t>(bytes, std::max<uint64_t>(ram / 8, 64 << 20));
    Buffer memory(bytes);
    if (!memory.data)
      return llvm::createStringError("cannot allocate " +
                                     llvm::Twine(bytes >> 20) +
                                     " MiB to measure main memory");
    auto [perLine, perRun] = memorySecondsPerLineAndRun(memory);
    m.memoryBytesPerCycle = 64 / cycles(perLine);
    m.runStartCycles = std::max(0.0, cycles(perRun));
    say("streaming stores");
    std::tie(m.streamingFromBytes, m.streamingSpeedup) =
        streamingCrossover(memory);
  }

  say("fork/join of a parallel loop on " + llvm::Twine(m.cores) + " cores");
  llvm::Expected<double> fork = forkJoinSeconds(m.cores);
  if (!fork)
    return fork.takeError();
  m.forkJoinCycles = cycles(*fork);
  // Far above any idle machine's (2-13K cycles measured so far), within
  // the bound below: the saved cost makes most programs serial.
  if (log && m.forkJoinCycles > 1e6)
    *log << llvm::format("tessel: warning: fork/join took %.0f cycles "
                         "(%.0f us): another program was probably using the "
                         "cores, and parallel programs will be planned as if "
                         "every fork cost that much; calibrate again on an "
                         "idle machine\n",
                         m.forkJoinCycles, m.forkJoinCycles / m.ghz / 1e3);

  struct Bound {
    const char *what;
    double value, lo, hi;
  } bounds[] = {
      {"the core clock (GHz)", m.ghz, 0.3, 8},
      {"cycles per FMA", m.fmaCycles, 0.2, 8},
      {"the FMA latency (cycles)", m.fmaLatency, 1, 16},
      {"vector loads per cycle", m.loadsPerCycle, 0.25, 8},
      {"vector stores per cycle", m.storesPerCycle, 0.1, 4},
      {"L2 bytes per cycle", m.l2BytesPerCycle, 2, 256},
      {"main-memory bytes per cycle", m.memoryBytesPerCycle, 0.1, 64},
      {"cycles to start a run in memory", m.runStartCycles, 0, 5000},
      // Up to a scheduler period (~20 ms): a thread whose core runs another
      // program waits for its time slice, which a loaded machine's
      // programs pay too (a sanitized build measured 11.8M cycles so).
      {"fork/join cycles", m.forkJoinCycles, 0, 1e8},
  };
  for (const Bound &b : bounds)
    if (!(b.value >= b.lo && b.value <= b.hi))
      return outOfBounds(b.what, b.value, b.lo, b.hi);
  if (shipped.hasBf16Dot && !(m.bf16DotCycles >= 0.2 && m.bf16DotCycles <= 16))
    return outOfBounds("cycles per vdpbf16ps", m.bf16DotCycles, 0.2, 16);
  return m;
}

synth::Target tessel::exec::targetFromMeasurements(const Measurements &m) {
  using synth::kTicksPerCycle;
  using synth::MemoryLevel;
  synth::Target t = synth::Target::shippedForHost();
  t.label = "host";
  t.cpu = synth::Target::hostCpu();
  t.cores = m.cores;
  auto ticks = [](double cycles, uint32_t min) {
    return std::max(min, uint32_t(std::lround(cycles * kTicksPerCycle)));
  };
  t.fmaCost = ticks(m.fmaCycles, 1);
  // Where there is no vdpbf16ps the constant is unused; keep it an FMA's.
  t.bf16DotCost = m.bf16DotCycles ? ticks(m.bf16DotCycles, 1) : t.fmaCost;
  t.fmaLatencyFloor = ticks(m.fmaLatency, 1);
  // Half of a load's issue slot is what FMAs next to it do not hide; a line
  // from L1 costs what one vector load does (docs/targets.md).
  t.loadCost = ticks(0.5 / m.loadsPerCycle, 1);
  t.storeCost = ticks(1 / m.storesPerCycle, 1);
  auto &L = t.levels;
  uint64_t l1Period = llvm::bit_floor(m.l1Bytes / m.l1Ways);
  L[int(MemoryLevel::L1)].capacity = uint32_t(l1Period * m.l1Ways);
  L[int(MemoryLevel::L1)].ways = uint32_t(m.l1Ways);
  L[int(MemoryLevel::L1)].aliasPeriod = uint32_t(l1Period);
  L[int(MemoryLevel::L1)].lineCost = t.loadCost;
  // The search plans with half of L2 (half its ways, the same alias
  // period): the rest holds what streams through beside a resident block
  // (panels of A, tiles of C, prefetched next tiles). Planning with all of
  // a 2 MiB L2 chose 1.5 MiB blocks of B and ran 1024^3 and 2048^3 at 0.80x
  // and 0.75x of the programs planned with half (docs/targets.md).
  uint64_t period = llvm::bit_floor(m.l2Bytes / m.l2Ways);
  uint64_t ways = std::max<uint64_t>(1, m.l2Bytes / period / 2);
  L[int(MemoryLevel::L2)].capacity = uint32_t(ways * period);
  L[int(MemoryLevel::L2)].ways = uint32_t(ways);
  L[int(MemoryLevel::L2)].aliasPeriod = uint32_t(period);
  L[int(MemoryLevel::L2)].lineCost = ticks(64 / m.l2BytesPerCycle, 1);
  L[int(MemoryLevel::GL)].lineCost = ticks(64 / m.memoryBytesPerCycle, 1);
  L[int(MemoryLevel::GL)].runCost = ticks(m.runStartCycles, 0);
  t.parallelSetupCost = ticks(m.forkJoinCycles, 0);
  t.streamingStoresFrom =
      uint32_t(std::min<uint64_t>(m.streamingFromBytes, uint64_t(1) << 31));
  return t;
}

std::string tessel::exec::describeMeasurements(const Measurements &m) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "# Measured by `tessel calibrate` (cycles of a "
     << llvm::format("%.2f", m.ghz) << " GHz core clock):\n"
     << llvm::format("#   FMA: %.3f cycles each (full width), latency %.2f",
                     m.fmaCycles, m.fmaLatency);
  if (m.fmaHalfCycles)
    os << llvm::format("; ymm %.3f", m.fmaHalfCycles);
  if (m.bf16DotCycles)
    os << llvm::format("; vdpbf16ps %.3f", m.bf16DotCycles);
  os << "\n"
     << llvm::format("#   vector loads %.2f, stores %.2f per cycle\n",
                     m.loadsPerCycle, m.storesPerCycle)
     << llvm::format("#   L2 %.1f, main memory %.2f bytes per cycle; a run "
                     "in memory starts at +%.0f cycles\n",
                     m.l2BytesPerCycle, m.memoryBytesPerCycle, m.runStartCycles)
     << llvm::format("#   fork/join on %u cores: %.0f cycles (%.2f us)\n",
                     m.cores, m.forkJoinCycles, m.forkJoinCycles / m.ghz / 1e3);
  if (m.streamingFromBytes)
    os << llvm::format("#   streaming stores: copies of %llu MiB and more "
                       "%.2fx as fast as with ordinary stores\n",
                       (unsigned long long)(m.streamingFromBytes >> 20),
                       m.streamingSpeedup);
  else
    os << "#   streaming stores: not faster for the largest copies "
          "measured\n";
  os << "#   caches (" << m.cacheSource << "): L1 " << m.l1Bytes / 1024
     << " KiB " << m.l1Ways << "-way, L2 " << m.l2Bytes / 1024 << " KiB "
     << m.l2Ways << "-way\n";
  return s;
}
