//===- Runner.cpp - Compile, run, check and time spec programs ------------===//

#include "tessel/Execution/Runner.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"
#include "tessel/Execution/Reference.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include <chrono>
#include <cmath>
#include <unistd.h>

using namespace mlir;
using namespace tessel;
using namespace tessel::exec;

/// Minutes of the reference interpreter on this kind of machine.
static constexpr double kMaxReferenceMacs = 1e10;

LogicalResult exec::verifyRunnable(func::FuncOp func) {
  if (func.isDeclaration())
    return func.emitError("cannot run '")
           << func.getName() << "': it has no body";
  if (func.getNumResults() != 0)
    return func.emitError("cannot run '")
           << func.getName() << "': runnable functions return nothing";
  // Host memory: each argument twice (the kernel's inputs and the
  // reference's) and an f64 error bound per element.
  uint64_t hostBytes = 0;
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    auto memref = dyn_cast<MemRefType>(type);
    if (memref && failed(spec::verifyAddressable(
                      [&] {
                        return func.emitError("cannot run '")
                               << func.getName() << "': ";
                      },
                      "argument #" + Twine(i), memref)))
      return failure();
    std::optional<uint64_t> bytes =
        memref ? HostBuffer::bytesFor(memref) : std::nullopt;
    if (!bytes)
      return func.emitError("cannot run '")
             << func.getName() << "': argument #" << i << " has type " << type
             << "; runnable functions take statically shaped strided "
                "memrefs of f32, bf16, f16 or integers, with non-negative "
                "offsets and strides, spanning less than 2^47 bytes";
    hostBytes += 2 * *bytes + 8 * uint64_t(memref.getNumElements());
  }
  uint64_t physical =
      uint64_t(sysconf(_SC_PHYS_PAGES)) * uint64_t(sysconf(_SC_PAGESIZE));
  if (physical && hostBytes > physical / 2)
    return func.emitError("cannot run '")
           << func.getName() << "': checking it needs "
           << llvm::formatv("{0:F1}", hostBytes / double(1ull << 30))
           << " GiB of host memory, more than half of this machine's "
           << llvm::formatv("{0:F1}", physical / double(1ull << 30))
           << " GiB (tessel compile builds it without running it)";
  // The reference is plain double-precision loops: bound its work.
  double work = 0;
  for (Operation &op : func.getBody().front()) {
    if (isa<func::ReturnOp>(op))
      continue;
    if (!isa<spec::SpecOpInterface>(op))
      return op.emitError("cannot run '")
             << func.getName() << "': its body may hold only spec ops";
    for (Value operand : op.getOperands())
      if (!isa<BlockArgument>(operand))
        return op.emitError("cannot run '")
               << func.getName()
               << "': spec ops must work on the function's arguments";
    work += cast<spec::SpecOpInterface>(op).getFlopCount() / 2;
  }
  if (work > kMaxReferenceMacs)
    return func.emitError("cannot run '")
           << func.getName() << "': its reference needs "
           << llvm::formatv("{0:E1}", work)
           << " multiply-adds; tessel run checks up to "
           << llvm::formatv("{0:E0}", kMaxReferenceMacs)
           << " (tessel compile builds it without running it)";
  return success();
}

Kernel::~Kernel() = default;

static void initializeNativeTarget() {
  static bool once = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)once;
}

llvm::Expected<std::unique_ptr<Kernel>>
Kernel::compile(ModuleOp module, const ToLLVMOptions &options) {
  initializeNativeTarget();
  MLIRContext *ctx = module.getContext();
  DialectRegistry registry;
  registerAllToLLVMIRTranslations(registry);
  ctx->appendDialectRegistry(registry);

  OwningOpRef<ModuleOp> lowered = module.clone();
  ToLLVMOptions opts;
  opts.copyOptionValuesFrom(options);
  opts.barePtrCallConv = true;
  // The JIT runs the code here: AVX-512 (and AVX512-BF16) instructions
  // only if this CPU has them, whatever the target.
  llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
  opts.avx512Instructions = host.lookup("avx512f");
  opts.bf16Instructions = host.lookup("avx512bf16");
  PassManager pm(ctx);
  buildToLLVMPipeline(pm, opts);
  if (failed(pm.run(*lowered)))
    return llvm::createStringError("lowering failed (see the errors above)");

  auto hostTM = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!hostTM)
    return hostTM.takeError();
  auto tm = hostTM->createTargetMachine();
  if (!tm)
    return tm.takeError();
  // The options hold a function_ref: the transformer must outlive create().
  std::function<llvm::Error(llvm::Module *)> optimize =
      makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0, tm->get());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = optimize;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  // Parallel loops call the OpenMP runtime.
  SmallVector<StringRef, 1> libs = {TESSEL_OMP_LIBRARY};
  engineOptions.sharedLibPaths = libs;
  auto engine = ExecutionEngine::create(*lowered, engineOptions);
  if (!engine)
    return engine.takeError();
  std::unique_ptr<Kernel> kernel(new Kernel());
  kernel->engine = std::move(*engine);
  return kernel;
}

llvm::Expected<void (*)(void **)> Kernel::lookup(StringRef name) {
  return engine->lookupPacked(name);
}

llvm::Error Kernel::call(StringRef name, ArrayRef<HostBuffer *> args) {
  SmallVector<void *> pointers, packed;
  for (HostBuffer *b : args)
    pointers.push_back(b->data());
  for (void *&p : pointers)
    packed.push_back(&p);
  return engine->invokePacked(name, packed);
}

llvm::Expected<double> Kernel::time(StringRef name, ArrayRef<HostBuffer *> args,
                                    unsigned samples) {
  auto fn = engine->lookupPacked(name);
  if (!fn)
    return fn.takeError();
  SmallVector<void *> pointers, packed;
  for (HostBuffer *b : args)
    pointers.push_back(b->data());
  for (void *&p : pointers)
    packed.push_back(&p);
  return timeBest([&] { (*fn)(packed.data()); }, samples);
}

double exec::timeBest(llvm::function_ref<void()> call, unsigned samples) {
  using Clock = std::chrono::steady_clock;
  auto run = [&](unsigned calls) {
    auto start = Clock::now();
    for (unsigned i = 0; i < calls; ++i)
      call();
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  // Warm up, then size batches from the faster of two single calls.
  double once = run(1);
  once = std::min(once, run(1));
  unsigned calls = unsigned(std::clamp(0.05 / std::max(once, 1e-9), 1.0, 1e6));
  double best = INFINITY;
  for (unsigned s = 0; s < std::max(samples, 1u); ++s)
    best = std::min(best, run(calls) / calls);
  return best;
}

llvm::Expected<ReferenceRun> exec::referenceRun(func::FuncOp func,
                                                unsigned seed, double range) {
  std::mt19937 rng(seed);
  ReferenceRun run;
  SmallVector<HostBuffer *> expectedPtrs;
  for (Type type : func.getArgumentTypes()) {
    run.inputs.push_back(HostBuffer::create(cast<MemRefType>(type)));
    run.expected.push_back(HostBuffer::create(cast<MemRefType>(type)));
    if (!run.inputs.back() || !run.expected.back())
      return llvm::createStringError("cannot allocate the arguments of '" +
                                     func.getName() + "'");
    expectedPtrs.push_back(run.expected.back().get());
  }

  // Inputs, and the reference on them op by op (remembering what each op
  // wrote). A check needs finite references whose terms stay finite in the
  // output type too (where they do not, some summation order overflows and
  // the result depends on the order): a long chain of products overflows
  // from inputs of any fixed range, so the range narrows until they do (4x
  // a step: 16 steps below 1, so a reference that is never finite (a fill
  // with -inf) leaves the other outputs checked on inputs above 1e-9, and
  // as many as it takes from a larger range down to 1; after that,
  // non-finite references must be matched exactly).
  unsigned tries =
      16 +
      (range > 1 ? unsigned(std::ceil(std::log(range) / std::log(4.0))) : 0);
  std::map<unsigned, ErrorBound> &bounds = run.bounds;
  for (unsigned attempt = 0; attempt < tries; ++attempt, range /= 4) {
    for (auto [a, e] : llvm::zip(run.inputs, run.expected)) {
      a->randomize(rng, range);
      e->copyFrom(*a);
    }
    bounds.clear();
    for (Operation &op : func.getBody().front()) {
      if (!isa<spec::SpecOpInterface>(op))
        continue;
      SmallVector<HostBuffer *> operands;
      for (Value v : op.getOperands())
        operands.push_back(expectedPtrs[cast<BlockArgument>(v).getArgNumber()]);
      unsigned out =
          cast<BlockArgument>(op.getOperands().back()).getArgNumber();
      if (failed(runReference(&op, operands, bounds[out])))
        return llvm::createStringError(
            "the reference cannot run this function");
    }
    bool finite = true;
    for (auto &entry : bounds) {
      // (Named, not bound: a lambda below captures it.)
      const auto &bound = entry.second;
      HostBuffer &want = *run.expected[entry.first];
      auto type = dyn_cast<FloatType>(want.getType().getElementType());
      double largest = type
                           ? llvm::APFloat::getLargest(type.getFloatSemantics())
                                 .convertToDouble()
                           : INFINITY;
      want.forEachIndex([&](ArrayRef<int64_t> i) {
        finite = finite && std::isfinite(want.get(i)) &&
                 !(bound.magnitude && bound.magnitude->get(i) > largest);
      });
    }
    if (finite)
      break;
  }
  return std::move(run);
}

llvm::Expected<std::vector<OutputCheck>> exec::checkFunction(func::FuncOp func,
                                                             Kernel &kernel,
                                                             unsigned seed,
                                                             double range) {
  llvm::Expected<ReferenceRun> reference = referenceRun(func, seed, range);
  if (!reference)
    return reference.takeError();
  return checkAgainst(func, kernel, *reference);
}

llvm::Expected<std::vector<OutputCheck>>
exec::checkAgainst(func::FuncOp func, Kernel &kernel,
                   const ReferenceRun &reference) {
  SmallVector<std::unique_ptr<HostBuffer>> actual;
  SmallVector<HostBuffer *> actualPtrs;
  for (const auto &input : reference.inputs) {
    actual.push_back(HostBuffer::create(input->getType()));
    if (!actual.back())
      return llvm::createStringError("cannot allocate the arguments of '" +
                                     func.getName() + "'");
    actual.back()->copyFrom(*input);
    actualPtrs.push_back(actual.back().get());
  }
  const auto &bounds = reference.bounds;
  const auto &expected = reference.expected;
  if (llvm::Error e = kernel.call(func.getName(), actualPtrs))
    return std::move(e);

  std::vector<OutputCheck> checks;
  for (auto &entry : bounds) {
    unsigned arg = entry.first;
    const ErrorBound &bound = entry.second;
    OutputCheck check;
    check.argument = arg;
    HostBuffer &got = *actual[arg], &want = *expected[arg];
    Type e = got.getType().getElementType();
    // Unit roundoff of the output type; integers are exact.
    double u = e.isF32()    ? std::ldexp(1.0, -24)
               : e.isBF16() ? std::ldexp(1.0, -8)
               : e.isF16()  ? std::ldexp(1.0, -11)
               : e.isF64()  ? std::ldexp(1.0, -53)
                            : 0.0;
    // Rounding of each partial sum (any summation order) and of the result.
    double factor = 2.0 * u * double(bound.terms + 2);
    check.tolerance = factor;
    // Results below the smallest normal number may flush to zero (the
    // polynomial exp does).
    double tiny = isa<FloatType>(e) && !e.isF64()
                      ? llvm::APFloat::getSmallestNormalized(
                            cast<FloatType>(e).getFloatSemantics())
                            .convertToDouble()
                      : 0.0;
    got.forEachIndex([&](ArrayRef<int64_t> i) {
      double g = got.get(i), w = want.get(i);
      double scale = bound.magnitude->get(i) + std::abs(w);
      double err = (g == w) ? 0.0 : std::abs(g - w);
      bool wrong;
      if (!std::isfinite(w)) { // the reference overflowed: the same value
        wrong = !(g == w || (std::isnan(g) && std::isnan(w)));
        err = wrong ? INFINITY : 0.0;
        scale = 1;
      } else {
        // A non-finite result where the reference is finite is wrong, and
        // must not hide behind comparisons with NaN.
        if (!std::isfinite(err))
          err = INFINITY;
        wrong = !(err <= factor * scale + tiny);
      }
      check.maxAbsError = std::max(check.maxAbsError, err);
      double rel = scale > 0 ? err / scale : (err > 0 ? INFINITY : 0);
      check.maxRelError = std::max(check.maxRelError, rel);
      if (wrong && check.passed) {
        check.passed = false;
        llvm::raw_string_ostream os(check.firstMismatch);
        os << "[";
        llvm::interleaveComma(i, os);
        os << "]: got " << g << ", expected " << w;
      }
    });
    checks.push_back(std::move(check));
  }
  return checks;
}

double exec::countBytes(func::FuncOp func) {
  double bytes = 0;
  func.walk([&](spec::SpecOpInterface op) { bytes += op.getOperandBytes(); });
  return bytes;
}

double exec::countFlops(func::FuncOp func) {
  double flops = 0;
  func.walk([&](spec::SpecOpInterface op) { flops += op.getFlopCount(); });
  return flops;
}

llvm::Expected<double> exec::measurePeakGflops(MLIRContext &context) {
  // Twelve independent FMA chains hide the FMA latency on every x86 core.
  unsigned lanes = llvm::sys::getHostCPUFeatures().lookup("avx512f") ? 16 : 8;
  std::string vec = "vector<" + std::to_string(lanes) + "xf32>";
  std::string src;
  llvm::raw_string_ostream os(src);
  os << "func.func @peak(%m: memref<" << lanes << "xf32>) {\n"
     << "  %c0 = arith.constant 0 : index\n  %c1 = arith.constant 1 : index\n"
     << "  %n = arith.constant 1000000 : index\n"
     << "  %x = vector.load %m[%c0] : memref<" << lanes << "xf32>, " << vec
     << "\n  %r:12 = scf.for %i = %c0 to %n step %c1 iter_args(";
  for (int i = 0; i < 12; ++i)
    os << (i ? ", " : "") << "%a" << i << " = %x";
  os << ") -> (";
  for (int i = 0; i < 12; ++i)
    os << (i ? ", " : "") << vec;
  os << ") {\n";
  for (int i = 0; i < 12; ++i)
    os << "    %b" << i << " = vector.fma %a" << i << ", %x, %x : " << vec
       << "\n";
  os << "    scf.yield ";
  for (int i = 0; i < 12; ++i)
    os << (i ? ", " : "") << "%b" << i;
  os << " : ";
  for (int i = 0; i < 12; ++i)
    os << (i ? ", " : "") << vec;
  os << "\n  }\n  %s0 = arith.addf %r#0, %r#1 : " << vec << "\n";
  for (int i = 2; i < 12; ++i)
    os << "  %s" << i - 1 << " = arith.addf %s" << i - 2 << ", %r#" << i
       << " : " << vec << "\n";
  os << "  vector.store %s10, %m[%c0] : memref<" << lanes << "xf32>, " << vec
     << "\n  return\n}\n";
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(src, &context);
  if (!module)
    return llvm::createStringError("cannot parse the peak kernel");
  ToLLVMOptions options;
  auto kernel = Kernel::compile(*module, options);
  if (!kernel)
    return kernel.takeError();
  auto buffer =
      HostBuffer::create(MemRefType::get({lanes}, Float32Type::get(&context)));
  for (unsigned i = 0; i < lanes; ++i)
    buffer->set({i}, 1e-3);
  HostBuffer *args[] = {buffer.get()};
  auto seconds = (*kernel)->time("peak", args, 3);
  if (!seconds)
    return seconds.takeError();
  return 1e6 * 12 * lanes * 2 / *seconds / 1e9;
}
