// Convolution benchmark harness (bench/conv/run.sh), built once per
// library (each brings its own threading runtime):
//   -DBENCH_KERNELS=\"tessel\" or \"mlir\": compiled kernels listed in a
//     registry (registry.c): `tessel compile`'s, or upstream MLIR's plain
//     lowering of linalg.conv_2d_nhwc_hwcf (padding copied in, serial);
//   -DBENCH_ONEDNN: oneDNN's convolution primitive;
//   -DBENCH_XNNPACK: XNNPACK's convolution operator (f32 only);
//   -DBENCH_OPENBLAS: im2col + OpenBLAS sgemm (f32 only: Debian's
//     OpenBLAS is built without sbgemm).
// All time the same contract: an NHWC image as given, filters prepared
// once outside the timed region (reordered or packed into what the library
// picks; Tessel: HWCF as stored), an NHWC output. Zero padding is the
// library's job inside the timed region (stated to oneDNN, XNNPACK and
// Tessel; im2col writes its zeros). Every result is checked against a
// double-precision reference. Prints one CSV row per measurement.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#ifdef BENCH_ONEDNN
#include <oneapi/dnnl/dnnl.hpp>
#endif
#ifdef BENCH_XNNPACK
#include <xnnpack.h>
#endif
#ifdef BENCH_OPENBLAS
#include <cblas.h>
extern "C" char *openblas_get_corename(void);
#endif

namespace {

struct Workload {
  std::string name, dtype;
  int64_t n, h, w, c, f, r, s, stride, pad;
  bool depthwise = false; // one R x S filter per channel (f == c)
  int64_t oh() const { return (h + 2 * pad - r) / stride + 1; }
  int64_t ow() const { return (w + 2 * pad - s) / stride + 1; }
  /// Input channels each output sums over.
  int64_t reduced() const { return depthwise ? 1 : c; }
  double flops() const { return 2.0 * n * oh() * ow() * f * r * s * reduced(); }
  bool bf16() const { return dtype == "bf16"; }
};

uint16_t toBf16(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  u += 0x7fff + ((u >> 16) & 1); // round to nearest even
  return uint16_t(u >> 16);
}
float fromBf16(uint16_t b) {
  uint32_t u = uint32_t(b) << 16;
  float x;
  std::memcpy(&x, &u, 4);
  return x;
}

/// Inputs as floats (exactly representable in the workload's dtype) and
/// as stored (f32 or bf16 bits).
struct Tensor {
  std::vector<float> values;
  std::vector<uint16_t> bits;
  const void *data(bool bf16) const {
    return bf16 ? static_cast<const void *>(bits.data()) : values.data();
  }
};
Tensor randomTensor(size_t count, bool bf16, std::mt19937 &rng) {
  std::uniform_real_distribution<float> dist(-1, 1);
  Tensor t;
  t.values.resize(count);
  for (float &v : t.values) {
    v = dist(rng);
    if (bf16) {
      t.bits.push_back(toBf16(v));
      v = fromBf16(t.bits.back());
    }
  }
  return t;
}

/// Reference NHWC output and each element's sum of |products| (its error
/// scale). Filters HWCF, or HWC when depthwise.
void reference(const Workload &w, const std::vector<float> &x,
               const std::vector<float> &k, std::vector<double> &out,
               std::vector<double> &scale) {
  int64_t oh = w.oh(), ow = w.ow();
  out.assign(w.n * oh * ow * w.f, 0);
  scale.assign(out.size(), 0);
  for (int64_t b = 0; b < w.n; ++b)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t xo = 0; xo < ow; ++xo) {
        double *o = &out[((b * oh + y) * ow + xo) * w.f];
        double *m = &scale[((b * oh + y) * ow + xo) * w.f];
        for (int64_t i = 0; i < w.r; ++i)
          for (int64_t j = 0; j < w.s; ++j) {
            int64_t iy = y * w.stride + i - w.pad,
                    ix = xo * w.stride + j - w.pad;
            if (iy < 0 || iy >= w.h || ix < 0 || ix >= w.w)
              continue;
            const float *px = &x[((b * w.h + iy) * w.w + ix) * w.c];
            if (w.depthwise) {
              const float *pk = &k[(i * w.s + j) * w.c];
              for (int64_t ch = 0; ch < w.c; ++ch) {
                double p = double(px[ch]) * pk[ch];
                o[ch] += p;
                m[ch] += std::fabs(p);
              }
              continue;
            }
            for (int64_t ch = 0; ch < w.c; ++ch) {
              const float *pk = &k[((i * w.s + j) * w.c + ch) * w.f];
              for (int64_t f = 0; f < w.f; ++f) {
                double p = double(px[ch]) * pk[f];
                o[f] += p;
                m[f] += std::fabs(p);
              }
            }
          }
      }
}

/// Largest error relative to the element's scale; the bound is the f32
/// rounding of a sum of that many terms.
double maxRelError(const std::vector<float> &got,
                   const std::vector<double> &want,
                   const std::vector<double> &scale) {
  double worst = 0;
  for (size_t i = 0; i < got.size(); ++i)
    worst = std::max(worst, std::fabs(got[i] - want[i]) / (scale[i] + 1e-30));
  return worst;
}

/// Best time of `samples` samples, each long enough to time (>= 20 ms).
double bestSeconds(const std::function<void()> &run, int samples) {
  using clock = std::chrono::steady_clock;
  run();
  auto t0 = clock::now();
  run();
  double once = std::chrono::duration<double>(clock::now() - t0).count();
  int reps = std::max(1, int(0.02 / std::max(once, 1e-9)));
  double best = 1e30;
  for (int s = 0; s < samples; ++s) {
    auto start = clock::now();
    for (int i = 0; i < reps; ++i)
      run();
    best = std::min(
        best,
        std::chrono::duration<double>(clock::now() - start).count() / reps);
  }
  return best;
}

std::vector<Workload> readWorkloads(const char *path) {
  std::vector<Workload> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    line = line.substr(0, line.find('#'));
    std::istringstream ls(line);
    Workload w;
    std::string kind;
    if (ls >> w.name >> w.dtype >> w.n >> w.h >> w.w >> w.c >> w.f >> w.r >>
        w.s >> w.stride >> w.pad) {
      w.depthwise = ls >> kind && kind == "depthwise";
      out.push_back(w);
    }
  }
  return out;
}

void report(const Workload &w, int threads, const char *library,
            const char *status, double seconds, double err, double tol,
            const std::string &note) {
  std::string clean = note;
  std::replace(clean.begin(), clean.end(), ',', ';');
  std::printf("%s,%s,%d,%s,%s,%.2f,%.4f,%.3g,%.3g,%s\n", w.name.c_str(),
              w.dtype.c_str(), threads, library, status,
              status[0] == 'o' ? w.flops() / seconds / 1e9 : 0.0, seconds * 1e3,
              err, tol, clean.c_str());
  std::fflush(stdout);
}

} // namespace

#ifdef BENCH_KERNELS
extern "C" {
typedef void (*ConvFn)(const void *, const void *, float *);
struct Kernel {
  const char *name, *dtype;
  ConvFn fn;
};
extern const struct Kernel kernels[];
extern const int kernel_count;
}
#endif

int main(int argc, char **argv) {
#ifdef BENCH_OPENBLAS
  if (argc == 2 && std::string(argv[1]) == "--info") { // the core it runs
    std::printf("%s\n", openblas_get_corename());
    return 0;
  }
#endif
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s WORKLOADS THREADS SAMPLES [NAME...]\n",
                 argv[0]);
    return 2;
  }
  int threads = std::atoi(argv[2]), samples = std::atoi(argv[3]);
  std::vector<std::string> only(argv + 4, argv + argc);
  for (const Workload &w : readWorkloads(argv[1])) {
    if (!only.empty() && std::find(only.begin(), only.end(),
                                   w.name + ":" + w.dtype) == only.end())
      continue;
    std::mt19937 rng(1234);
    Tensor x = randomTensor(w.n * w.h * w.w * w.c, w.bf16(), rng);
    Tensor k =
        randomTensor(w.r * w.s * w.c * (w.depthwise ? 1 : w.f), w.bf16(), rng);
    std::vector<double> want, scale;
    reference(w, x.values, k.values, want, scale);
    std::vector<float> out(want.size());
    // f32 accumulation of up to R*S*C terms (and bf16 products are exact).
    double tol = 4 * double(w.r * w.s * w.reduced()) * std::ldexp(1.0, -24);
    // Checks a first run's result, then times `run`.
    [[maybe_unused]] auto measure = [&](const char *library,
                                        const std::function<void()> &run,
                                        const std::string &note) {
      std::fill(out.begin(), out.end(), NAN);
      run();
      double err = maxRelError(out, want, scale);
      if (!(err <= tol))
        report(w, threads, library, "wrong", 0, err, tol,
               "result check failed");
      else
        report(w, threads, library, "ok", bestSeconds(run, samples), err, tol,
               note);
    };
    // HWC depthwise filters as CHW (goihw / XNNPACK's [groups][1][R][S][1]).
    Tensor chw;
    if (w.depthwise)
      for (int64_t ch = 0; ch < w.c; ++ch)
        for (int64_t t = 0; t < w.r * w.s; ++t) {
          chw.values.push_back(k.values[t * w.c + ch]);
          if (w.bf16())
            chw.bits.push_back(k.bits[t * w.c + ch]);
        }
    // Right and bottom padding that make the output size ours.
    // (None where the image has rows the windows never reach.)
    [[maybe_unused]] int64_t padB =
                                 std::max<int64_t>(0, (w.oh() - 1) * w.stride +
                                                          w.r - w.h - w.pad),
                             padR =
                                 std::max<int64_t>(0, (w.ow() - 1) * w.stride +
                                                          w.s - w.w - w.pad);
#ifdef BENCH_KERNELS
    ConvFn fn = nullptr;
    for (int i = 0; i < kernel_count; ++i)
      if (w.name == kernels[i].name && w.dtype == kernels[i].dtype)
        fn = kernels[i].fn;
    if (!fn)
      report(w, threads, BENCH_KERNELS, "skipped", 0, 0, tol,
             "no kernel (compile failed)");
    else
      measure(
          BENCH_KERNELS,
          [&] { fn(x.data(w.bf16()), k.data(w.bf16()), out.data()); }, "");
#endif
#ifdef BENCH_XNNPACK
    static pthreadpool_t pool = [&] {
      xnn_initialize(nullptr);
      return threads > 1 ? pthreadpool_create(threads) : nullptr;
    }();
    if (w.bf16()) {
      report(w, threads, "xnnpack", "skipped", 0, 0, tol,
             "no bf16 convolution");
    } else {
      // XNNPACK's filters: [groups][outputs][R][S][inputs], packed at creation.
      std::vector<float> ohwi;
      if (!w.depthwise)
        for (int64_t f = 0; f < w.f; ++f)
          for (int64_t t = 0; t < w.r * w.s; ++t)
            for (int64_t ch = 0; ch < w.c; ++ch)
              ohwi.push_back(k.values[(t * w.c + ch) * w.f + f]);
      xnn_operator_t op = nullptr;
      size_t groups = w.depthwise ? w.c : 1;
      xnn_status status = xnn_create_convolution2d_nhwc_f32(
          w.pad, padR, padB, w.pad, w.r, w.s, w.stride, w.stride, 1, 1, groups,
          w.depthwise ? 1 : w.c, w.depthwise ? 1 : w.f, w.c, w.f,
          w.depthwise ? chw.values.data() : ohwi.data(), nullptr, -INFINITY,
          INFINITY, 0, &op);
      if (status == xnn_status_success)
        status = xnn_setup_convolution2d_nhwc_f32(
            op, w.n, w.h, w.w, x.values.data(), out.data(), pool);
      if (status != xnn_status_success)
        report(w, threads, "xnnpack", "skipped", 0, 0, tol,
               "xnn_create/setup failed: status " +
                   std::to_string(int(status)));
      else
        measure("xnnpack", [&] { xnn_run_operator(op, pool); }, "");
      if (op)
        xnn_delete_operator(op);
    }
#endif
#ifdef BENCH_OPENBLAS
    if (w.depthwise) {
      report(w, threads, "openblas", "skipped", 0, 0, tol,
             "a depthwise convolution is no GEMM");
    } else if (w.bf16()) {
      report(w, threads, "openblas", "skipped", 0, 0, tol,
             "Debian's OpenBLAS has no bf16 GEMM (sbgemm)");
    } else {
      // The image as rows of R*S*C (zeros where windows meet the padding),
      // times the HWCF filters as a (R*S*C) x F matrix: the NHWC output.
      int64_t oh = w.oh(), ow = w.ow(), K = w.r * w.s * w.c, M = w.n * oh * ow;
      bool direct = w.r == 1 && w.s == 1 && w.stride == 1 && w.pad == 0;
      size_t elem = 4;
      std::vector<uint8_t> cols(direct ? 0 : M * K * elem);
      const uint8_t *image = reinterpret_cast<const uint8_t *>(x.values.data());
      auto im2col = [&] {
        size_t run = w.c * elem;
        for (int64_t b = 0; b < w.n; ++b)
          for (int64_t y = 0; y < oh; ++y)
            for (int64_t xo = 0; xo < ow; ++xo)
              for (int64_t i = 0; i < w.r; ++i)
                for (int64_t j = 0; j < w.s; ++j) {
                  uint8_t *dst = &cols[(((b * oh + y) * ow + xo) * K +
                                        (i * w.s + j) * w.c) *
                                       elem];
                  int64_t iy = y * w.stride + i - w.pad,
                          ix = xo * w.stride + j - w.pad;
                  if (iy < 0 || iy >= w.h || ix < 0 || ix >= w.w)
                    std::memset(dst, 0, run);
                  else
                    std::memcpy(dst, image + ((b * w.h + iy) * w.w + ix) * run,
                                run);
                }
      };
      auto run = [&] {
        if (!direct)
          im2col();
        const void *a = direct ? image : cols.data();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, w.f, K, 1,
                    static_cast<const float *>(a), K, k.values.data(), w.f, 0,
                    out.data(), w.f);
      };
      measure("openblas", run,
              direct ? "GEMM on the image" : "im2col (serial) + GEMM");
    }
#endif
#ifdef BENCH_ONEDNN
    using namespace dnnl;
    using tag = memory::format_tag;
    static engine eng(engine::kind::cpu, 0);
    stream st(eng);
    memory::data_type dt =
        w.bf16() ? memory::data_type::bf16 : memory::data_type::f32;
    memory::dims src{w.n, w.c, w.h, w.w}, dst{w.n, w.f, w.oh(), w.ow()};
    // Depthwise: c groups of one filter over one channel (goihw; our HWC
    // filters copied to CHW for it, outside the timed region).
    memory::dims wei = w.depthwise ? memory::dims{w.c, 1, 1, w.r, w.s}
                                   : memory::dims{w.f, w.c, w.r, w.s};
    std::vector<float> chwValues;
    std::vector<uint16_t> chwBits;
    if (w.depthwise)
      for (int64_t ch = 0; ch < w.c; ++ch)
        for (int64_t t = 0; t < w.r * w.s; ++t) {
          chwValues.push_back(k.values[t * w.c + ch]);
          if (w.bf16())
            chwBits.push_back(k.bits[t * w.c + ch]);
        }
    const void *userWeights = !w.depthwise ? k.data(w.bf16())
                              : w.bf16()
                                  ? static_cast<const void *>(chwBits.data())
                                  : chwValues.data();
    memory::dims strides{w.stride, w.stride}, padL{w.pad, w.pad},
        padBR{padB, padR};
    for (bool ownLayouts : {false, true}) {
      const char *library = ownLayouts ? "onednn-any" : "onednn";
      try {
        memory::desc srcMd(src, dt, ownLayouts ? tag::any : tag::nhwc);
        memory::desc weiMd(wei, dt, tag::any);
        memory::desc dstMd(dst, memory::data_type::f32,
                           ownLayouts ? tag::any : tag::nhwc);
        convolution_forward::primitive_desc pd(
            convolution_forward::desc(prop_kind::forward_inference,
                                      algorithm::convolution_direct, srcMd,
                                      weiMd, dstMd, strides, padL, padBR),
            eng);
        memory userSrc({src, dt, tag::nhwc}, eng,
                       const_cast<void *>(x.data(w.bf16())));
        memory userWei({wei, dt, w.depthwise ? tag::goihw : tag::hwio}, eng,
                       const_cast<void *>(userWeights));
        memory userDst({dst, memory::data_type::f32, tag::nhwc}, eng,
                       out.data());
        // Weights (and with its own layouts, the image) reordered once,
        // outside the timed region.
        memory wMem(pd.weights_desc(), eng), sMem = userSrc, dMem = userDst;
        reorder(userWei, wMem).execute(st, userWei, wMem);
        if (ownLayouts) {
          sMem = memory(pd.src_desc(), eng);
          dMem = memory(pd.dst_desc(), eng);
          reorder(userSrc, sMem).execute(st, userSrc, sMem);
        }
        st.wait();
        convolution_forward prim(pd);
        auto run = [&] {
          prim.execute(st, {{DNNL_ARG_SRC, sMem},
                            {DNNL_ARG_WEIGHTS, wMem},
                            {DNNL_ARG_DST, dMem}});
          st.wait();
        };
        run();
        if (ownLayouts) {
          reorder(dMem, userDst).execute(st, dMem, userDst);
          st.wait();
        }
        double err = maxRelError(out, want, scale);
        if (!(err <= tol)) {
          report(w, threads, library, "wrong", 0, err, tol,
                 "result check failed");
          continue;
        }
        report(w, threads, library, "ok", bestSeconds(run, samples), err, tol,
               pd.impl_info_str());
      } catch (const dnnl::error &e) {
        report(w, threads, library, "skipped", 0, 0, tol, e.what());
      }
    }
#endif
  }
  return 0;
}
