// Driver of the GEMM benchmark harnesses: reads the workload list, makes the
// inputs, checks every kernel against a double-precision reference and times
// it (warm-up, then the best of several samples). Prints one CSV row per
// (workload, variant) on stdout; progress and notes go to stderr.
//
//   bench_<lib> --workloads FILE [--only NAME,...] [--threads N] [--quick]
//               [--cache DIR] [--info]
#include "common.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace gemmbench;

namespace {

struct Options {
  std::string workloadsFile, cacheDir;
  std::vector<std::string> only;
  int threads = 1;
  bool quick = false, info = false;
};

[[noreturn]] void die(const std::string &msg) {
  std::fprintf(stderr, "%s: %s\n", libraryName(), msg.c_str());
  std::exit(2);
}

std::vector<std::string> split(const std::string &s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, sep))
    if (!item.empty()) out.push_back(item);
  return out;
}

std::vector<Workload> readWorkloads(const std::string &path) {
  std::ifstream in(path);
  if (!in) die("cannot read " + path);
  std::vector<Workload> out;
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream ls(line);
    Workload w;
    std::string dtype, layout;
    if (!(ls >> w.name)) continue;
    if (!(ls >> dtype >> w.m >> w.k >> w.n >> layout) || w.m <= 0 || w.k <= 0 || w.n <= 0)
      die("bad workload line: " + line);
    if (dtype == "f32") w.dtype = DType::F32;
    else if (dtype == "bf16") w.dtype = DType::BF16;
    else die("unknown dtype " + dtype);
    if (layout == "kn") w.bTransposed = false;
    else if (layout == "nk") w.bTransposed = true;
    else die("unknown B layout " + layout);
    out.push_back(w);
  }
  return out;
}

double now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

// 64-byte aligned buffer.
struct Buffer {
  void *p = nullptr;
  explicit Buffer(size_t bytes) {
    size_t rounded = (bytes + 63) / 64 * 64;
    p = std::aligned_alloc(64, rounded ? rounded : 64);
    if (!p) die("out of memory");
  }
  ~Buffer() { std::free(p); }
  Buffer(const Buffer &) = delete;
  Buffer &operator=(const Buffer &) = delete;
  template <typename T> T *as() const { return static_cast<T *>(p); }
};

uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Uniform in [-1, 1), reproducible per (tensor, index).
float inputValue(uint64_t tensor, uint64_t i) {
  uint64_t r = splitmix((tensor << 48) ^ i);
  return float(double(r >> 40) * (2.0 / double(1ull << 24)) - 1.0);
}

uint16_t toBf16(float f) {  // round to nearest even (inputs are finite)
  uint32_t u;
  std::memcpy(&u, &f, 4);
  u += 0x7fffu + ((u >> 16) & 1u);
  return uint16_t(u >> 16);
}

float fromBf16(uint16_t h) {
  uint32_t u = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// Fills `dst` (stored elements, f32 or bf16) and returns the values as f32.
void fillInput(const Workload &w, uint64_t tensor, size_t count, void *dst, std::vector<float> &asFloat) {
  asFloat.resize(count);
  for (size_t i = 0; i < count; ++i) {
    float v = inputValue(tensor, i);
    if (w.dtype == DType::BF16) {
      uint16_t h = toBf16(v);
      static_cast<uint16_t *>(dst)[i] = h;
      v = fromBf16(h);
    } else {
      static_cast<float *>(dst)[i] = v;
    }
    asFloat[i] = v;
  }
}

// Reference: ref = A*B and absRef = |A|*|B|, accumulated in double.
struct Reference {
  std::vector<double> ref, absRef;
};

std::string cachePath(const Options &o, const Workload &w) {
  std::ostringstream s;
  s << o.cacheDir << "/ref-" << w.name << '-' << (w.dtype == DType::F32 ? "f32" : "bf16") << '-' << w.m << 'x'
    << w.k << 'x' << w.n << '-' << (w.bTransposed ? "nk" : "kn") << "-v1.bin";
  return s.str();
}

Reference computeReference(const Workload &w, const std::vector<float> &a, const std::vector<float> &bStored) {
  const int64_t M = w.m, N = w.n, K = w.k;
  // Logical B as K x N, in double.
  std::vector<double> b(size_t(K) * N), absB(size_t(K) * N);
  for (int64_t kk = 0; kk < K; ++kk)
    for (int64_t j = 0; j < N; ++j) {
      float v = w.bTransposed ? bStored[size_t(j) * K + kk] : bStored[size_t(kk) * N + j];
      b[size_t(kk) * N + j] = v;
      absB[size_t(kk) * N + j] = std::fabs(double(v));
    }
  Reference r;
  r.ref.assign(size_t(M) * N, 0.0);
  r.absRef.assign(size_t(M) * N, 0.0);
  for (int64_t i = 0; i < M; ++i) {
    double *row = &r.ref[size_t(i) * N], *absRow = &r.absRef[size_t(i) * N];
    for (int64_t kk = 0; kk < K; ++kk) {
      double av = a[size_t(i) * K + kk], absA = std::fabs(av);
      const double *bRow = &b[size_t(kk) * N], *absBRow = &absB[size_t(kk) * N];
      for (int64_t j = 0; j < N; ++j) {
        row[j] += av * bRow[j];
        absRow[j] += absA * absBRow[j];
      }
    }
  }
  return r;
}

Reference loadOrComputeReference(const Options &o, const Workload &w, const std::vector<float> &a,
                                 const std::vector<float> &b) {
  const size_t count = size_t(w.m) * w.n;
  std::string path = o.cacheDir.empty() ? std::string() : cachePath(o, w);
  if (!path.empty()) {
    if (FILE *f = std::fopen(path.c_str(), "rb")) {
      Reference r;
      r.ref.resize(count);
      r.absRef.resize(count);
      bool ok = std::fread(r.ref.data(), sizeof(double), count, f) == count &&
                std::fread(r.absRef.data(), sizeof(double), count, f) == count && std::fgetc(f) == EOF;
      std::fclose(f);
      if (ok) return r;
    }
  }
  double t0 = now();
  Reference r = computeReference(w, a, b);
  std::fprintf(stderr, "%s: reference for %s computed in %.1f s\n", libraryName(), w.name.c_str(), now() - t0);
  if (!path.empty()) {
    std::string tmp = path + ".tmp." + std::to_string(getpid());
    if (FILE *f = std::fopen(tmp.c_str(), "wb")) {
      bool ok = std::fwrite(r.ref.data(), sizeof(double), count, f) == count &&
                std::fwrite(r.absRef.data(), sizeof(double), count, f) == count;
      ok = std::fclose(f) == 0 && ok;
      if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) std::remove(tmp.c_str());
    }
  }
  return r;
}

// Largest error relative to sum |a||b| (the scale of a dot product's rounding
// error), so one number fits every K and value range.
double maxRelError(const Reference &r, const float *c, size_t count) {
  double worst = 0;
  for (size_t i = 0; i < count; ++i) {
    double v = c[i];
    if (!std::isfinite(v)) return INFINITY;
    double e = std::fabs(v - r.ref[i]) / std::max(r.absRef[i], 1e-30);
    worst = std::max(worst, e);
  }
  return worst;
}

// f32 accumulation over K terms errs by at most about K * 2^-24 of sum |a||b|
// (bf16 inputs multiply exactly in f32, so the same bound holds); allow twice.
double tolerance(const Workload &w) { return double(std::max<int64_t>(w.k, 16)) * std::ldexp(1.0, -23); }

size_t lastLevelCacheBytes() {
  long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
  if (l3 > 0) return size_t(l3);
  std::ifstream f("/sys/devices/system/cpu/cpu0/cache/index3/size");
  size_t kib = 0;
  if (f >> kib) return kib * 1024;
  return 32u << 20;
}

// Operands of 16 MiB or more (the vector-matrix weights) are streamed from
// memory as in real inference: the timed calls rotate over enough identical
// copies of B that together exceed twice the last-level cache.
int bCopiesFor(const Workload &w) {
  size_t bytes = size_t(w.k) * w.n * w.elemBytes();
  if (bytes < (16u << 20)) return 1;
  size_t want = 2 * lastLevelCacheBytes();
  return int(std::min<size_t>(16, std::max<size_t>(1, (want + bytes - 1) / bytes)));
}

std::string csvSafe(std::string s) {
  for (char &ch : s)
    if (ch == ',' || ch == '\n' || ch == '\r' || ch == '"') ch = ';';
  return s;
}

struct Row {
  std::string status = "ok", note;
  double gflops = 0, bestMs = 0, medianMs = 0, err = NAN;
  int samples = 0;
  long reps = 0;
};

void printRow(const Options &o, const Workload &w, const std::string &variant, const Row &r, int copies) {
  std::printf("%s,%s,%lld,%lld,%lld,%s,%d,%s,%s,%s,%.3f,%.6f,%.6f,%d,%ld,%.3g,%.3g,%d,%s\n", w.name.c_str(),
              w.dtype == DType::F32 ? "f32" : "bf16", (long long)w.m, (long long)w.k, (long long)w.n,
              w.bTransposed ? "nk" : "kn", o.threads, libraryName(), csvSafe(variant).c_str(), r.status.c_str(),
              r.gflops, r.bestMs, r.medianMs, r.samples, r.reps, r.err, tolerance(w), copies, csvSafe(r.note).c_str());
  std::fflush(stdout);
}

void benchWorkload(const Options &o, const Workload &w) {
  // Which variants apply? Skip making data when none does.
  std::vector<std::pair<std::string, std::unique_ptr<Kernel>>> kernels;
  for (const Variant &v : libraryVariants()) {
    std::string why;
    std::unique_ptr<Kernel> k = v.make(w, why);
    if (!k) {
      if (why.empty()) continue;  // does not apply to this shape: no row
      Row r;
      r.status = "skipped";
      r.note = why;
      printRow(o, w, v.name, r, 0);
      continue;
    }
    kernels.emplace_back(v.name, std::move(k));
  }
  if (kernels.empty()) return;

  const size_t aCount = size_t(w.m) * w.k, bCount = size_t(w.k) * w.n, cCount = size_t(w.m) * w.n;
  const int copies = bCopiesFor(w);
  Buffer a(aCount * w.elemBytes()), c(cCount * 4);
  std::vector<std::unique_ptr<Buffer>> bs;
  std::vector<float> aF, bF;
  fillInput(w, 1, aCount, a.p, aF);
  bs.push_back(std::make_unique<Buffer>(bCount * w.elemBytes()));
  fillInput(w, 2, bCount, bs[0]->p, bF);
  for (int i = 1; i < copies; ++i) {
    bs.push_back(std::make_unique<Buffer>(bCount * w.elemBytes()));
    std::memcpy(bs[i]->p, bs[0]->p, bCount * w.elemBytes());
  }
  std::vector<const void *> bPtrs;
  for (auto &b : bs) bPtrs.push_back(b->p);
  Reference ref = loadOrComputeReference(o, w, aF, bF);
  aF.clear(); aF.shrink_to_fit();
  bF.clear(); bF.shrink_to_fit();

  const double warmSec = o.quick ? 0.05 : 0.25, sampleSec = o.quick ? 0.03 : 0.1;
  for (auto &[variant, k] : kernels) {
    Row r;
    r.note = k->describe();
    k->setup(bPtrs);
    float *cp = c.as<float>();
    std::fill(cp, cp + cCount, NAN);  // every element must be written
    double t0 = now();
    k->run(a.p, bPtrs[0], 0, cp);
    double first = now() - t0;
    r.err = maxRelError(ref, cp, cCount);
    if (!(r.err <= tolerance(w))) {
      r.status = "wrong";
      r.note = "result differs from the reference";
      std::fprintf(stderr, "%s: %s %s: WRONG (max rel err %.3g > %.3g)\n", libraryName(), w.name.c_str(),
                   variant.c_str(), r.err, tolerance(w));
      printRow(o, w, variant, r, copies);
      continue;
    }
    // Warm-up (the checked call counts), and the cost of one call.
    long calls = 1;
    int bi = 0;
    double t1 = now();
    while (now() - t0 < warmSec || calls < 2) {
      if (first > 1.0) break;  // slow: the checked call was warm-up enough
      bi = (bi + 1) % copies;
      k->run(a.p, bPtrs[bi], bi, cp);
      ++calls;
    }
    double perCall = calls > 1 ? (now() - t1) / double(calls - 1) : first;
    r.reps = std::max(1L, long(std::ceil(sampleSec / std::max(perCall, 1e-9))));
    r.samples = perCall > 0.5 ? (o.quick ? 1 : 3) : (o.quick ? 3 : 7);
    std::vector<double> perCallTimes;
    for (int s = 0; s < r.samples; ++s) {
      double s0 = now();
      for (long i = 0; i < r.reps; ++i) {
        bi = (bi + 1) % copies;
        k->run(a.p, bPtrs[bi], bi, cp);
      }
      perCallTimes.push_back((now() - s0) / double(r.reps));
    }
    std::sort(perCallTimes.begin(), perCallTimes.end());
    double best = perCallTimes.front(), median = perCallTimes[perCallTimes.size() / 2];
    // The result of the last timed call must still be right.
    double errAfter = maxRelError(ref, cp, cCount);
    r.err = std::max(r.err, errAfter);
    if (!(errAfter <= tolerance(w))) {
      r.status = "wrong";
      r.note = "result differs from the reference after repeated calls";
    }
    r.bestMs = best * 1e3;
    r.medianMs = median * 1e3;
    r.gflops = w.flops() / best * 1e-9;
    std::fprintf(stderr, "%s: %-18s %-22s %8.2f GFLOP/s  (best %.4f ms, median %.4f ms, %d x %ld, err %.2g)\n",
                 libraryName(), w.name.c_str(), variant.empty() ? "-" : variant.c_str(), r.gflops, r.bestMs,
                 r.medianMs, r.samples, r.reps, r.err);
    printRow(o, w, variant, r, copies);
  }
}

}  // namespace

int main(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + arg);
      return argv[++i];
    };
    if (arg == "--workloads") o.workloadsFile = value();
    else if (arg == "--only") o.only = split(value(), ',');
    else if (arg == "--threads") o.threads = std::atoi(value().c_str());
    else if (arg == "--cache") o.cacheDir = value();
    else if (arg == "--quick") o.quick = true;
    else if (arg == "--info") o.info = true;
    else die("unknown option " + arg);
  }
  if (o.info) {
    std::printf("%s\n", libraryInfo().c_str());
    return 0;
  }
  if (o.workloadsFile.empty()) die("--workloads FILE is required");
  for (const Workload &w : readWorkloads(o.workloadsFile)) {
    if (!o.only.empty() && std::find(o.only.begin(), o.only.end(), w.name) == o.only.end()) continue;
    benchWorkload(o, w);
  }
  return 0;
}
