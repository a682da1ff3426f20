//===- Bench.cpp - tessel bench: time synthesized kernels -----------------===//
//
// Times each function (warm-up, best of several samples, optionally pinned to
// one CPU), reports GFLOP/s and the share of the measured FMA peak, and with
// --peer=openblas times OpenBLAS's cblas_sgemm on the same f32 matmuls in
// the same run. Results are checked against the reference first.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"
#include "tessel/Execution/Runner.h"

#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <sched.h>

using namespace mlir;
using namespace tessel;
using namespace tessel::driver;
namespace cl = llvm::cl;

static cl::SubCommand
    benchCommand("bench",
                 "Time each function's synthesized code: GFLOP/s and share of "
                 "the measured peak (optionally beside OpenBLAS)");
static cl::opt<std::string> input(cl::Positional, cl::Required,
                                  cl::desc("<input.mlir>"),
                                  cl::sub(benchCommand), cl::cat(category()));
static PipelineFlags flags(benchCommand);
static cl::opt<std::string>
    funcName("func", cl::desc("Compile and time only this function"),
             cl::sub(benchCommand), cl::cat(category()));
static cl::opt<unsigned> samples("samples",
                                 cl::desc("Timed samples (best is kept)"),
                                 cl::init(5), cl::sub(benchCommand),
                                 cl::cat(category()));
static cl::opt<int> pin("pin", cl::desc("Pin the process to this CPU (-1: no)"),
                        cl::init(-1), cl::sub(benchCommand),
                        cl::cat(category()));
static cl::opt<std::string>
    peer("peer", cl::desc("Also time this library on f32 matmuls: openblas"),
         cl::sub(benchCommand), cl::cat(category()));

namespace {
/// cblas_sgemm from libopenblas, loaded at run time.
using Sgemm = void (*)(int, int, int, int, int, int, float, const float *, int,
                       const float *, int, float, float *, int);

/// The cblas arguments of a 2-D f32 matmul on dense row- or column-major
/// operands, or nothing.
struct GemmCall {
  int m, n, k, transA, transB, lda, ldb, ldc;
  float beta;
};

std::optional<GemmCall> asGemm(spec::MatmulOp op) {
  auto a = cast<MemRefType>(op.getLhs().getType());
  auto b = cast<MemRefType>(op.getRhs().getType());
  auto c = cast<MemRefType>(op.getOut().getType());
  if (a.getRank() != 2 || !a.getElementType().isF32() ||
      !b.getElementType().isF32() || !c.getElementType().isF32())
    return std::nullopt;
  // Row-major (trans 111) or column-major (112) with a leading dimension.
  auto form = [](MemRefType t, int &trans, int &ld) {
    SmallVector<int64_t> s;
    int64_t off;
    if (failed(t.getStridesAndOffset(s, off)) || off != 0)
      return false;
    if (s[1] == 1) {
      trans = 111;
      ld = int(s[0]);
      return true;
    }
    if (s[0] == 1) {
      trans = 112;
      ld = int(s[1]);
      return true;
    }
    return false;
  };
  GemmCall g;
  int transC;
  if (!form(a, g.transA, g.lda) || !form(b, g.transB, g.ldb) ||
      !form(c, transC, g.ldc) || transC != 111)
    return std::nullopt;
  g.m = int(a.getDimSize(0));
  g.k = int(a.getDimSize(1));
  g.n = int(b.getDimSize(1));
  g.beta = op.getAccumulate() ? 1.0f : 0.0f;
  return g;
}
} // namespace

static int runBench() {
  if (samples == 0) {
    llvm::errs() << "tessel bench: --samples must be at least 1\n";
    return 1;
  }
  if (pin < -1 || pin >= CPU_SETSIZE) {
    llvm::errs() << "tessel bench: --pin must be a CPU number (0 to "
                 << CPU_SETSIZE - 1 << ") or -1\n";
    return 1;
  }
  if (pin >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(pin, &set);
    if (sched_setaffinity(0, sizeof(set), &set) != 0) {
      llvm::errs() << "tessel: cannot pin to CPU " << pin << "\n";
      return 1;
    }
  }
  Sgemm sgemm = nullptr;
  if (!peer.empty()) {
    std::string error;
    if (peer != "openblas" || llvm::sys::DynamicLibrary::LoadLibraryPermanently(
                                  "libopenblas.so.0", &error)) {
      llvm::errs() << "tessel: peer '" << peer
                   << "' unavailable (supported: openblas, from Debian's "
                      "libopenblas0) "
                   << error << "\n";
      return 1;
    }
    sgemm = reinterpret_cast<Sgemm>(
        llvm::sys::DynamicLibrary::SearchForAddressOfSymbol("cblas_sgemm"));
  }
  Session session;
  std::optional<CompiledFile> file =
      compileRunnable(session, input, funcName, flags);
  if (!file)
    return 1;
  auto peak = exec::measurePeakGflops(session.getContext());
  if (!peak) {
    llvm::errs() << "tessel: " << llvm::toString(peak.takeError()) << "\n";
    return 1;
  }
  llvm::outs() << "peak (one core, measured): " << llvm::format("%.1f", *peak)
               << " GFLOP/s\n";
  for (func::FuncOp func : file->funcs) {
    auto checks = exec::checkFunction(func, *file->kernel, 1);
    if (!checks || llvm::any_of(*checks, [](auto &c) { return !c.passed; })) {
      if (!checks)
        llvm::consumeError(checks.takeError());
      llvm::errs() << "tessel: " << func.getName()
                   << ": wrong results; run `tessel run` for details\n";
      return 1;
    }
    std::optional<RandomArguments> random = randomArguments(func);
    if (!random)
      return 1;
    auto seconds = file->kernel->time(func.getName(), random->args, samples);
    if (!seconds) {
      llvm::errs() << "tessel: " << llvm::toString(seconds.takeError()) << "\n";
      return 1;
    }
    double flops = exec::countFlops(func);
    double gflops = flops / *seconds / 1e9;
    llvm::outs() << func.getName() << ": "
                 << llvm::format("%.1f", *seconds * 1e6) << " us, ";
    if (flops > 0)
      llvm::outs() << llvm::format("%.1f", gflops) << " GFLOP/s ("
                   << llvm::format("%.0f", 100 * gflops / *peak)
                   << "% of one core's peak)";
    else // memory-bound kinds (elementwise, reductions)
      llvm::outs() << llvm::format("%.1f",
                                   exec::countBytes(func) / *seconds / 1e9)
                   << " GB/s (each operand read or written once)";
    // The same matmul through the peer, if it is a plain 2-D f32 GEMM.
    auto ops = llvm::to_vector(func.getOps<spec::MatmulOp>());
    std::optional<GemmCall> g;
    if (sgemm && ops.size() == 1 && (g = asGemm(ops.front()))) {
      auto arg = [&](Value v) {
        return static_cast<float *>(
            random->args[cast<BlockArgument>(v).getArgNumber()]->data());
      };
      float *a = arg(ops.front().getLhs()), *b = arg(ops.front().getRhs()),
            *c = arg(ops.front().getOut());
      auto call = [&] {
        sgemm(101, g->transA, g->transB, g->m, g->n, g->k, 1.0f, a, g->lda, b,
              g->ldb, g->beta, c, g->ldc);
      };
      double peerGflops = flops / exec::timeBest(call, samples) / 1e9;
      llvm::outs() << "; OpenBLAS " << llvm::format("%.1f", peerGflops)
                   << " GFLOP/s; Tessel/OpenBLAS "
                   << llvm::format("%.2f", gflops / peerGflops);
    }
    llvm::outs() << "\n";
  }
  return 0;
}
TESSEL_COMMAND(benchCommand, runBench);
