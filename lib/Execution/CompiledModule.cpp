//===- CompiledModule.cpp - MLIR text in, callable functions out ----------===//

#include "tessel/Execution/CompiledModule.h"
#include "tessel/Conversion/Passes.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"
#include "tessel/Dialect/Spec/Synthesis/Session.h"
#include "tessel/Execution/Reference.h"
#include "tessel/InitAllTessel.h"
#include "tessel/Memo/Database.h"
#include "tessel/Support/DeepStack.h"
#include "tessel/Support/Nesting.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/Threading.h"
#include <cstdlib>
#include <cstring>
#include <random>

using namespace mlir;
using namespace tessel;
using namespace tessel::exec;

char Failure::ID = 0;

llvm::Error exec::makeFailure(FailureKind kind, const llvm::Twine &message) {
  return llvm::make_error<Failure>(kind, message.str());
}

static constexpr llvm::StringLiteral kDTypeNames[] = {
    "f32", "f64", "f16", "bf16", "i8", "i16", "i32", "i64"};
static constexpr unsigned kDTypeBytes[] = {4, 8, 2, 2, 1, 2, 4, 8};

StringRef exec::dtypeName(DType dtype) { return kDTypeNames[int(dtype)]; }
unsigned exec::dtypeBytes(DType dtype) { return kDTypeBytes[int(dtype)]; }

static std::optional<DType> dtypeOf(Type type) {
  if (type.isF32())
    return DType::F32;
  if (type.isF64())
    return DType::F64;
  if (type.isF16())
    return DType::F16;
  if (type.isBF16())
    return DType::BF16;
  if (type.isSignlessInteger(8))
    return DType::I8;
  if (type.isSignlessInteger(16))
    return DType::I16;
  if (type.isSignlessInteger(32))
    return DType::I32;
  if (type.isSignlessInteger(64))
    return DType::I64;
  return std::nullopt;
}

std::unique_ptr<MLIRContext> exec::createContext() {
  DialectRegistry registry;
  mlir::registerAllDialects(registry);
  tessel::registerAllDialects(registry);
  exec::registerReferenceExternalModels(registry);
  auto context = std::make_unique<MLIRContext>(registry);
  // Diagnostics point at the source line; the generic op dump adds noise.
  context->printOpOnDiagnostic(false);
  return context;
}

namespace {
/// Collects the located diagnostics of one compilation as text.
class DiagnosticCollector {
public:
  DiagnosticCollector(StringRef source, StringRef sourceName,
                      MLIRContext &context)
      : os(text), handler(sourceMgr, &context, os) {
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(source, sourceName),
        llvm::SMLoc());
  }
  llvm::SourceMgr &getSourceMgr() { return sourceMgr; }
  llvm::raw_ostream &getStream() { return os; }
  std::string take() { return std::move(text); }
  llvm::Error failure(StringRef fallback) {
    return makeFailure(FailureKind::Compile,
                       text.empty() ? fallback : StringRef(text));
  }

private:
  std::string text;
  llvm::raw_string_ostream os;
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler;
};
} // namespace

/// Parses `collector`'s source with diagnostics into it; refuses nesting
/// deeper than kMaxNesting.
static OwningOpRef<ModuleOp> parse(DiagnosticCollector &collector,
                                   MLIRContext &context) {
  llvm::SourceMgr &sourceMgr = collector.getSourceMgr();
  if (reportTooDeepNesting(sourceMgr, /*id=*/1, collector.getStream()))
    return {};
  return parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
}

/// The memref a view was taken of, through view-like ops.
static Value viewRoot(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    auto view = dyn_cast<ViewLikeOpInterface>(def);
    if (!view)
      break;
    value = view.getViewSource();
  }
  return value;
}

/// Which arguments of `func` may be written: those an op writes (through
/// views), and every memref an op of unknown effects touches.
static llvm::BitVector writtenArguments(func::FuncOp func) {
  llvm::BitVector written(func.getNumArguments());
  auto mark = [&](Value value) {
    auto arg = dyn_cast<BlockArgument>(viewRoot(value));
    if (arg && arg.getOwner()->getParentOp() == func)
      written.set(arg.getArgNumber());
  };
  auto markOperands = [&](Operation *op) {
    for (Value operand : op->getOperands())
      if (isa<MemRefType>(operand.getType()))
        mark(operand);
  };
  func.walk([&](Operation *op) {
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects) {
      if (!op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
        markOperands(op);
      return;
    }
    SmallVector<MemoryEffects::EffectInstance> list;
    effects.getEffects(list);
    for (MemoryEffects::EffectInstance &effect : list) {
      if (!isa<MemoryEffects::Write>(effect.getEffect()))
        continue;
      if (Value value = effect.getValue())
        mark(value);
      else
        markOperands(op);
    }
  });
  return written;
}

/// The arguments of a callable function; `why` says why it is not one.
/// Operands no memory could hold are a located error.
static FailureOr<std::vector<Argument>> describeArguments(func::FuncOp func,
                                                          std::string &why) {
  if (func.getNumResults() != 0) {
    why = "it returns values; callable functions return nothing and write "
          "their memref arguments";
    return failure();
  }
  llvm::BitVector written = writtenArguments(func);
  std::vector<Argument> arguments;
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    auto memref = dyn_cast<MemRefType>(type);
    Argument arg;
    SmallVector<int64_t> strides;
    std::optional<DType> dtype =
        memref ? dtypeOf(memref.getElementType()) : std::nullopt;
    if (!memref || !memref.hasStaticShape() || !dtype ||
        failed(memref.getStridesAndOffset(strides, arg.offset)) ||
        llvm::any_of(strides, ShapedType::isDynamic) ||
        ShapedType::isDynamic(arg.offset)) {
      llvm::raw_string_ostream os(why);
      os << "argument #" << i << " has type " << type
         << "; callable functions take statically shaped strided memrefs of "
            "f32, f64, f16, bf16 or i8/i16/i32/i64";
      return failure();
    }
    if (failed(spec::verifyAddressable(
            [&] {
              return func.emitError("cannot compile '")
                     << func.getName() << "' for calling: ";
            },
            "argument #" + Twine(i), memref)))
      return failure();
    arg.dtype = *dtype;
    arg.shape = llvm::to_vector(memref.getShape());
    arg.strides = strides;
    arg.footprint = 0;
    if (memref.getNumElements() > 0) {
      arg.footprint = arg.offset + 1;
      for (auto [size, stride] : llvm::zip(arg.shape, arg.strides))
        arg.footprint += (size - 1) * stride;
    }
    arg.written = written.test(i);
    llvm::raw_string_ostream(arg.type) << memref;
    arg.memrefType = memref;
    arguments.push_back(std::move(arg));
  }
  return arguments;
}

CompiledModule::CompiledModule() = default;
CompiledModule::~CompiledModule() = default;

llvm::Error CompiledModule::build(StringRef source, StringRef sourceName,
                                  const ToLLVMOptions &options) {
  if (llvm::Expected<synth::Target> target =
          synth::Target::named(options.target);
      !target)
    return makeFailure(FailureKind::Compile,
                       llvm::toString(target.takeError()));
  context = createContext();
  DiagnosticCollector collector(source, sourceName, *context);
  module = parse(collector, *context);
  if (!module)
    return collector.failure("the source does not parse");

  PassManager importer(context.get());
  importer.addPass(createTesselImportLinalg());
  if (failed(importer.run(*module)))
    return collector.failure("importing linalg failed");

  SmallVector<std::pair<func::FuncOp, std::string>> uncallable;
  for (auto func : module->getOps<func::FuncOp>()) {
    if (func.isDeclaration() || !func.isPublic())
      continue;
    std::string why;
    FailureOr<std::vector<Argument>> arguments = describeArguments(func, why);
    if (failed(arguments)) {
      if (why.empty()) // already reported
        return collector.failure("a function cannot be called");
      uncallable.push_back({func, why});
      continue;
    }
    Function fn;
    fn.name = func.getName().str();
    fn.arguments = std::move(*arguments);
    fn.flops = countFlops(func);
    fn.module = this;
    functions.push_back(std::move(fn));
  }
  // Functions that cannot be called are left out with a warning, unless
  // none can: then the module is an error.
  for (auto &[func, why] : uncallable) {
    std::string message =
        ("'" + func.getName() + "' cannot be called: " + why).str();
    if (functions.empty())
      func.emitError(message);
    else
      func.emitWarning(message);
    uncallableReasons.push_back({func.getName().str(), why});
  }
  if (functions.empty()) {
    if (uncallable.empty())
      emitError(module->getLoc())
          << "no public function with a body to compile";
    return collector.failure("no function to compile");
  }

  auto compiled = Kernel::compile(*module, options);
  if (!compiled) {
    std::string why = llvm::toString(compiled.takeError());
    return collector.failure(why);
  }
  kernel = std::move(*compiled);
  for (Function &fn : functions) {
    auto entry = kernel->lookup(fn.name);
    if (!entry)
      return makeFailure(FailureKind::Compile,
                         "cannot find the compiled '" + fn.name +
                             "': " + llvm::toString(entry.takeError()));
    fn.entry = *entry;
  }
  diagnostics = collector.take();
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<CompiledModule>>
CompiledModule::compile(StringRef source, StringRef sourceName,
                        const ToLLVMOptions &options) {
  std::unique_ptr<CompiledModule> result(new CompiledModule());
  // Parsing and the passes recurse once per nesting level.
  llvm::Error error = llvm::Error::success();
  runOnDeepStack([&] {
    error = result->build(source, sourceName, options);
    return 0;
  });
  if (error)
    return std::move(error);
  return std::move(result);
}

StringRef CompiledModule::whyNotCallable(StringRef name) const {
  for (const auto &[function, why] : uncallableReasons)
    if (function == name)
      return why;
  return {};
}

const Function *CompiledModule::lookup(StringRef name) const {
  for (const Function &fn : functions)
    if (fn.name == name)
      return &fn;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Calls
//===----------------------------------------------------------------------===//

namespace {
/// 64-byte aligned scratch memory.
struct Scratch {
  std::unique_ptr<char[], void (*)(void *)> bytes{nullptr, std::free};
};

/// Copies the elements of a `shape` array between two strided layouts
/// (strides in bytes).
void copyStrided(char *dst, ArrayRef<int64_t> dstStrides, const char *src,
                 ArrayRef<int64_t> srcStrides, ArrayRef<int64_t> shape,
                 unsigned bytes) {
  if (shape.empty()) {
    std::memcpy(dst, src, bytes);
    return;
  }
  for (int64_t i = 0; i < shape.front(); ++i)
    copyStrided(dst + i * dstStrides.front(), dstStrides.drop_front(),
                src + i * srcStrides.front(), srcStrides.drop_front(),
                shape.drop_front(), bytes);
}

/// The bytes [first, last] a buffer's elements span.
std::pair<uintptr_t, uintptr_t> byteRange(const BufferRef &b, unsigned bytes) {
  uintptr_t first = uintptr_t(b.data), last = uintptr_t(b.data) + bytes - 1;
  for (auto [size, stride] : llvm::zip(b.shape, b.strides)) {
    int64_t reach = (size - 1) * stride;
    (reach < 0 ? first : last) += reach;
  }
  return {first, last};
}

/// Whether two elements of a buffer may share bytes (a sufficient test:
/// dims sorted by stride each step past everything the smaller ones span).
bool mayShareElements(const BufferRef &b, unsigned bytes) {
  SmallVector<std::pair<int64_t, int64_t>> dims; // |stride|, size
  for (auto [size, stride] : llvm::zip(b.shape, b.strides))
    if (size > 1)
      dims.push_back({std::abs(stride), size});
  llvm::sort(dims);
  int64_t span = bytes;
  for (auto [stride, size] : dims) {
    if (stride < span)
      return true;
    span = stride * (size - 1) + span;
  }
  return false;
}

std::string shapeString(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "a scalar (rank 0)";
  return llvm::join(
      llvm::map_range(shape, [](int64_t s) { return std::to_string(s); }), "x");
}

/// A call's arguments made ready: the pointers the function takes, with
/// buffers copied into scratch memory where the caller's layout differs
/// or an input shares memory with an output.
struct PreparedCall {
  SmallVector<void *> pointers;
  SmallVector<Scratch> scratch;
  /// (argument, scratch index) of outputs to copy back.
  SmallVector<std::pair<unsigned, unsigned>> copyBack;

  void finish(const Function &fn, ArrayRef<BufferRef> buffers) {
    for (auto [i, s] : copyBack) {
      const Argument &arg = fn.arguments[i];
      unsigned bytes = dtypeBytes(arg.dtype);
      SmallVector<int64_t> strides;
      for (int64_t stride : arg.strides)
        strides.push_back(stride * bytes);
      copyStrided(static_cast<char *>(buffers[i].data), buffers[i].strides,
                  scratch[s].bytes.get() + arg.offset * bytes, strides,
                  arg.shape, bytes);
    }
  }
};

llvm::Expected<PreparedCall> prepare(const Function &fn,
                                     ArrayRef<BufferRef> buffers) {
  auto where = [&](unsigned i) {
    return "argument #" + std::to_string(i) + " of '" + fn.name + "' (" +
           fn.arguments[i].type + ")";
  };
  if (buffers.size() != fn.arguments.size()) {
    std::string types = llvm::join(
        llvm::map_range(fn.arguments, [](const Argument &a) { return a.type; }),
        ", ");
    return makeFailure(FailureKind::Value,
                       "'" + fn.name + "' takes " + Twine(fn.arguments.size()) +
                           " arguments (" + types + "), got " +
                           Twine(buffers.size()));
  }
  SmallVector<bool> direct(buffers.size(), true), stage(buffers.size(), false);
  for (auto [i, b] : llvm::enumerate(buffers)) {
    const Argument &arg = fn.arguments[i];
    if (b.dtype != arg.dtype)
      return makeFailure(FailureKind::Type,
                         where(i) + " holds " + dtypeName(arg.dtype) +
                             " elements, got " + dtypeName(b.dtype));
    if (b.shape.size() != arg.shape.size() || !llvm::equal(b.shape, arg.shape))
      return makeFailure(FailureKind::Value,
                         where(i) + " has shape " + shapeString(arg.shape) +
                             ", got " + shapeString(b.shape));
    if (arg.written && b.readonly)
      return makeFailure(FailureKind::Value,
                         where(i) + " is written by the function, but the "
                                    "buffer passed is read-only");
    if (!b.data && arg.footprint > 0)
      return makeFailure(FailureKind::Value, where(i) + " is a null pointer");
    unsigned bytes = dtypeBytes(arg.dtype);
    for (auto [size, stride, want] : llvm::zip(b.shape, b.strides, arg.strides))
      if (size > 1 && stride != want * int64_t(bytes))
        direct[i] = false;
    if (arg.written && !direct[i] && mayShareElements(b, bytes))
      return makeFailure(FailureKind::Value,
                         where(i) + " is written, but its strides make "
                                    "elements share memory");
  }
  // An output must not share memory with another argument: inputs that do
  // are copied first, two outputs that do are refused.
  for (auto [i, b] : llvm::enumerate(buffers)) {
    if (!fn.arguments[i].written || fn.arguments[i].footprint == 0)
      continue;
    auto [first, last] = byteRange(b, dtypeBytes(fn.arguments[i].dtype));
    for (auto [j, other] : llvm::enumerate(buffers)) {
      if (i == j || fn.arguments[j].footprint == 0)
        continue;
      auto [otherFirst, otherLast] =
          byteRange(other, dtypeBytes(fn.arguments[j].dtype));
      if (otherLast < first || last < otherFirst)
        continue;
      if (fn.arguments[j].written)
        return makeFailure(FailureKind::Value,
                           "arguments #" + Twine(std::min(i, j)) + " and #" +
                               Twine(std::max(i, j)) + " of '" + fn.name +
                               "' are both written and share memory");
      stage[j] = true;
    }
  }
  PreparedCall call;
  for (auto [i, b] : llvm::enumerate(buffers)) {
    const Argument &arg = fn.arguments[i];
    unsigned bytes = dtypeBytes(arg.dtype);
    if (direct[i] && !stage[i]) {
      // The function adds the layout's offset to the pointer it gets.
      call.pointers.push_back(static_cast<char *>(b.data) - arg.offset * bytes);
      continue;
    }
    size_t size = llvm::alignTo(size_t(arg.footprint) * bytes, 64);
    Scratch s;
    s.bytes.reset(
        static_cast<char *>(std::aligned_alloc(64, size ? size : 64)));
    if (!s.bytes)
      return makeFailure(FailureKind::Runtime,
                         "cannot allocate " + Twine(size) + " bytes to copy " +
                             where(i) + " into its layout");
    SmallVector<int64_t> strides;
    for (int64_t stride : arg.strides)
      strides.push_back(stride * bytes);
    copyStrided(s.bytes.get() + arg.offset * bytes, strides,
                static_cast<const char *>(b.data), b.strides, arg.shape, bytes);
    call.pointers.push_back(s.bytes.get());
    if (arg.written)
      call.copyBack.push_back({unsigned(i), unsigned(call.scratch.size())});
    call.scratch.push_back(std::move(s));
  }
  return call;
}
} // namespace

llvm::Error Function::call(ArrayRef<BufferRef> buffers) const {
  llvm::Expected<PreparedCall> call = prepare(*this, buffers);
  if (!call)
    return call.takeError();
  SmallVector<void *> packed;
  for (void *&p : call->pointers)
    packed.push_back(&p);
  entry(packed.data());
  call->finish(*this, buffers);
  return llvm::Error::success();
}

llvm::Expected<double> Function::bench(ArrayRef<BufferRef> buffers,
                                       unsigned samples) const {
  // Without buffers, seeded random ones in the function's own layouts.
  SmallVector<std::unique_ptr<HostBuffer>> own;
  SmallVector<BufferRef> refs(buffers);
  std::vector<SmallVector<int64_t>> byteStrides;
  if (buffers.empty() && !arguments.empty()) {
    std::mt19937 rng(1);
    byteStrides.reserve(arguments.size());
    for (const Argument &arg : arguments) {
      own.push_back(HostBuffer::create(arg.memrefType));
      if (!own.back())
        return makeFailure(FailureKind::Runtime,
                           "cannot allocate an argument of type " + arg.type);
      own.back()->randomize(rng);
      unsigned bytes = dtypeBytes(arg.dtype);
      byteStrides.emplace_back();
      for (int64_t stride : arg.strides)
        byteStrides.back().push_back(stride * bytes);
      refs.push_back(
          {static_cast<char *>(own.back()->data()) + arg.offset * bytes,
           arg.dtype, arg.shape, byteStrides.back(), false});
    }
  }
  llvm::Expected<PreparedCall> call = prepare(*this, refs);
  if (!call)
    return call.takeError();
  SmallVector<void *> packed;
  for (void *&p : call->pointers)
    packed.push_back(&p);
  double seconds = timeBest([&] { entry(packed.data()); }, samples);
  call->finish(*this, refs);
  return seconds;
}

//===----------------------------------------------------------------------===//
// Explain
//===----------------------------------------------------------------------===//

llvm::Error exec::explainSource(StringRef source, StringRef sourceName,
                                const ToLLVMOptions &options,
                                llvm::raw_ostream &os) {
  auto session = spec::SynthesisSession::open(options.synthesis());
  if (!session)
    return makeFailure(FailureKind::Compile,
                       llvm::toString(session.takeError()));
  llvm::Error error = llvm::Error::success();
  runOnDeepStack([&] {
    std::unique_ptr<MLIRContext> context = createContext();
    DiagnosticCollector collector(source, sourceName, *context);
    OwningOpRef<ModuleOp> module = parse(collector, *context);
    if (!module) {
      error = collector.failure("the source does not parse");
      return 1;
    }
    PassManager importer(context.get());
    importer.addPass(createTesselImportLinalg());
    if (failed(importer.run(*module)) ||
        failed((*session)->explain(*module, os))) {
      error = collector.failure("synthesis failed");
      return 1;
    }
    return 0;
  });
  if (error)
    return error;
  if (llvm::Error e = (*session)->save())
    return makeFailure(FailureKind::Runtime, llvm::toString(std::move(e)));
  return llvm::Error::success();
}
