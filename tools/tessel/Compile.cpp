//===- Compile.cpp - tessel compile: an object file and a C header --------===//
//
// Lowers every function with --tessel-to-llvm and the bare-pointer calling
// convention, so each becomes a plain C function taking its memrefs' element
// pointers: `void f(const float *a, const float *b, float *c);`. The object
// is position-independent; programs with parallel loops link libomp.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"
#include "tessel/Conversion/Passes.h"
#include "tessel/Dialect/Spec/IR/SpecOps.h"
#include "tessel/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace tessel;
using namespace tessel::driver;
namespace cl = llvm::cl;

static cl::SubCommand
    compileCommand("compile",
                   "Synthesize and compile every function to an object file, "
                   "with a C header declaring them");
static cl::opt<std::string> input(cl::Positional, cl::Required,
                                  cl::desc("<input.mlir>"),
                                  cl::sub(compileCommand), cl::cat(category()));
static PipelineFlags flags(compileCommand);
static cl::opt<std::string> output("o", cl::desc("Object file to write"),
                                   cl::value_desc("k.o"), cl::Required,
                                   cl::sub(compileCommand),
                                   cl::cat(category()));
static cl::opt<std::string>
    header("header", cl::desc("C header to write (optional)"),
           cl::value_desc("k.h"), cl::sub(compileCommand), cl::cat(category()));

/// The C type of a memref element, or nothing.
static std::optional<StringRef> cType(Type t) {
  if (t.isF32())
    return StringRef("float");
  if (t.isF64())
    return StringRef("double");
  if (t.isBF16() || t.isF16())
    return StringRef("uint16_t");
  if (t.isSignlessInteger(8))
    return StringRef("int8_t");
  if (t.isSignlessInteger(16))
    return StringRef("int16_t");
  if (t.isSignlessInteger(32))
    return StringRef("int32_t");
  if (t.isSignlessInteger(64))
    return StringRef("int64_t");
  return std::nullopt;
}

/// Whether the buffer `memref`, or a view of it, may be written: arguments
/// that are only read (by spec ops or anything else that declares its
/// effects) become `const` pointers.
static bool mayWrite(Value memref) {
  for (Operation *user : memref.getUsers()) {
    auto view = dyn_cast<ViewLikeOpInterface>(user);
    if (view && view.getViewSource() == memref) {
      if (llvm::any_of(user->getResults(), mayWrite))
        return true;
      continue;
    }
    if (mightHaveEffect<MemoryEffects::Write>(user, memref))
      return true;
  }
  return false;
}

/// Names a C program may not give an exported function: keywords of C and
/// C++ (the header is included from both), and the C standard library's and
/// common POSIX functions, whose definitions the object would replace.
static const llvm::StringSet<> &reservedNames() {
  static const llvm::StringSet<> names = [] {
    llvm::StringSet<> set;
    // Keywords: C23, then C++ (alternative tokens included).
    StringRef keywords =
        "alignas alignof auto bool break case char const constexpr continue "
        "default do double else enum extern false float for goto if inline "
        "int long nullptr register restrict return short signed sizeof "
        "static static_assert struct switch thread_local true typedef typeof "
        "typeof_unqual union unsigned void volatile while and and_eq asm "
        "bitand bitor catch char8_t char16_t char32_t class co_await "
        "co_return co_yield compl concept consteval constinit const_cast "
        "decltype delete dynamic_cast explicit export friend mutable "
        "namespace new noexcept not not_eq operator or or_eq private "
        "protected public reinterpret_cast requires static_cast template "
        "this throw try typeid typename using virtual wchar_t xor xor_eq "
        "main";
    // <stdlib.h>, <string.h>, <stdio.h>, <ctype.h>, <time.h>, <signal.h>,
    // <setjmp.h>, <locale.h>, <errno.h>, and POSIX's most used.
    StringRef library =
        "abort abs aligned_alloc atexit atof atoi atol atoll at_quick_exit "
        "bsearch calloc div exit free getenv labs ldiv llabs lldiv malloc "
        "mblen mbstowcs mbtowc qsort quick_exit rand realloc srand strtod "
        "strtof strtol strtold strtoll strtoul strtoull system wcstombs "
        "wctomb memchr memcmp memcpy memmove memset strcat strchr strcmp "
        "strcoll strcpy strcspn strerror strlen strncat strncmp strncpy "
        "strpbrk strrchr strspn strstr strtok strxfrm strdup strndup "
        "clearerr fclose feof ferror fflush fgetc fgetpos fgets fopen "
        "fprintf fputc fputs fread freopen fscanf fseek fsetpos ftell fwrite "
        "getc getchar gets perror printf putc putchar puts remove rename "
        "rewind scanf setbuf setvbuf snprintf sprintf sscanf tmpfile tmpnam "
        "ungetc vfprintf vfscanf vprintf vscanf vsnprintf vsprintf vsscanf "
        "isalnum isalpha isblank iscntrl isdigit isgraph islower isprint "
        "ispunct isspace isupper isxdigit tolower toupper asctime clock "
        "ctime difftime gmtime localtime mktime strftime time timespec_get "
        "raise signal longjmp setjmp localeconv setlocale errno "
        "open close read write lseek fork pipe dup dup2 sleep usleep "
        "mmap munmap pthread_create pthread_join environ";
    // <math.h>: each function also with the suffixes f and l.
    StringRef math =
        "acos acosh asin asinh atan atan2 atanh cbrt ceil copysign cos cosh "
        "erf erfc exp exp2 expm1 fabs fdim floor fma fmax fmin fmod frexp "
        "hypot ilogb ldexp lgamma llrint llround log log10 log1p log2 logb "
        "lrint lround modf nan nearbyint nextafter nexttoward pow remainder "
        "remquo rint round scalbln scalbn sin sinh sqrt tan tanh tgamma "
        "trunc";
    SmallVector<StringRef> words;
    for (StringRef list : {keywords, library})
      llvm::SplitString(list, words);
    for (StringRef w : words)
      set.insert(w);
    words.clear();
    llvm::SplitString(math, words);
    for (StringRef w : words)
      for (StringRef suffix : {"", "f", "l"})
        set.insert((w + suffix).str());
    return set;
  }();
  return names;
}

/// Why `name` cannot be an exported C function's name, or "".
static std::string cNameProblem(StringRef name) {
  if (name.empty())
    return "it is empty";
  if (!llvm::isAlpha(name.front()) && name.front() != '_')
    return "a C identifier starts with a letter or '_'";
  if (!llvm::all_of(name, [](char c) { return llvm::isAlnum(c) || c == '_'; }))
    return "a C identifier holds only letters, digits and '_'";
  if (name.front() == '_')
    return "C reserves names that start with '_' for the implementation";
  if (reservedNames().contains(name))
    return "it is a C or C++ keyword or a standard library function, which "
           "the object would replace";
  // The OpenMP runtime the object calls (libomp's API and entry points).
  for (StringRef prefix : {"omp_", "ompt_", "kmp_", "kmpc_"})
    if (name.starts_with(prefix))
      return ("names starting with '" + prefix +
              "' belong to the OpenMP runtime, which the object calls")
          .str();
  return "";
}

/// Checks the signature has a plain C form and writes its declaration.
static LogicalResult declare(func::FuncOp func, llvm::raw_ostream &os) {
  if (std::string problem = cNameProblem(func.getName()); !problem.empty()) {
    std::string shown;
    llvm::raw_string_ostream escaped(shown);
    llvm::printEscapedString(func.getName(), escaped);
    return func.emitError("cannot export '")
           << shown << "' as a C function: " << problem
           << " (rename it, or make it private)";
  }
  if (func.getNumResults() != 0)
    return func.emitError("cannot compile '")
           << func.getName() << "' to a C function: it returns values";
  llvm::SmallDenseSet<unsigned> written;
  for (auto [i, arg] : llvm::enumerate(func.getArguments()))
    if (mayWrite(arg))
      written.insert(i);
  std::string decl;
  llvm::raw_string_ostream d(decl);
  d << "/// " << func.getName() << ":";
  for (Type type : func.getArgumentTypes())
    d << " " << type;
  d << "\nvoid " << func.getName() << "(";
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    auto memref = dyn_cast<MemRefType>(type);
    std::optional<StringRef> c =
        memref ? cType(memref.getElementType()) : std::nullopt;
    if (!c || !passesAsBarePointer(type))
      return func.emitError("cannot compile '")
             << func.getName() << "' to a C function: argument #" << i
             << " has type " << type
             << "; C signatures need memrefs of static shape, strides and "
                "offset";
    if (failed(spec::verifyAddressable(
            [&] {
              return func.emitError("cannot compile '")
                     << func.getName() << "': ";
            },
            "argument #" + Twine(i), memref)))
      return failure();
    d << (i ? ", " : "") << (written.contains(i) ? "" : "const ") << *c
      << " *arg" << i;
  }
  d << ");\n";
  os << decl;
  return success();
}

static int runCompile() {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  Session session;
  if (failed(refuseCollisions({{"the input", input}, {"--db", flags.dbPath()}},
                              {{"-o", output}, {"--header", header}})))
    return 1;
  OwningOpRef<ModuleOp> module = session.load(input);
  if (!module)
    return 1;
  std::string decls;
  llvm::raw_string_ostream declOs(decls);
  llvm::StringSet<> exported;
  for (auto func : module->getOps<func::FuncOp>()) {
    if (!func.isPublic() || func.isDeclaration()) {
      // A private function is called with the same convention.
      if (std::optional<unsigned> i = findNonBarePointerArgument(func)) {
        func.emitError("cannot compile '")
            << func.getName() << "': argument #" << *i << " has type "
            << func.getArgumentTypes()[*i]
            << ", which calls between compiled functions cannot pass (they "
               "pass memrefs of static shape, strides and offset as "
               "pointers); give it a static layout or inline the function";
        return 1;
      }
      continue;
    }
    if (failed(declare(func, declOs)))
      return 1;
    exported.insert(func.getName());
    exported.insert(("_mlir_ciface_" + func.getName()).str());
  }

  // The CPU the code is for.
  ToLLVMOptions options;
  flags.apply(options);
  options.barePtrCallConv = true;
  std::string target = options.target;
  std::optional<synth::Target> described = parseTarget(target);
  if (!described)
    return 1;
  std::string cpu, features;
  if (target == "host") {
    cpu = llvm::sys::getHostCPUName().str();
    for (auto &f : llvm::sys::getHostCPUFeatures())
      features += (features.empty() ? "" : ",") +
                  std::string(f.second ? "+" : "-") + f.first().str();
  } else if (target == "avx512") {
    cpu = "znver4";
  } else if (described->isa == synth::Isa::AVX512) {
    // Any other AVX-512 description (zen5, sapphire-rapids, a file): the
    // AVX-512 level every such CPU has, and the bf16 dot if it states one.
    cpu = "x86-64-v4";
    if (described->hasBf16Dot)
      features = "+avx512bf16";
  } else {
    cpu = "haswell";
  }

  PassManager pm(&session.getContext());
  buildToLLVMPipeline(pm, options);
  if (failed(pm.run(*module)))
    return 1;

  DialectRegistry registry;
  registerAllToLLVMIRTranslations(registry);
  session.getContext().appendDialectRegistry(registry);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext, input);
  if (!llvmModule) {
    llvm::errs() << "tessel: translation to LLVM IR failed\n";
    return 1;
  }
  // Only the public functions (and their C-interface wrappers) are
  // exported; the programs' pieces stay internal to the object.
  for (llvm::Function &f : *llvmModule)
    if (!f.isDeclaration() && !exported.contains(f.getName()))
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget) {
    llvm::errs() << "tessel: " << error << "\n";
    return 1;
  }
  std::unique_ptr<llvm::TargetMachine> tm(llvmTarget->createTargetMachine(
      triple, cpu, features, llvm::TargetOptions(), llvm::Reloc::PIC_,
      std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(tm->createDataLayout());
  if (llvm::Error e =
          makeOptimizingTransformer(3, 0, tm.get())(llvmModule.get())) {
    llvm::errs() << "tessel: " << llvm::toString(std::move(e)) << "\n";
    return 1;
  }

  // Both files open before either is written: a failure leaves neither.
  std::error_code ec;
  llvm::ToolOutputFile object(output, ec, llvm::sys::fs::OF_None);
  if (ec) {
    llvm::errs() << "tessel: cannot write " << output << ": " << ec.message()
                 << "\n";
    return 1;
  }
  std::optional<llvm::ToolOutputFile> h;
  if (!header.empty()) {
    h.emplace(header, ec, llvm::sys::fs::OF_Text);
    if (ec) {
      llvm::errs() << "tessel: cannot write " << header << ": " << ec.message()
                   << "\n";
      return 1;
    }
  }
  llvm::legacy::PassManager codegen;
  if (tm->addPassesToEmitFile(codegen, object.os(), nullptr,
                              llvm::CodeGenFileType::ObjectFile)) {
    llvm::errs() << "tessel: the target cannot emit object files\n";
    return 1;
  }
  codegen.run(*llvmModule);
  if (h) {
    // The input's name is escaped: a newline in it would end the comment.
    h->os() << "// Generated by `tessel compile ";
    llvm::printEscapedString(input, h->os());
    h->os() << "`. Each function takes its memrefs' element pointers\n"
               "// (bf16/f16 elements as uint16_t). Link with libomp "
               "(-fopenmp) unless compiled with --threads=1.\n"
               "#pragma once\n#include <stdint.h>\n#ifdef __cplusplus\n"
               "extern \"C\" {\n#endif\n\n"
            << decls << "\n#ifdef __cplusplus\n}\n#endif\n";
    h->keep();
  }
  object.keep();
  return 0;
}
TESSEL_COMMAND(compileCommand, runCompile);
