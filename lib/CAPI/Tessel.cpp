//===- Tessel.cpp - Tessel's C interface ----------------------------------===//
//
// A thin layer over tessel::exec::CompiledModule: handles wrap its objects,
// C structs become its plain-data arguments, llvm::Errors become
// TesselErrors.
//
//===----------------------------------------------------------------------===//

#include "tessel-c/Tessel.h"
#include "tessel/Execution/CompiledModule.h"
#include "tessel/Memo/Database.h"
#include "tessel/Synthesis/Progress.h"

#include <cstring>
#include <new>

using namespace tessel;
using tessel::exec::FailureKind;

namespace {
struct ErrorObject {
  TesselErrorKind kind;
  std::string message;
};

/// Out of memory for an error itself: this one still says so (and is never
/// freed).
ErrorObject outOfMemory{TESSEL_ERROR_RUNTIME, "out of memory"};

TesselError wrap(FailureKind kind, std::string message) {
  auto *error =
      new (std::nothrow) ErrorObject{TesselErrorKind(kind), std::move(message)};
  return {error ? error : &outOfMemory};
}

TesselError fromError(llvm::Error error) {
  if (!error)
    return {nullptr};
  FailureKind kind = FailureKind::Runtime;
  std::string message;
  llvm::handleAllErrors(
      std::move(error),
      [&](const exec::Failure &f) {
        kind = f.getKind();
        message = f.getMessage();
      },
      [&](const llvm::ErrorInfoBase &e) { message = e.message(); });
  return wrap(kind, std::move(message));
}

llvm::StringRef unwrap(TesselStringRef s) {
  return s.data ? llvm::StringRef(s.data, s.length) : llvm::StringRef();
}
TesselStringRef wrap(llvm::StringRef s) { return {s.data(), s.size()}; }

exec::CompiledModule *unwrap(TesselModule m) {
  return static_cast<exec::CompiledModule *>(m.ptr);
}
const exec::Function *unwrap(TesselFunction f) {
  return static_cast<const exec::Function *>(f.ptr);
}

/// The pass-pipeline options `options` select (defaults when null).
void apply(const TesselCompileOptions *options, ToLLVMOptions &out) {
  TesselCompileOptions defaults;
  tesselCompileOptionsInit(&defaults);
  if (!options)
    options = &defaults;
  out.target = options->target && *options->target ? options->target : "host";
  out.threads = options->threads;
  out.searchThreads = options->searchThreads;
  out.searchBudget = options->searchBudget;
  out.db = options->database ? options->database : "";
  out.dbIgnoreMismatch = options->ignoreDatabaseMismatch;
}

/// Reports the searches run while it lives to the options' callback.
struct ProgressForwarding {
  explicit ProgressForwarding(const TesselCompileOptions *options) {
    if (!options || !options->progress)
      return;
    scope.emplace(
        [callback = options->progress,
         userData = options->progressUserData](const synth::SearchProgress &p) {
          TesselProgress progress{p.specsSolved, p.specsExpanded, p.memoHits,
                                  p.seconds};
          callback(&progress, userData);
        });
  }
  std::optional<synth::ScopedProgressHandler> scope;
};

/// Buffers of the C API as CompiledModule's, or an error.
TesselError toBufferRefs(const TesselBuffer *arguments, intptr_t numArguments,
                         llvm::SmallVectorImpl<exec::BufferRef> &refs) {
  if (numArguments < 0 || (numArguments > 0 && !arguments))
    return wrap(FailureKind::Value, "no argument array");
  for (intptr_t i = 0; i < numArguments; ++i) {
    const TesselBuffer &b = arguments[i];
    if (unsigned(b.dtype) > TESSEL_DTYPE_I64)
      return wrap(FailureKind::Type,
                  "argument #" + std::to_string(i) + " has an unknown dtype");
    if (b.rank < 0 || (b.rank > 0 && (!b.shape || !b.strides)))
      return wrap(FailureKind::Value,
                  "argument #" + std::to_string(i) +
                      " has a negative rank or no shape or strides");
    refs.push_back({b.data, exec::DType(b.dtype),
                    llvm::ArrayRef<int64_t>(b.shape, size_t(b.rank)),
                    llvm::ArrayRef<int64_t>(b.strides, size_t(b.rank)),
                    b.readonly});
  }
  return {nullptr};
}
} // namespace

TesselStringRef tesselStringRefCreateFromCString(const char *str) {
  return {str, str ? std::strlen(str) : 0};
}

TesselErrorKind tesselErrorGetKind(TesselError error) {
  return error.ptr ? static_cast<ErrorObject *>(error.ptr)->kind
                   : TesselErrorKind(0);
}

TesselStringRef tesselErrorGetMessage(TesselError error) {
  if (!error.ptr)
    return {"", 0};
  return wrap(static_cast<ErrorObject *>(error.ptr)->message);
}

void tesselErrorDestroy(TesselError error) {
  auto *object = static_cast<ErrorObject *>(error.ptr);
  if (object != &outOfMemory)
    delete object;
}

TesselStringRef tesselGetVersion(void) { return wrap(TESSEL_VERSION); }

TesselStringRef tesselDTypeGetName(TesselDType dtype) {
  if (unsigned(dtype) > TESSEL_DTYPE_I64)
    return wrap("?");
  return wrap(exec::dtypeName(exec::DType(dtype)));
}

size_t tesselDTypeGetSize(TesselDType dtype) {
  if (unsigned(dtype) > TESSEL_DTYPE_I64)
    return 0;
  return exec::dtypeBytes(exec::DType(dtype));
}

void tesselCompileOptionsInit(TesselCompileOptions *options) {
  if (!options)
    return;
  *options = TesselCompileOptions{};
  options->target = "host";
  options->searchBudget = synth::SearchOptions::kDefaultBudget;
}

TesselError tesselModuleCompile(TesselStringRef source,
                                TesselStringRef sourceName,
                                const TesselCompileOptions *options,
                                TesselModule *result) {
  if (!result)
    return wrap(FailureKind::Value, "no place for the result");
  result->ptr = nullptr;
  ToLLVMOptions pipeline;
  apply(options, pipeline);
  ProgressForwarding progress(options);
  llvm::StringRef name = unwrap(sourceName);
  auto module = exec::CompiledModule::compile(
      unwrap(source), name.empty() ? "<source>" : name, pipeline);
  if (!module)
    return fromError(module.takeError());
  result->ptr = module->release();
  return {nullptr};
}

void tesselModuleDestroy(TesselModule module) { delete unwrap(module); }

TesselStringRef tesselModuleGetDiagnostics(TesselModule module) {
  return wrap(unwrap(module)->getDiagnostics());
}

TesselError tesselExplain(TesselStringRef source, TesselStringRef sourceName,
                          const TesselCompileOptions *options,
                          TesselStringCallback callback, void *userData) {
  ToLLVMOptions pipeline;
  apply(options, pipeline);
  ProgressForwarding progress(options);
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::StringRef name = unwrap(sourceName);
  if (llvm::Error e = exec::explainSource(
          unwrap(source), name.empty() ? "<source>" : name, pipeline, os))
    return fromError(std::move(e));
  if (callback)
    callback(wrap(text), userData);
  return {nullptr};
}

intptr_t tesselModuleGetNumFunctions(TesselModule module) {
  return intptr_t(unwrap(module)->getFunctions().size());
}

TesselFunction tesselModuleGetFunction(TesselModule module, intptr_t index) {
  auto functions = unwrap(module)->getFunctions();
  if (index < 0 || size_t(index) >= functions.size())
    return {nullptr};
  return {&functions[size_t(index)]};
}

TesselFunction tesselModuleLookupFunction(TesselModule module,
                                          TesselStringRef name) {
  return {unwrap(module)->lookup(unwrap(name))};
}

TesselStringRef tesselModuleGetUncallableReason(TesselModule module,
                                                TesselStringRef name) {
  return wrap(unwrap(module)->whyNotCallable(unwrap(name)));
}

TesselStringRef tesselFunctionGetName(TesselFunction function) {
  return wrap(unwrap(function)->name);
}

double tesselFunctionGetFlops(TesselFunction function) {
  return unwrap(function)->flops;
}

intptr_t tesselFunctionGetNumArguments(TesselFunction function) {
  return intptr_t(unwrap(function)->arguments.size());
}

TesselArgument tesselFunctionGetArgument(TesselFunction function,
                                         intptr_t index) {
  const auto &arguments = unwrap(function)->arguments;
  if (index < 0 || size_t(index) >= arguments.size())
    return TesselArgument{};
  const exec::Argument &arg = arguments[size_t(index)];
  return {TesselDType(arg.dtype),
          intptr_t(arg.shape.size()),
          arg.shape.data(),
          arg.strides.data(),
          arg.offset,
          arg.written,
          wrap(arg.type)};
}

TesselError tesselFunctionCall(TesselFunction function,
                               const TesselBuffer *arguments,
                               intptr_t numArguments) {
  if (!function.ptr)
    return wrap(FailureKind::Value, "no function to call");
  llvm::SmallVector<exec::BufferRef, 8> refs;
  if (TesselError e = toBufferRefs(arguments, numArguments, refs); e.ptr)
    return e;
  return fromError(unwrap(function)->call(refs));
}

TesselError tesselFunctionBench(TesselFunction function,
                                const TesselBuffer *arguments,
                                intptr_t numArguments, unsigned samples,
                                double *seconds) {
  if (!function.ptr || !seconds)
    return wrap(FailureKind::Value, "no function to time or no result place");
  llvm::SmallVector<exec::BufferRef, 8> refs;
  if (TesselError e = toBufferRefs(arguments, numArguments, refs); e.ptr)
    return e;
  auto best = unwrap(function)->bench(refs, samples ? samples : 1);
  if (!best)
    return fromError(best.takeError());
  *seconds = *best;
  return {nullptr};
}

TesselError tesselDatabaseGetStats(TesselStringRef path,
                                   TesselDatabaseStatsCallback callback,
                                   void *userData) {
  std::string file = unwrap(path).str();
  llvm::Expected<memo::LoadedFile> loaded = memo::readDatabaseFile(file);
  if (!loaded)
    return wrap(FailureKind::Compile, llvm::toString(loaded.takeError()));
  memo::MemoStats st = loaded->memo->stats();
  TesselDatabaseStats stats{wrap(loaded->header.targetName),
                            wrap(loaded->header.producer),
                            uint32_t(loaded->header.version),
                            st.tables,
                            st.solves,
                            st.boxes,
                            st.sideEntries,
                            loaded->bytes};
  if (callback)
    callback(&stats, userData);
  return {nullptr};
}
