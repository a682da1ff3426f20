// Harness of the kinds benchmark (bench/kinds): one binary per library
// (Tessel's and upstream MLIR's compiled kernels, oneDNN, Eigen), chosen by
// the BACKEND_* macro. Each workload is run on the same seeded inputs,
// checked against a double-precision reference, then timed (best of several
// samples of at least 20 ms). One CSV row per workload on stdout:
//   workload,library,threads,status,best_ms,gbps,max_rel_err,note
// plus a "copy" row: this machine's read+write bandwidth on the same bytes.
//
//   bench_<lib> --workloads FILE [--only NAME,...] [--threads N]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Workload {
  std::string name, op;
  long m = 0, n = 0;
  bool rowwise() const { return op == "rowsum" || op == "rowmax"; }
  // Bytes a kernel must move at least: x read, y written (and the bias).
  double bytes() const {
    return 4.0 * (m * n + (rowwise() ? m : m * n) + (op == "bias_relu" ? n : 0));
  }
};

double now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

float *alloc(long count) {
  return static_cast<float *>(std::aligned_alloc(64, ((count * 4 + 63) / 64) * 64));
}

double reference(const Workload &w, const float *x, const float *b, long i, long j) {
  double v = x[i * w.n + j];
  if (w.op == "softmax") {
    // The row's maximum and sum, once per row (the check walks rows).
    static const float *statsOf = nullptr;
    static double max, sum;
    const float *row = x + i * w.n;
    if (row != statsOf) {
      statsOf = row;
      max = *std::max_element(row, row + w.n), sum = 0;
      for (long c = 0; c < w.n; ++c)
        sum += std::exp(row[c] - max);
    }
    return std::exp(v - max) / sum;
  }
  if (w.op == "bias_relu")
    return std::max(v + b[j], 0.0);
  if (w.op == "gelu")
    return v / 2 * (1 + std::erf(v / std::sqrt(2.0)));
  if (w.op == "exp")
    return std::exp(v);
  return 0;
}

// Runs the kernel: y = op(x [, b]).
using Kernel = std::function<void(const float *x, const float *b, float *y)>;

}  // namespace

// Each backend defines these.
const char *libraryName();
// A kernel for `w` at `threads` threads, or an empty one with `why` set.
Kernel makeKernel(const Workload &w, int threads, std::string &why);

#if defined(BACKEND_KERNELS)
// Tessel's or upstream MLIR's compiled functions, one per workload, named
// after it (gen.py writes the registry).
struct Entry {
  const char *name;
  void (*unary)(const float *, float *);
  void (*binary)(const float *, const float *, float *);
};
extern "C" const Entry kernelRegistry[];
extern "C" const char kernelLibrary[];
const char *libraryName() { return kernelLibrary; }
Kernel makeKernel(const Workload &w, int, std::string &why) {
  for (const Entry *e = kernelRegistry; e->name; ++e) {
    if (w.name != e->name)
      continue;
    if (e->binary)
      return [f = e->binary](const float *x, const float *b, float *y) { f(x, b, y); };
    return [f = e->unary](const float *x, const float *, float *y) { f(x, y); };
  }
  why = "no kernel compiled";
  return {};
}
#elif defined(BACKEND_ONEDNN)
#include <oneapi/dnnl/dnnl.hpp>
const char *libraryName() { return "onednn"; }
Kernel makeKernel(const Workload &w, int, std::string &why) {
  using namespace dnnl;
  static engine eng(engine::kind::cpu, 0);
  static stream s(eng);
  memory::desc xMd({w.m, w.n}, memory::data_type::f32, memory::format_tag::ab);
  if (w.op == "bias_relu") {
    // One pass: the binary primitive with ReLU as a post-op.
    memory::desc bMd({1, w.n}, memory::data_type::f32, memory::format_tag::ab);
    post_ops po;
    po.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f);
    primitive_attr attr;
    attr.set_post_ops(po);
    auto pd = binary::primitive_desc(binary::desc(algorithm::binary_add, xMd, bMd, xMd), attr, eng);
    auto prim = std::make_shared<binary>(pd);
    return [=](const float *x, const float *b, float *y) {
      memory mx(xMd, eng, const_cast<float *>(x)), mb(bMd, eng, const_cast<float *>(b)), my(xMd, eng, y);
      prim->execute(s, {{DNNL_ARG_SRC_0, mx}, {DNNL_ARG_SRC_1, mb}, {DNNL_ARG_DST, my}});
      s.wait();
    };
  }
  if (w.op == "softmax") {
    auto pd = softmax_forward::primitive_desc(
        softmax_forward::desc(prop_kind::forward_inference, xMd, 1), eng);
    auto prim = std::make_shared<softmax_forward>(pd);
    return [=](const float *x, const float *, float *y) {
      memory mx(xMd, eng, const_cast<float *>(x)), my(xMd, eng, y);
      prim->execute(s, {{DNNL_ARG_SRC, mx}, {DNNL_ARG_DST, my}});
      s.wait();
    };
  }
  if (w.op == "gelu" || w.op == "exp") {
    algorithm alg = w.op == "gelu" ? algorithm::eltwise_gelu_erf : algorithm::eltwise_exp;
    auto pd = eltwise_forward::primitive_desc(
        eltwise_forward::desc(prop_kind::forward_inference, alg, xMd, 0.f, 0.f), eng);
    auto prim = std::make_shared<eltwise_forward>(pd);
    return [=](const float *x, const float *, float *y) {
      memory mx(xMd, eng, const_cast<float *>(x)), my(xMd, eng, y);
      prim->execute(s, {{DNNL_ARG_SRC, mx}, {DNNL_ARG_DST, my}});
      s.wait();
    };
  }
  memory::desc yMd({w.m, 1}, memory::data_type::f32, memory::format_tag::ab);
  algorithm alg = w.op == "rowsum" ? algorithm::reduction_sum : algorithm::reduction_max;
  auto pd = reduction::primitive_desc(reduction::desc(alg, xMd, yMd, 0.f, 0.f), eng);
  auto prim = std::make_shared<reduction>(pd);
  (void)why;
  return [=](const float *x, const float *, float *y) {
    memory mx(xMd, eng, const_cast<float *>(x)), my(yMd, eng, y);
    prim->execute(s, {{DNNL_ARG_SRC, mx}, {DNNL_ARG_DST, my}});
    s.wait();
  };
}
#elif defined(BACKEND_EIGEN)
#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>
const char *libraryName() { return "eigen"; }
Kernel makeKernel(const Workload &w, int, std::string &) {
  using Array = Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Row = Eigen::Array<float, 1, Eigen::Dynamic>;
  using Col = Eigen::Array<float, Eigen::Dynamic, 1>;
  long m = w.m, n = w.n;
  std::string op = w.op;
  return [=](const float *x, const float *b, float *y) {
    Eigen::Map<const Array> X(x, m, n);
    if (op == "rowsum" || op == "rowmax") {
      Eigen::Map<Col> Y(y, m);
      if (op == "rowsum")
        Y = X.rowwise().sum();
      else
        Y = X.rowwise().maxCoeff();
      return;
    }
    Eigen::Map<Array> Y(y, m, n);
    if (op == "softmax") {
      Y = (X.colwise() - X.rowwise().maxCoeff()).exp();
      Y.colwise() /= Y.rowwise().sum();
    } else if (op == "bias_relu")
      Y = (X.rowwise() + Eigen::Map<const Row>(b, n)).max(0.f);
    else if (op == "gelu")
      Y = 0.5f * X * (1.f + (X * float(M_SQRT1_2)).erf());
    else
      Y = X.exp();
  };
}
#endif

int main(int argc, char **argv) {
  std::string file;
  std::vector<std::string> only;
  int threads = 1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) { std::fprintf(stderr, "%s needs a value\n", a.c_str()); std::exit(2); }
      return argv[++i];
    };
    if (a == "--workloads") file = next();
    else if (a == "--threads") threads = std::atoi(next().c_str());
    else if (a == "--only") {
      std::stringstream ss(next());
      for (std::string s; std::getline(ss, s, ',');) only.push_back(s);
    } else { std::fprintf(stderr, "unknown option %s\n", a.c_str()); return 2; }
  }
  std::ifstream in(file);
  if (!in) { std::fprintf(stderr, "cannot read %s\n", file.c_str()); return 2; }
  std::string line;
  while (std::getline(in, line)) {
    if (auto h = line.find('#'); h != std::string::npos) line.resize(h);
    std::istringstream ls(line);
    Workload w;
    if (!(ls >> w.name >> w.op >> w.m >> w.n)) continue;
    if (!only.empty() && std::find(only.begin(), only.end(), w.name) == only.end()) continue;
    float *x = alloc(w.m * w.n), *b = alloc(w.n), *y = alloc(w.m * w.n), *z = alloc(w.m * w.n);
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> dist(-3.f, 3.f);
    for (long i = 0; i < w.m * w.n; ++i) x[i] = dist(rng);
    for (long j = 0; j < w.n; ++j) b[j] = dist(rng);
    auto time = [&](const std::function<void()> &f) {
      f();
      double best = 1e30;
      for (int sample = 0; sample < 7; ++sample) {
        long reps = 0;
        double start = now(), t;
        do { f(); ++reps; } while ((t = now() - start) < 0.02);
        best = std::min(best, t / double(reps));
      }
      return best;
    };
    // The machine's read+write bandwidth on the same bytes (memcpy).
    double copy = time([&] { std::memcpy(z, x, 4 * w.m * w.n); });
    std::printf("%s,copy,%d,ok,%.4f,%.2f,0,\n", w.name.c_str(), threads, 1e3 * copy,
                8.0 * w.m * w.n / copy / 1e9);
    std::string why;
    Kernel k = makeKernel(w, threads, why);
    if (!k) {
      std::printf("%s,%s,%d,skipped,,,,%s\n", w.name.c_str(), libraryName(), threads, why.c_str());
      continue;
    }
    std::fill(y, y + w.m * w.n, NAN);
    k(x, b, y);
    double maxErr = 0;
    for (long i = 0; i < w.m; ++i) {
      if (w.rowwise()) {
        double acc = w.op == "rowsum" ? 0 : -INFINITY, mag = 0;
        for (long j = 0; j < w.n; ++j) {
          double v = x[i * w.n + j];
          acc = w.op == "rowsum" ? acc + v : std::max(acc, v);
          mag += std::abs(v);
        }
        double err = std::abs(y[i] - acc) / (w.op == "rowsum" ? mag : std::abs(acc) + 1e-30);
        maxErr = std::max(maxErr, std::isnan(err) ? INFINITY : err);
        continue;
      }
      for (long j = 0; j < w.n; ++j) {
        double want = reference(w, x, b, i, j), got = y[i * w.n + j];
        double err = std::abs(got - want) / (std::abs(want) + std::abs(x[i * w.n + j]) + 1e-30);
        maxErr = std::max(maxErr, std::isnan(err) ? INFINITY : err);
      }
    }
    bool ok = maxErr <= 1e-5;
    double t = time([&] { k(x, b, y); });
    std::printf("%s,%s,%d,%s,%.4f,%.2f,%.2g,\n", w.name.c_str(), libraryName(), threads,
                ok ? "ok" : "WRONG", 1e3 * t, w.bytes() / t / 1e9, maxErr);
    std::fflush(stdout);
    std::free(x), std::free(b), std::free(y), std::free(z);
  }
}
